// staging: order-service v1.9 takes 20% of the traffic (tier cap 50), esign-service rolls out
// in larger steps than prod.
local platform = import 'platform.libsonnet';
local spec = import 'spec.json';

platform.new({
  environment: 'staging',
  tier: spec.metadata.labels.tier,
  hosts: ['api.staging.kforge.io'],
  services+: {
    order_service+: { version: 'v1.8', canary: { version: 'v1.9', weight: 20 } },
    esign_service+: { weights: [20, 50, 80] },
  },
})
