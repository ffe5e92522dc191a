// The kforge platform: every component of the stack assembled from one `values` tree.
//
//   (import 'platform.libsonnet').new({ environment: 'prod', tier: 'prod', hosts: [...] })
//
// Values start from the tier's row of config/tiers.libsonnet, then the platform defaults
// below; an environment overrides any of them with `+:` (e.g. `services+: { order_service+:
// { canary: {...} } }`). The output is a tree of manifests: namespaces, data, observability,
// dapr and apps, each object annotated with its Argo CD sync wave.
local tiers = import 'config/tiers.libsonnet';
local dapr = import 'dapr/dapr.libsonnet';
local etcd = import 'data/etcd.libsonnet';
local redis = import 'data/redis.libsonnet';
local tidb = import 'data/tidb.libsonnet';
local vitess = import 'data/vitess.libsonnet';
local syncWaves = import 'gitops/sync-waves.libsonnet';
local k = import 'k8s/k8s.libsonnet';
local alertmanager = import 'observability/alertmanager.libsonnet';
local alerts = import 'observability/alerts.libsonnet';
local grafana = import 'observability/grafana.libsonnet';
local loki = import 'observability/loki.libsonnet';
local otelCollector = import 'observability/otel-collector.libsonnet';
local prometheus = import 'observability/prometheus.libsonnet';
local promtail = import 'observability/promtail.libsonnet';
local pushgateway = import 'observability/pushgateway.libsonnet';
local esignService = import 'services/esign-service.libsonnet';
local gateway = import 'services/gateway.libsonnet';
local orderService = import 'services/order-service.libsonnet';
local realtimeCache = import 'services/realtime-cache.libsonnet';
local riskEngine = import 'services/risk-engine.libsonnet';
local userService = import 'services/user-service.libsonnet';

// defaults: what every environment runs unless it says otherwise.
local defaults = {
  environment: error 'must provide environment',
  tier: error 'must provide tier',
  // release: the version label of the platform's own objects (namespaces).
  release: '1.0.0',
  namespaces: { apps: 'apps', observability: 'observability', data: 'data' },
  // hosts: the public host names of the API gateway.
  hosts: error 'must provide hosts',
  tlsCredentialName: 'kforge-public-tls',
  // tracesEndpoint: the OTLP endpoint of the trace store (Grafana Tempo, run by the tracing
  // team next to this platform).
  tracesEndpoint: 'tempo-distributor.tracing.svc.cluster.local:4317',
  alertChannel: '#kforge-alerts-' + self.environment,
  storageClassName: null,
  canaryAnalysis: { maxLatencyRatio: 1.2, maxErrorRateDelta: 0.003 },
  canaryHeader: { env: $.tier + '-canary' },
  services: {
    user_service: { version: 'v2.4' },
    // canary: null, or {version, weight}; the header defaults to canaryHeader.
    order_service: { version: 'v1.8', canary: null },
    gateway: { version: 'v3.1' },
    risk_engine: { version: 'v1.12' },
    esign_service: { stableVersion: 'v2.2', version: 'v2.3', weights: [5, 25, 50] },
    realtime_cache: { version: 'v0.9' },
  },
};

