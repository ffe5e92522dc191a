// Argo Rollouts `Rollout` with Istio subset-level traffic routing: the controller moves weight
// between the DestinationRule's stable and canary subsets on the VirtualService route
// `primary`, first opens a header route for testers, and runs the canary analysis both as a
// step and in the background, rolling back when it fails.
local meta = import 'k8s/meta.libsonnet';

local defaults = {
  name: error 'must provide name',
  namespace: error 'must provide namespace',
  labels: {},
  selector: error 'must provide selector',
  // template: the pod template ({metadata, spec}).
  template: error 'must provide template',
  replicas: error 'must provide replicas',
  stableVersion: error 'must provide stableVersion',
  canaryVersion: error 'must provide canaryVersion',
  // header: {<header>: <exact value>} that routes testers to the canary from the first step.
  header: error 'must provide header',
  // weights: the setWeight steps, each followed by a pause; analysis runs after the first.
  weights: [5, 25, 50],
  pause: '10m',
  maxWeight: 100,
  analysisTemplate: error 'must provide analysisTemplate',
  virtualService: self.name,
  destinationRule: self.name,
  route: 'primary',
  headerRoute: 'canary-header',
};

function(params) {
  _config:: defaults + params,
  local c = self._config,

  assert std.length(c.weights) > 0 : 'rollout %s needs at least one setWeight step' % c.name,
  assert std.all([w >= 0 && w <= 100 && w == std.floor(w) for w in c.weights]) : 'rollout %s: weights must be integers in 0-100' % c.name,
  assert c.weights[0] <= c.maxWeight : 'rollout %s: first setWeight %d exceeds the tier cap %d' % [c.name, c.weights[0], c.maxWeight],
  assert std.sort(c.weights) == c.weights : 'rollout %s: weights must not decrease' % c.name,
  assert c.stableVersion != c.canaryVersion : 'rollout %s: stable and canary are the same version' % c.name,

  local analysis = {
    templates: [{ templateName: c.analysisTemplate }],
    args: [
      { name: 'stable-version', value: c.stableVersion },
      { name: 'canary-version', value: c.canaryVersion },
    ],
  },
  local weightSteps(i) =
    [{ setWeight: c.weights[i] }, { pause: { duration: c.pause } }]
    + (if i == 0 then [{ analysis: analysis }] else []),

  rollout:
    meta.namespaced('argoproj.io/v1alpha1', 'Rollout', c.name, c.namespace)
    + meta.withLabels(c.labels) + {
      spec: {
        replicas: c.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: c.selector },
        template: c.template,
        strategy: {
          canary: {
            trafficRouting: {
              istio: {
                virtualService: { name: c.virtualService, routes: [c.route] },
                destinationRule: { name: c.destinationRule, canarySubsetName: 'canary', stableSubsetName: 'stable' },
              },
              managedRoutes: [{ name: c.headerRoute }],
            },
            abortScaleDownDelaySeconds: 30,
            analysis: analysis { startingStep: 1 },
            steps: [{
              setHeaderRoute: {
                name: c.headerRoute,
                match: [{ headerName: h, headerValue: { exact: c.header[h] } } for h in std.objectFields(c.header)],
              },
            }] + std.flattenArrays([weightSteps(i) for i in std.range(0, std.length(c.weights) - 1)]),
          },
        },
      },
    },
}
