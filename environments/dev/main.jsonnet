// dev: one replica of everything, single-member Raft groups, every trace kept. Dev runs the
// next order-service version outright, without a canary.
local platform = import 'platform.libsonnet';
local spec = import 'spec.json';

platform.new({
  environment: 'dev',
  tier: spec.metadata.labels.tier,
  hosts: ['api.dev.kforge.io'],
  services+: {
    order_service+: { version: 'v1.9', canary: null },
  },
})