{
  // new renders the platform for one environment.
  new(params)::
    assert std.objectHas(params, 'tier') : 'platform: must provide tier';
    assert std.objectHas(tiers, params.tier) : 'platform: unknown tier %s (known: %s)' % [params.tier, std.join(', ', std.objectFields(tiers))];
    local values = tiers[params.tier] + defaults + params;
    local ns = values.namespaces;
    local canaryCap = values.canary.maxWeight;

    // Every service gets the tier's replicas, budgets, autoscaling and tracing.
    local serviceCommon = {
      namespace: ns.apps,
      environment: values.environment,
      replicas: values.replicas,
      autoscaling: values.autoscaling,
      disruptionBudget: values.disruptionBudgets,
      tracing: values.tracing { endpoint: 'http://otel-collector.%s:4317' % ns.observability },
    };
    local svc = values.services;
    local orderCanary =
      if svc.order_service.canary == null then null
      else { header: values.canaryHeader } + svc.order_service.canary;

    local etcdCluster = etcd({
      namespace: ns.data,
      members: values.etcd.members,
      storage: values.storage.etcd,
      storageClassName: values.storageClassName,
      disruptionBudget: values.disruptionBudgets,
    });

    local apps = {
      user_service: userService(serviceCommon + svc.user_service + {
        etcdEndpoints: etcdCluster.endpoints,
      }),
      order_service: orderService(serviceCommon + svc.order_service + {
        canary: orderCanary,
        maxWeight: canaryCap,
        analysis: values.canaryAnalysis,
      }),
      gateway: gateway(serviceCommon + svc.gateway + {
        hosts: values.hosts,
        credentialName: values.tlsCredentialName,
      }),
      risk_engine: riskEngine(serviceCommon + svc.risk_engine),
      esign_service: esignService(serviceCommon + svc.esign_service + {
        header: values.canaryHeader,
        maxWeight: canaryCap,
        analysis: values.canaryAnalysis,
      }),
      realtime_cache: realtimeCache(serviceCommon + svc.realtime_cache + {
        storage: values.storage.realtimeCache,
        storageClassName: values.storageClassName,
      }),
    };

    // The canaries the alert rules watch: the Git-driven one when it runs, and the rollout.
    local canaries =
      (if orderCanary != null then [{
         service: 'order-service',
         stableVersion: svc.order_service.version,
         canaryVersion: orderCanary.version,
       }] else [])
      + [{
        service: 'esign-service',
        stableVersion: svc.esign_service.stableVersion,
        canaryVersion: svc.esign_service.version,
      }];

    local obs = values.observability;
    local alertmanagerCluster = alertmanager({
      namespace: ns.observability,
      replicas: obs.alertmanager.replicas,
      storageClassName: values.storageClassName,
      slackChannel: values.alertChannel,
    });

    local namespace(name, labels) =
      k.namespace.new(name)
      + k.meta.withLabels(k.meta.labels(name, values.release, 'namespace') + labels);

    {
      namespaces: syncWaves.annotate({
        apps: namespace(ns.apps, { 'istio-injection': 'enabled' }),
        observability: namespace(ns.observability, {}),
        data: namespace(ns.data, {}),
      }, syncWaves.waves.namespaces),

      data: syncWaves.annotate({
        etcd: etcdCluster,
        tidb: tidb({
          namespace: ns.data,
          pd: values.tidb.pd,
          tikv: values.tidb.tikv,
          tidb: values.tidb.tidb,
          pdStorage: values.storage.pd,
          tikvStorage: values.storage.tikv,
          storageClassName: values.storageClassName,
        }),
        vitess: vitess({
          namespace: ns.data,
          tabletsPerShard: values.vitess.tabletsPerShard,
          vtgateReplicas: values.vitess.vtgateReplicas,
          tabletStorage: values.storage.vttablet,
          storageClassName: values.storageClassName,
          topology+: { address: 'etcd.%s:2379' % ns.data },
        }),
        redis: redis({
          namespace: ns.data,
          storage: values.storage.redis,
          storageClassName: values.storageClassName,
        }),
      }, syncWaves.waves.data),

      observability: syncWaves.annotate({
        prometheus: prometheus({
          namespace: ns.observability,
          replicas: obs.prometheus.replicas,
          retention: obs.prometheus.retention,
          storage: obs.prometheus.storage,
          storageClassName: values.storageClassName,
          externalLabels: { cluster: values.environment, tier: values.tier },
          services: [{ name: apps[s].service.metadata.name, namespace: ns.apps } for s in std.objectFields(apps)],
          annotated: [
            { job: 'observability', namespace: ns.observability },
            { job: 'data', namespace: ns.data },
          ],
          ports: [
            { job: 'pushgateway', namespace: ns.observability, name: 'pushgateway', port: 'http', honorLabels: true },
            { job: 'otel-collector-exporter', namespace: ns.observability, name: 'otel-collector', port: 'exporter', honorLabels: true },
          ],
          alertmanagers: alertmanagerCluster.members,
          rules: alerts({
            canaries: [
              c + values.canaryAnalysis + { namespace: ns.apps }
              for c in canaries
            ],
          }),
        }),
        alertmanager: alertmanagerCluster,
        pushgateway: pushgateway({ namespace: ns.observability, storageClassName: values.storageClassName }),
        loki: loki({
          namespace: ns.observability,
          retention: obs.loki.retention,
          storage: obs.loki.storage,
          storageClassName: values.storageClassName,
        }),
        promtail: promtail({
          namespace: ns.observability,
          lokiURL: 'http://loki.%s:3100/loki/api/v1/push' % ns.observability,
          externalLabels: { cluster: values.environment },
        }),
        otel_collector: otelCollector({
          namespace: ns.observability,
          replicas: obs.collector.replicas,
          samplingRatio: values.tracing.ratio,
          tracesEndpoint: values.tracesEndpoint,
          lokiEndpoint: 'http://loki.%s:3100/otlp' % ns.observability,
          resourceAttributes: { 'k8s.cluster.name': values.environment, 'deployment.environment.name': values.environment },
        }),
        grafana: grafana({
          namespace: ns.observability,
          storageClassName: values.storageClassName,
          rootURL: 'http://grafana.%s:3000/' % ns.observability,
          prometheusURL: 'http://prometheus.%s:9090' % ns.observability,
          lokiURL: 'http://loki.%s:3100' % ns.observability,
          alertmanagerURL: 'http://alertmanager.%s:9093' % ns.observability,
        }),
      }, syncWaves.waves.platform),

      dapr: syncWaves.annotate(dapr({
        namespace: ns.apps,
        redisHost: 'redis.%s:6379' % ns.data,
        poolSize: values.dapr.poolSize,
        minIdleConns: values.dapr.minIdleConns,
        samplingRatio: values.tracing.ratio,
        otelEndpoint: 'otel-collector.%s:4317' % ns.observability,
      }), syncWaves.waves.platform),

      apps: syncWaves.annotate(apps, syncWaves.waves.services),
    },
}
