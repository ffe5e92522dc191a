// Tests of config/: the tier table, image pins and number formatting.
local format = import 'config/format.libsonnet';
local images = import 'config/images.libsonnet';
local tiers = import 'config/tiers.libsonnet';

local imageFile = import 'config/images.json';
local allImages =
  [imageFile.platform[n] for n in std.objectFields(imageFile.platform)]
  + std.flattenArrays([
    [imageFile.services[s][v] for v in std.objectFields(imageFile.services[s])]
    for s in std.objectFields(imageFile.services)
  ]);

{
  pass: {
    tiers_have_the_same_rows:
      local keys = std.objectFields(tiers.dev);
      assert std.objectFields(tiers) == ['dev', 'prod', 'staging'] : 'three tiers';
      assert std.all([std.objectFields(tiers[t]) == keys for t in std.objectFields(tiers)]) : 'every tier sets every value';
      true,

    tier_values:
      assert [tiers[t].tracing.ratio for t in ['dev', 'staging', 'prod']] == [1.0, 0.5, 0.1] : 'sampling ratios';
      assert [tiers[t].canary.maxWeight for t in ['dev', 'staging', 'prod']] == [100, 50, 10] : 'canary caps';
      assert [tiers[t].replicas for t in ['dev', 'staging', 'prod']] == [1, 2, 2] : 'replicas';
      assert [tiers[t].etcd.members for t in ['dev', 'staging', 'prod']] == [1, 3, 3] : 'etcd members';
      assert tiers.prod.tidb == { pd: 3, tikv: 3, tidb: 2 } && tiers.staging.tidb == tiers.prod.tidb : 'TiDB 3/3/2';
      assert tiers.dev.tidb == { pd: 1, tikv: 1, tidb: 1 } : 'TiDB 1/1/1 in dev';
      assert [tiers[t].dapr.minIdleConns for t in ['dev', 'staging', 'prod']] == [1, 5, 10] : 'pool minimums';
      assert !tiers.dev.disruptionBudgets && tiers.staging.disruptionBudgets && tiers.prod.disruptionBudgets : 'budgets outside dev';
      assert std.all([tiers[t].tracing.sampler == 'parentbased_traceidratio' for t in std.objectFields(tiers)]) : 'parent-based sampler';
      true,

    raft_groups_are_odd:
      assert std.all([tiers[t].etcd.members % 2 == 1 && tiers[t].tidb.pd % 2 == 1 for t in std.objectFields(tiers)]) : 'odd members';
      true,

    every_image_is_pinned:
      assert std.length(allImages) > 10 : 'images found';
      assert std.all([std.length(std.split(std.split(i, '/')[std.length(std.split(i, '/')) - 1], ':')) == 2 for i in allImages]) : 'every image has a tag';
      assert std.all([images.tag(i) != 'latest' for i in allImages]) : 'no latest tag';
      true,

    image_lookup:
      assert images.service('order-service', 'v1.9') == 'ghcr.io/kforge/order-service:v1.9.0' : 'service image';
      assert images.tag('quay.io/prometheus/prometheus:v3.5.0') == 'v3.5.0' : 'tag';
      assert images.repository('docker.io/pingcap/pd:v8.5.1') == 'docker.io/pingcap/pd' : 'repository';
      true,

    decimals:
      assert [format.decimal(x) for x in [0.1, 0.5, 1.0, 0.003, 1.2, 5000, 10]] == ['0.1', '0.5', '1', '0.003', '1.2', '5000', '10'] : 'shortest decimals';
      true,

    durations:
      assert std.all([format.isPositiveDuration(d) for d in ['1s', '30s', '60s', '250ms', '5m', '1h']]) : 'valid durations';
      assert std.all([!format.isPositiveDuration(d) for d in ['0s', '-1s', 's', '', '1.5s', '10x']]) : 'invalid durations';
      true,
  },

  fail: {
    unknown_service_image: { expect: 'images.json has no service billing', value:: images.service('billing', 'v1.0') },
    unknown_version: { expect: 'no image of order-service at version v0.1', value:: images.service('order-service', 'v0.1') },
  },
}
