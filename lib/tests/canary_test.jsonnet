// Tests of istio/canary.libsonnet.
local canary = import 'istio/canary.libsonnet';

local params = {
  name: 'order-service',
  namespace: 'apps',
  stable: 'v1.8',
  canary: { version: 'v1.9', weight: 5, header: { env: 'prod-canary' } },
  maxWeight: 10,
};
local fqdn = 'order-service.apps.svc.cluster.local';
local weights(route) = [d.weight for d in route.route];
local sum(xs) = std.foldl(function(a, b) a + b, xs, 0);

local split = canary(params);
local http = split.virtual_service.spec.http;
local none = canary(params { canary: null });
local rollout = canary(params { controller: 'argo-rollouts', canary+: { weight: 0 } });

{
  pass: {
    header_route_first:
      assert std.length(http) == 2 : 'two routes';
      assert http[0].name == 'canary-header' : 'the header route comes first';
      assert http[0].match == [{ headers: { env: { exact: 'prod-canary' } } }] : 'the header route matches env: prod-canary';
      assert http[0].route == [{ destination: { host: fqdn, subset: 'canary' }, weight: 100 }] : 'testers get the canary only';
      true,

    weights_sum_to_100:
      assert http[1].name == 'primary' : 'the weighted route is primary';
      assert weights(http[1]) == [95, 5] : 'stable 95, canary 5';
      assert std.all([sum(weights(r)) == 100 for r in http]) : 'every route sums to 100';
      true,

    subsets_select_versions:
      local subsets = split.destination_rule.spec.subsets;
      assert subsets == [
        { name: 'stable', labels: { app: 'order-service', version: 'v1.8' } },
        { name: 'canary', labels: { app: 'order-service', version: 'v1.9' } },
      ] : 'one subset per running version';
      assert split.destination_rule.spec.host == fqdn : 'fully qualified host';
      assert std.objectHas(split.destination_rule.spec.trafficPolicy, 'connectionPool') : 'connection pool set';
      assert std.objectHas(split.destination_rule.spec.trafficPolicy, 'outlierDetection') : 'outlier detection set';
      true,

    weight_at_cap_is_allowed:
      local atCap = canary(params { canary+: { weight: 10 } });
      assert weights(atCap.virtual_service.spec.http[1]) == [90, 10] : '90/10 at the cap';
      true,

    no_canary_sends_everything_to_stable:
      assert [r.name for r in none.virtual_service.spec.http] == ['primary'] : 'no header route without a canary';
      assert weights(none.virtual_service.spec.http[0]) == [100] : 'stable takes 100';
      assert [s.name for s in none.destination_rule.spec.subsets] == ['stable'] : 'stable subset only';
      true,

    rollout_controller_keeps_git_at_stable:
      assert [r.name for r in rollout.virtual_service.spec.http] == ['primary'] : 'the controller adds the header route';
      assert weights(rollout.virtual_service.spec.http[0]) == [100, 0] : 'stable 100 / canary 0 in Git';
      assert [s.labels for s in rollout.destination_rule.spec.subsets] == [{ app: 'order-service' }, { app: 'order-service' }] : 'subsets select the app; the controller adds the hash';
      true,
  },

  fail: {
    weight_above_100: { expect: 'is outside 0-100', value:: canary(params { canary+: { weight: 120 }, maxWeight: 200 }).virtual_service },
    negative_weight: { expect: 'is outside 0-100', value:: canary(params { canary+: { weight: -1 } }).virtual_service },
    fractional_weight: { expect: 'weight must be an integer', value:: canary(params { canary+: { weight: 2.5 } }).virtual_service },
    weight_above_tier_cap: { expect: 'exceeds the tier cap 10', value:: canary(params { canary+: { weight: 20 } }).virtual_service },
    same_version: { expect: 'run the same version', value:: canary(params { canary+: { version: 'v1.8' } }).destination_rule },
    no_header: { expect: 'needs at least one header', value:: canary(params { canary+: { header: {} } }).virtual_service },
    rollout_weight_in_git: { expect: 'keeps the canary weight at 0', value:: canary(params { controller: 'argo-rollouts' }).virtual_service },
    missing_stable: { expect: 'must provide stable', value:: canary({ name: 'x', namespace: 'apps' }).destination_rule },
  },
}
