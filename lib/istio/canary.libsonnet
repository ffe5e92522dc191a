// Canary traffic split for one service: a DestinationRule with one subset per running version
// and a VirtualService whose header-matched route (first) sends testers to the canary while the
// default route `primary` splits the rest by weight.
//
// Two controllers own the weights:
// - 'git': the weights are data; each promotion step is a change of `canary.weight`.
// - 'argo-rollouts': an Argo Rollout rewrites the weights and adds the header route at run
//   time; Git keeps stable 100 / canary 0 and subsets that select the app only (the
//   controller adds the pod-template hash).
local meta = import 'k8s/meta.libsonnet';
local defaultTrafficPolicy = import 'traffic-policy.libsonnet';

local defaults = {
  name: error 'must provide name',
  namespace: error 'must provide namespace',
  // labels: the recommended labels of the objects.
  labels: {},
  clusterDomain: 'cluster.local',
  controller: 'git',
  // stable: the version serving the default route.
  stable: error 'must provide stable',
  // canary: null, or {version, weight, header: {<header>: <exact value>}}.
  canary: null,
  // maxWeight: the tier's canary cap.
  maxWeight: 100,
  trafficPolicy: defaultTrafficPolicy,
  timeout: '15s',
  retries: { attempts: 2, perTryTimeout: '5s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled' },
};

function(params) {
  local this = self,
  _config:: defaults + params,
  local c = self._config,

  assert std.member(['git', 'argo-rollouts'], c.controller) : 'canary %s: controller must be git or argo-rollouts' % c.name,
  assert c.canary == null || std.isNumber(c.canary.weight) : 'canary %s: weight must be a number' % c.name,
  assert c.canary == null || (c.canary.weight >= 0 && c.canary.weight <= 100) : 'canary %s: weight %s is outside 0-100' % [c.name, c.canary.weight],
  assert c.canary == null || c.canary.weight == std.floor(c.canary.weight) : 'canary %s: weight must be an integer' % c.name,
  assert c.canary == null || c.canary.weight <= c.maxWeight : 'canary %s: weight %d exceeds the tier cap %d' % [c.name, c.canary.weight, c.maxWeight],
  assert c.canary == null || c.canary.version != c.stable : 'canary %s: canary and stable run the same version %s' % [c.name, c.stable],
  assert c.canary == null || std.length(std.objectFields(c.canary.header)) > 0 : 'canary %s: the header route needs at least one header' % c.name,
  assert c.controller == 'git' || (c.canary != null && c.canary.weight == 0) : 'canary %s: under argo-rollouts Git keeps the canary weight at 0' % c.name,

  // host is the service's fully qualified name, used by both objects.
  host:: '%s.%s.svc.%s' % [c.name, c.namespace, c.clusterDomain],

  subsetLabels(version):: { app: c.name } + (if c.controller == 'git' then { version: version } else {}),
  destination(subset, weight):: { destination: { host: this.host, subset: subset }, weight: weight },
  headerRoute:: {
    name: 'canary-header',
    match: [{ headers: { [h]: { exact: c.canary.header[h] } for h in std.objectFields(c.canary.header) } }],
    route: [this.destination('canary', 100)],
    timeout: c.timeout,
    retries: c.retries,
  },
  primaryRoute:: {
    name: 'primary',
    route:
      if c.canary == null then [this.destination('stable', 100)]
      else [this.destination('stable', 100 - c.canary.weight), this.destination('canary', c.canary.weight)],
    timeout: c.timeout,
    retries: c.retries,
  },

  destination_rule:
    meta.namespaced('networking.istio.io/v1', 'DestinationRule', c.name, c.namespace)
    + meta.withLabels(c.labels) + {
      spec: {
        host: this.host,
        trafficPolicy: c.trafficPolicy,
        subsets: [{ name: 'stable', labels: this.subsetLabels(c.stable) }]
                 + (if c.canary != null then [{ name: 'canary', labels: this.subsetLabels(c.canary.version) }] else []),
      },
    },

  virtual_service:
    meta.namespaced('networking.istio.io/v1', 'VirtualService', c.name, c.namespace)
    + meta.withLabels(c.labels) + {
      spec: {
        hosts: [this.host],
        http:
          (if c.canary != null && c.controller == 'git' then [this.headerRoute] else [])
          + [this.primaryRoute],
      },
    },
}
