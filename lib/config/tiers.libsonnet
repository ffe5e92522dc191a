// The tier table: every value that differs between dev, staging and prod, in one place.
// Environments pick a row by their tier (spec.json metadata.labels.tier) and may override
// single values through their `values` tree. The policies hold each tier to the same numbers:
// policies/data.json is generated from this table (policies/data.jsonnet, `make generate`).
{
  dev: {
    // OpenTelemetry SDK sampler and ratio; the collector samples at ratio × 100 percent and
    // Dapr at the same ratio.
    tracing: { sampler: 'parentbased_traceidratio', ratio: 1.0 },
    // Highest weight a canary may take (Git-driven weight and a rollout's first setWeight).
    canary: { maxWeight: 100 },
    // Replicas of every service, and whether it gets a PodDisruptionBudget and an autoscaler.
    replicas: 1,
    disruptionBudgets: false,
    autoscaling: { enabled: false, maxReplicas: 1, cpuUtilization: 70 },
    // Raft members: etcd, TiDB placement drivers and TiKV stores.
    etcd: { members: 1 },
    tidb: { pd: 1, tikv: 1, tidb: 1 },
    vitess: { tabletsPerShard: 1, vtgateReplicas: 1 },
    // Dapr Redis connection pool minimums.
    dapr: { poolSize: 10, minIdleConns: 1 },
    observability: {
      prometheus: { replicas: 1, retention: '3d', storage: '20Gi' },
      alertmanager: { replicas: 1 },
      loki: { retention: '72h', storage: '20Gi' },
      collector: { replicas: 1 },
    },
    storage: { etcd: '2Gi', redis: '2Gi', realtimeCache: '5Gi', pd: '5Gi', tikv: '20Gi', vttablet: '10Gi' },
    // Limits that only the policies read (they also hold the output to canary.maxWeight,
    // tracing.ratio and dapr.minIdleConns above): the highest weight of a canary that starts,
    // the largest weight increase per change, the highest SDK sampling ratio, whether the
    // sampler must be parent-based, the smallest Raft group and whether its size must be odd.
    limits: {
      canaryFirstStep: 100,
      canaryWeightStep: 100,
      maxSamplingRatio: 1.0,
      parentBasedSampling: false,
      raftMinMembers: 1,
      raftOddMembers: true,
      // Hygiene opinions (probes, labels, resources: policy rules marked hygiene) are errors
      // here rather than warnings.
      strictHygiene: false,
    },
  },

  staging: {
    tracing: { sampler: 'parentbased_traceidratio', ratio: 0.5 },
    canary: { maxWeight: 50 },
    replicas: 2,
    disruptionBudgets: true,
    autoscaling: { enabled: true, maxReplicas: 4, cpuUtilization: 70 },
    etcd: { members: 3 },
    tidb: { pd: 3, tikv: 3, tidb: 2 },
    vitess: { tabletsPerShard: 2, vtgateReplicas: 2 },
    dapr: { poolSize: 20, minIdleConns: 5 },
    observability: {
      prometheus: { replicas: 2, retention: '7d', storage: '50Gi' },
      alertmanager: { replicas: 2 },
      loki: { retention: '168h', storage: '50Gi' },
      collector: { replicas: 2 },
    },
    storage: { etcd: '8Gi', redis: '8Gi', realtimeCache: '20Gi', pd: '10Gi', tikv: '100Gi', vttablet: '50Gi' },
    limits: {
      canaryFirstStep: 25,
      canaryWeightStep: 50,
      maxSamplingRatio: 0.5,
      parentBasedSampling: false,
      raftMinMembers: 3,
      raftOddMembers: true,
      // Hygiene opinions (probes, labels, resources: policy rules marked hygiene) are errors
      // here rather than warnings.
      strictHygiene: false,
    },
  },

  prod: {
    tracing: { sampler: 'parentbased_traceidratio', ratio: 0.1 },
    canary: { maxWeight: 10 },
    replicas: 2,
    disruptionBudgets: true,
    autoscaling: { enabled: true, maxReplicas: 10, cpuUtilization: 70 },
    etcd: { members: 3 },
    tidb: { pd: 3, tikv: 3, tidb: 2 },
    vitess: { tabletsPerShard: 3, vtgateReplicas: 3 },
    dapr: { poolSize: 20, minIdleConns: 10 },
    observability: {
      prometheus: { replicas: 2, retention: '15d', storage: '200Gi' },
      alertmanager: { replicas: 3 },
      loki: { retention: '744h', storage: '200Gi' },
      collector: { replicas: 3 },
    },
    storage: { etcd: '8Gi', redis: '20Gi', realtimeCache: '50Gi', pd: '20Gi', tikv: '500Gi', vttablet: '250Gi' },
    limits: {
      canaryFirstStep: 5,
      canaryWeightStep: 25,
      maxSamplingRatio: 0.1,
      parentBasedSampling: true,
      raftMinMembers: 3,
      raftOddMembers: true,
      // Hygiene opinions (probes, labels, resources: policy rules marked hygiene) are errors
      // here rather than warnings.
      strictHygiene: true,
    },
  },
}
