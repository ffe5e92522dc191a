// Tests of rollouts/rollout.libsonnet and rollouts/analysis.libsonnet.
local analysis = import 'rollouts/analysis.libsonnet';
local rollout = import 'rollouts/rollout.libsonnet';

local params = {
  name: 'esign-service',
  namespace: 'apps',
  selector: { 'app.kubernetes.io/name': 'esign-service' },
  template: { metadata: { labels: { app: 'esign-service', version: 'v2.3' } }, spec: { containers: [] } },
  replicas: 2,
  stableVersion: 'v2.2',
  canaryVersion: 'v2.3',
  header: { env: 'prod-canary' },
  maxWeight: 10,
  analysisTemplate: 'esign-service-canary-analysis',
};
local canary = rollout(params).rollout.spec.strategy.canary;
local checks = analysis({ service: 'esign-service', namespace: 'apps', stableVersion: 'v2.2', canaryVersion: 'v2.3' });
local metrics = { [m.name]: m for m in checks.analysis_template.spec.metrics };

{
  pass: {
    steps_in_order:
      assert std.objectFields(canary.steps[0]) == ['setHeaderRoute'] : 'the header route opens first';
      assert canary.steps[0].setHeaderRoute.match == [{ headerName: 'env', headerValue: { exact: 'prod-canary' } }] : 'header env: prod-canary';
      assert canary.steps[1] == { setWeight: 5 } : 'first weight 5';
      assert canary.steps[2] == { pause: { duration: '10m' } } : 'then a pause';
      assert std.objectFields(canary.steps[3]) == ['analysis'] : 'then the analysis';
      assert [s.setWeight for s in canary.steps if std.objectHas(s, 'setWeight')] == [5, 25, 50] : 'weights 5, 25, 50';
      true,

    istio_traffic_routing:
      assert canary.trafficRouting.istio.virtualService == { name: 'esign-service', routes: ['primary'] } : 'route primary';
      assert canary.trafficRouting.istio.destinationRule.canarySubsetName == 'canary' : 'canary subset';
      assert canary.trafficRouting.istio.destinationRule.stableSubsetName == 'stable' : 'stable subset';
      assert canary.trafficRouting.managedRoutes == [{ name: 'canary-header' }] : 'the header route is managed';
      true,

    background_analysis:
      assert canary.analysis.templates == [{ templateName: 'esign-service-canary-analysis' }] : 'background analysis template';
      assert canary.analysis.startingStep == 1 : 'starts with the first weight';
      true,

    analysis_thresholds:
      assert checks.analysis_template.metadata.name == 'esign-service-canary-analysis' : 'template name';
      assert metrics['latency-p95-ratio'].successCondition == 'result[0] <= 1.2' : 'latency success';
      assert metrics['latency-p95-ratio'].failureCondition == 'result[0] > 1.2' : 'latency failure';
      assert metrics['error-rate-delta'].successCondition == 'result[0] <= 0.003' : 'error success';
      assert metrics['error-rate-delta'].failureCondition == 'result[0] > 0.003' : 'error failure';
      assert metrics['latency-p95-ratio'].provider.prometheus.address == 'http://prometheus.observability:9090' : 'prometheus address';
      true,
  },

  fail: {
    first_weight_above_cap: { expect: 'first setWeight 20 exceeds the tier cap 10', value:: rollout(params { weights: [20, 50] }).rollout },
    decreasing_weights: { expect: 'weights must not decrease', value:: rollout(params { weights: [5, 50, 25] }).rollout },
    weight_above_100: { expect: 'weights must be integers in 0-100', value:: rollout(params { maxWeight: 100, weights: [5, 150] }).rollout },
    same_versions: { expect: 'stable and canary are the same version', value:: rollout(params { canaryVersion: 'v2.2' }).rollout },
    latency_ratio_too_lax: { expect: 'outside (1.0, 1.5]', value:: analysis(checks._config { maxLatencyRatio: 1.6 }).analysis_template },
    latency_ratio_not_a_regression: { expect: 'outside (1.0, 1.5]', value:: analysis(checks._config { maxLatencyRatio: 1.0 }).analysis_template },
    error_delta_too_lax: { expect: 'outside (0, 0.01]', value:: analysis(checks._config { maxErrorRateDelta: 0.02 }).analysis_template },
  },
}
