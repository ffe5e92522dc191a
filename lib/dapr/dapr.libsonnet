// Dapr building blocks of the apps namespace: the Redis state store `redis-store`, the Redis
// pub/sub `order-pubsub` (password by secretKeyRef through the Kubernetes secret store, pool
// settings as strings as Dapr wants them) and the `tracing` Configuration that samples at the
// environment's ratio and exports to the OpenTelemetry Collector.
local format = import 'config/format.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  namespace: error 'must provide namespace',
  version: '1.15',
  redisHost: 'redis.data:6379',
  passwordSecret: { name: 'redis', key: 'password' },
  poolSize: error 'must provide poolSize',
  minIdleConns: error 'must provide minIdleConns',
  scopes: ['order-service'],
  samplingRatio: error 'must provide samplingRatio',
  otelEndpoint: 'otel-collector.observability:4317',
  // maxLenApprox bounds each Redis stream so an idle consumer cannot exhaust Redis memory.
  maxLenApprox: 100000,
};

function(params)
  local c = defaults + params;
  assert c.minIdleConns >= 1 && c.minIdleConns <= c.poolSize : 'dapr: minIdleConns must be in [1, poolSize]';
  assert c.samplingRatio >= 0 && c.samplingRatio <= 1 : 'dapr: samplingRatio must be in [0, 1]';
  local labels(name, component) = k.meta.labels(name, c.version, component, name);
  local redisMetadata = [
    { name: 'redisHost', value: c.redisHost },
    { name: 'redisPassword', secretKeyRef: c.passwordSecret },
    { name: 'poolSize', value: format.decimal(c.poolSize) },
    { name: 'minIdleConns', value: format.decimal(c.minIdleConns) },
    { name: 'dialTimeout', value: '5s' },
    { name: 'readTimeout', value: '3s' },
    { name: 'writeTimeout', value: '3s' },
  ];
  local component(name, type, metadata) =
    k.meta.namespaced('dapr.io/v1alpha1', 'Component', name, c.namespace)
    + k.meta.withLabels(labels(name, 'dapr-component')) + {
      spec: { type: type, version: 'v1', metadata: metadata },
      auth: { secretStore: 'kubernetes' },
      scopes: c.scopes,
    };
  {
    _config:: c,

    state_store: component('redis-store', 'state.redis', redisMetadata + [
      { name: 'keyPrefix', value: 'appid' },
    ]),

    pubsub: component('order-pubsub', 'pubsub.redis', redisMetadata + [
      { name: 'maxLenApprox', value: format.decimal(c.maxLenApprox) },
      { name: 'processingTimeout', value: '60s' },
      { name: 'redeliverInterval', value: '15s' },
      { name: 'concurrency', value: '10' },
    ]),

    tracing_configuration:
      k.meta.namespaced('dapr.io/v1alpha1', 'Configuration', 'tracing', c.namespace)
      + k.meta.withLabels(labels('tracing', 'dapr-configuration')) + {
        spec: {
          tracing: {
            samplingRate: format.decimal(c.samplingRatio),
            otel: { endpointAddress: c.otelEndpoint, isSecure: false, protocol: 'grpc' },
          },
          metric: { enabled: true },
        },
      },
  }
