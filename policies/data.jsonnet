// The data of the built-in policies. policies/data.json is generated from this file by
// `make generate` (go run ./hack/policydata) and must not be edited by hand; a test fails when
// it is stale. The tier limits come from the tier table the platform renders with
// (lib/config/tiers.libsonnet), so a policy holds each tier to the numbers its environments are
// built from; policies/README.md describes every key.
local format = import 'config/format.libsonnet';
local tiers = import 'config/tiers.libsonnet';

// limits turns one row of the tier table into the limits the policies read.
local limits(row) = {
  canary_cap: row.canary.maxWeight,
  canary_first_step_cap: row.limits.canaryFirstStep,
  canary_max_weight_step: row.limits.canaryWeightStep,
  sampling_ratio: row.tracing.ratio,
  sampling_cap: row.limits.maxSamplingRatio,
  sampling_require_parent_based: row.limits.parentBasedSampling,
  // As the collector's configuration renders it (observability/otel-collector.libsonnet).
  collector_sampling_percentage: std.parseJson(format.decimal(row.tracing.ratio * 100)),
  dapr_min_idle_conns: row.dapr.minIdleConns,
  raft_min_members: row.limits.raftMinMembers,
  raft_require_odd: row.limits.raftOddMembers,
  // Read by kforge, not by a rule: hygiene rules are errors, not warnings, in this tier.
  strict_hygiene: row.limits.strictHygiene,
};

{
  kforge: {
    default_tier: 'prod',
    tiers: { [name]: limits(tiers[name]) for name in std.objectFields(tiers) },
    settings: {
      canary: {
        canary_subsets: ['canary'],
        latency_metric_pattern: '(?i)latency',
        error_rate_metric_pattern: '(?i)error',
        latency_ratio: { above: 1.0, max: 1.5 },
        error_rate_delta: { above: 0, max: 0.01 },
      },
      dapr: {
        secret_name_pattern: '(?i)(passw(or)?d|secret|token|credential|apikey|api_key|accesskey|access_key|privatekey|private_key|key$)',
        pooled_component_type_pattern: '^(state|pubsub|lock|configuration)\\.redis$',
      },
      observability: {
        high_cardinality_labels: ['trace_id', 'span_id', 'traceID', 'spanID', 'traceid', 'spanid', 'user_id', 'userID', 'request_id', 'requestID', 'ip', 'client_ip', 'pod', 'pod_name', 'pod_ip'],
        high_cardinality_sources: ['__meta_kubernetes_pod_ip', '__meta_kubernetes_pod_name', '__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_id'],
        loki_max_chunk_age: '2h',
        loki_defaults: { chunk_idle_period: '30m', max_chunk_age: '2h' },
      },
      kubernetes: {
        required_labels: ['app.kubernetes.io/name', 'app.kubernetes.io/version'],
        recommended_labels: ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'],
        required_resources: { requests: ['cpu', 'memory'], limits: ['memory'] },
        allow_plaintext_secret_annotation: 'kforge.dev/allow-plaintext-secret',
        cluster_scoped_kinds: [
          'APIService',
          'CSIDriver',
          'CSINode',
          'CertificateSigningRequest',
          'ClusterAnalysisTemplate',
          'ClusterIssuer',
          'ClusterRole',
          'ClusterRoleBinding',
          'ClusterSecretStore',
          'ComponentStatus',
          'CustomResourceDefinition',
          'FlowSchema',
          'IngressClass',
          'MutatingWebhookConfiguration',
          'Namespace',
          'Node',
          'PersistentVolume',
          'PriorityClass',
          'PriorityLevelConfiguration',
          'RuntimeClass',
          'StorageClass',
          'ValidatingAdmissionPolicy',
          'ValidatingAdmissionPolicyBinding',
          'ValidatingWebhookConfiguration',
          'VolumeAttachment',
          'VolumeSnapshotClass',
        ],
      },
    },
  },
}
