// order-service: Gin REST API on :8080 wired with Wire, with a Dapr sidecar (state store
// `redis-store`, pub/sub `order-pubsub`) and its TiDB DSN read from a Secret reference.
// It is the Git-driven canary: one Deployment per running version (`order-service-v1-8`,
// `order-service-v1-9`) behind one Service, a DestinationRule with a subset per version, a
// VirtualService with the header route first and the weighted default route, and the
// canary's rollback analysis.
local goService = import 'go-service.libsonnet';
local canary = import 'istio/canary.libsonnet';
local k = import 'k8s/k8s.libsonnet';
local analysis = import 'rollouts/analysis.libsonnet';

local defaults = {
  name: 'order-service',
  component: 'api',
  workload: 'versioned',
  // canary: null, or {version, weight, header: {env: '<tier>-canary'}}.
  canary: null,
  // maxWeight: the tier's canary cap.
  maxWeight: 100,
  analysis: { maxLatencyRatio: 1.2, maxErrorRateDelta: 0.003 },
  dsnSecret: { name: 'order-service-tidb', key: 'dsn' },
  dapr: {
    appId: 'order-service',
    config: 'tracing',
    stateStore: 'redis-store',
    pubsub: 'order-pubsub',
    topic: 'orders',
    sidecarResources: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  },
  resources: k.container.resources('200m', '256Mi', '1', '512Mi'),
};

function(params)
  local c = defaults + params;
  local base = goService(c {
    ports: [{ name: 'http', port: 8080 }],
    env: {
      GIN_MODE: 'release',
      DAPR_STATE_STORE: c.dapr.stateStore,
      DAPR_PUBSUB: c.dapr.pubsub,
      DAPR_TOPIC: c.dapr.topic,
    },
    secretEnv: [{ name: 'TIDB_DSN', secret: c.dsnSecret.name, key: c.dsnSecret.key }],
    podAnnotations: {
      'dapr.io/enabled': 'true',
      'dapr.io/app-id': c.dapr.appId,
      'dapr.io/app-port': '8080',
      'dapr.io/app-protocol': 'http',
      'dapr.io/config': c.dapr.config,
      'dapr.io/enable-metrics': 'true',
      'dapr.io/metrics-port': '9090',
      'dapr.io/log-as-json': 'true',
      'dapr.io/sidecar-cpu-request': c.dapr.sidecarResources.cpuRequest,
      'dapr.io/sidecar-memory-request': c.dapr.sidecarResources.memoryRequest,
      'dapr.io/sidecar-cpu-limit': c.dapr.sidecarResources.cpuLimit,
      'dapr.io/sidecar-memory-limit': c.dapr.sidecarResources.memoryLimit,
    },
  });
  local traffic = canary({
    name: c.name,
    namespace: c.namespace,
    labels: base.labels(),
    stable: c.version,
    canary: c.canary,
    maxWeight: c.maxWeight,
  });
  base {
    stable: base.track(c.version),
    [if c.canary != null then 'canary']: base.track(c.canary.version),
    destination_rule: traffic.destination_rule,
    virtual_service: traffic.virtual_service,
    [if c.canary != null then 'analysis_template']: analysis(c.analysis {
      service: c.name,
      namespace: c.namespace,
      labels: base.labels(),
      stableVersion: c.version,
      canaryVersion: c.canary.version,
    }).analysis_template,
  }
