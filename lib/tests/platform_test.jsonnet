// Tests of platform.libsonnet: tier selection and the caps it enforces through the components.
local platform = import 'platform.libsonnet';

local base = { environment: 'test', hosts: ['api.test.kforge.io'] };
local prod = platform.new(base { tier: 'prod', services+: { order_service+: { canary: { version: 'v1.9', weight: 5 } } } });
local dev = platform.new(base { tier: 'dev' });

{
  pass: {
    tier_defaults_apply:
      assert prod.apps.order_service.stable.deployment.spec.replicas == 2 : 'prod replicas';
      assert dev.apps.risk_engine.deployment.spec.replicas == 1 : 'dev replicas';
      assert !std.objectHas(dev.apps.risk_engine, 'hpa') && std.objectHas(prod.apps.risk_engine, 'hpa') : 'autoscalers outside dev';
      assert prod.data.etcd.stateful_set.spec.replicas == 3 && dev.data.etcd.stateful_set.spec.replicas == 1 : 'etcd members';
      true,

    canary_header_follows_the_tier:
      assert prod.apps.order_service.virtual_service.spec.http[0].match[0].headers.env.exact == 'prod-canary' : 'prod-canary';
      true,

    sampling_is_consistent:
      local pod = prod.apps.risk_engine.deployment.spec.template.spec.containers[0];
      local arg = [e.value for e in pod.env if e.name == 'OTEL_TRACES_SAMPLER_ARG'][0];
      assert arg == prod.dapr.tracing_configuration.spec.tracing.samplingRate : 'SDK and Dapr agree';
      true,

    sync_waves:
      local wave(o) = o.metadata.annotations['argocd.argoproj.io/sync-wave'];
      assert wave(prod.namespaces.apps) == '-2' && wave(prod.data.redis.stateful_set) == '-1' : 'namespaces, then data';
      assert wave(prod.observability.loki.stateful_set) == '0' && wave(prod.apps.gateway.deployment) == '1' : 'then observability, then services';
      true,
  },

  fail: {
    unknown_tier: { expect: 'unknown tier qa', value:: platform.new(base { tier: 'qa' }).apps },
    prod_canary_above_cap: {
      expect: 'exceeds the tier cap 10',
      value:: platform.new(base { tier: 'prod', services+: { order_service+: { canary: { version: 'v1.9', weight: 20 } } } }).apps.order_service.virtual_service,
    },
    prod_rollout_above_cap: {
      expect: 'first setWeight 25 exceeds the tier cap 10',
      value:: platform.new(base { tier: 'prod', services+: { esign_service+: { weights: [25, 50] } } }).apps.esign_service.rollout,
    },
  },
}
