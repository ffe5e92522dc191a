// prod: order-service v1.9 is a 5% canary next to stable v1.8 (testers reach it with header
// env: prod-canary); esign-service v2.3 rolls out from v2.2 at 5%, 25%, 50%.
local platform = import 'platform.libsonnet';
local spec = import 'spec.json';

platform.new({
  environment: 'prod',
  tier: spec.metadata.labels.tier,
  hosts: ['api.kforge.io'],
  services+: {
    order_service+: { version: 'v1.8', canary: { version: 'v1.9', weight: 5 } },
    esign_service+: { stableVersion: 'v2.2', version: 'v2.3', weights: [5, 25, 50] },
  },
})
