// Tests of services/: the shared Go service shape and the service-specific configuration.
local gateway = import 'services/gateway.libsonnet';
local orderService = import 'services/order-service.libsonnet';
local realtimeCache = import 'services/realtime-cache.libsonnet';
local riskEngine = import 'services/risk-engine.libsonnet';
local userService = import 'services/user-service.libsonnet';

local common = {
  namespace: 'apps',
  environment: 'prod',
  replicas: 2,
  autoscaling: { enabled: true, maxReplicas: 10, cpuUtilization: 70 },
  disruptionBudget: true,
  tracing: { sampler: 'parentbased_traceidratio', ratio: 0.1, endpoint: 'http://otel-collector.observability:4317' },
};
local env(container) = { [e.name]: e for e in container.env };

local users = userService(common { version: 'v2.4', etcdEndpoints: ['etcd-0.etcd.data:2379'] });
local orders = orderService(common {
  version: 'v1.8',
  canary: { version: 'v1.9', weight: 5, header: { env: 'prod-canary' } },
  maxWeight: 10,
});
local orderPod = orders.stable.deployment.spec.template;
local risk = riskEngine(common { version: 'v1.12' });
local cache = realtimeCache(common { version: 'v0.9', storage: '10Gi' });
local edge = gateway(common { version: 'v3.1', hosts: ['api.kforge.io'] });

{
  pass: {
    otel_environment:
      local e = env(users.deployment.spec.template.spec.containers[0]);
      assert e.OTEL_SERVICE_NAME.value == 'user-service' : 'service name';
      assert e.OTEL_EXPORTER_OTLP_ENDPOINT.value == 'http://otel-collector.observability:4317' : 'collector endpoint';
      assert e.OTEL_TRACES_SAMPLER.value == 'parentbased_traceidratio' : 'sampler';
      assert e.OTEL_TRACES_SAMPLER_ARG.value == '0.1' : 'ratio as a string';
      true,

    kratos_config:
      local config = std.parseYaml(users.config_map.data['config.yaml']);
      assert config.server.http.addr == '0.0.0.0:8000' && config.server.grpc.addr == '0.0.0.0:9000' : 'server addresses';
      assert config.registry.etcd.endpoints == ['etcd-0.etcd.data:2379'] : 'etcd registry';
      assert config.middleware.sentinel.rules[0] == { resource: 'user.GetByID', threshold: 100, controlBehavior: 'Reject' } : 'GetByID at 100 QPS';
      true,

    versioned_deployments:
      assert orders.stable.deployment.metadata.name == 'order-service-v1-8' : 'stable deployment';
      assert orders.canary.deployment.metadata.name == 'order-service-v1-9' : 'canary deployment';
      assert orderPod.metadata.labels.version == 'v1.8' && orderPod.metadata.labels.app == 'order-service' : 'Istio labels';
      assert orders.stable.hpa.spec.minReplicas == 2 : 'HPA min 2';
      assert orders.virtual_service.spec.http[0].name == 'canary-header' : 'header route first';
      true,

    dapr_and_secret_dsn:
      local annotations = orderPod.metadata.annotations;
      assert annotations['dapr.io/enabled'] == 'true' && annotations['dapr.io/app-id'] == 'order-service' : 'Dapr sidecar';
      assert annotations['dapr.io/app-port'] == '8080' && annotations['dapr.io/config'] == 'tracing' : 'Dapr app port and config';
      assert env(orderPod.spec.containers[0]).TIDB_DSN == {
        name: 'TIDB_DSN',
        valueFrom: { secretKeyRef: { name: 'order-service-tidb', key: 'dsn' } },
      } : 'DSN by Secret reference';
      true,

    gokit_config:
      local config = std.parseYaml(risk.config_map.data['config.yaml']);
      assert config.endpoints.score.circuitBreaker == { maxRequests: 5, interval: '60s', timeout: '30s', failureRatio: 0.6 } : 'breaker';
      assert config.endpoints.score.rateLimiter == { qps: 200, burst: 50 } : 'limiter';
      assert config.endpoints.evaluate.rateLimiter.qps == 100 : 'endpoint override';
      assert config.endpoints.score.instrumenting == { namespace: 'risk', subsystem: 'engine', enabled: true } : 'instrumenting';
      true,

    gateway_timeouts_and_routes:
      local config = std.parseYaml(edge.config_map.data['config.yaml']);
      assert config.server.http2 && config.server.addr == ':8443' : 'h2 on 8443';
      assert [config.server.readTimeout, config.server.writeTimeout, config.server.idleTimeout] == ['30s', '30s', '60s'] : 'timeouts';
      assert [r.prefix for r in config.routes] == ['/api/', '/v1/'] : 'routes';
      assert config.routes[1].handler == 'grpc-gateway' : '/v1/ through grpc-gateway';
      assert edge.istio_gateway.metadata.name == 'public-gateway' : 'Istio Gateway';
      assert edge.virtual_service.spec.gateways == ['public-gateway'] : 'bound to the gateway';
      true,

    badger_statefulset:
      local config = std.parseYaml(cache.config_map.data['config.yaml']);
      assert config.badger.syncWrites : 'sync writes';
      assert cache.stateful_set.spec.volumeClaimTemplates[0].spec.resources.requests.storage == '10Gi' : 'PVC';
      assert cache.hpa.spec.scaleTargetRef.kind == 'StatefulSet' : 'HPA on the StatefulSet';
      true,
  },

  fail: {
    warmup_without_period: {
      expect: 'WarmUp rules a positive warmUpPeriodSec',
      value:: userService(common {
        version: 'v2.4',
        etcdEndpoints: ['etcd-0.etcd.data:2379'],
        sentinelRules: [{ resource: 'user.GetByID', threshold: 100, controlBehavior: 'WarmUp' }],
      }).config_map,
    },
    zero_threshold: {
      expect: 'positive threshold',
      value:: userService(common {
        version: 'v2.4',
        etcdEndpoints: ['etcd-0.etcd.data:2379'],
        sentinelRules: [{ resource: 'user.GetByID', threshold: 0 }],
      }).config_map,
    },
    failure_ratio_zero: {
      expect: 'failureRatio in (0, 1]',
      value:: riskEngine(common { version: 'v1.12', middleware+: { circuitBreaker+: { failureRatio: 0 } } }).config_map,
    },
    rate_limiter_without_burst: {
      expect: 'burst >= 1',
      value:: riskEngine(common { version: 'v1.12', endpoints: { score: { rateLimiter+: { burst: 0 } } } }).config_map,
    },
    bad_breaker_interval: {
      expect: 'positive durations',
      value:: riskEngine(common { version: 'v1.12', middleware+: { circuitBreaker+: { interval: '0s' } } }).config_map,
    },
    badger_without_sync_writes: {
      expect: 'keeps Badger sync writes on',
      value:: realtimeCache(common { version: 'v0.9', storage: '10Gi', badger+: { syncWrites: false } }).stateful_set,
    },
    unknown_version: {
      expect: 'no image of order-service at version v9.9',
      value:: orderService(common { version: 'v9.9' }).stable.deployment.spec.template.spec.containers[0].image,
    },
    autoscaler_below_replicas: {
      expect: 'autoscaling.maxReplicas below replicas',
      value:: riskEngine(common { version: 'v1.12', replicas: 3, autoscaling+: { maxReplicas: 2 } }).deployment,
    },
  },
}
