// esign-service: a plain Go HTTP service on :8080, released by Argo Rollouts. The Rollout
// shifts Istio traffic between the DestinationRule subsets `stable` and `canary` (Git keeps
// them at 100 / 0), opens the header route first, and rolls back on the canary analysis.
local goService = import 'go-service.libsonnet';
local canary = import 'istio/canary.libsonnet';
local k = import 'k8s/k8s.libsonnet';
local analysis = import 'rollouts/analysis.libsonnet';
local rollout = import 'rollouts/rollout.libsonnet';

local defaults = {
  name: 'esign-service',
  component: 'backend',
  workload: 'Rollout',
  // stableVersion: the version running before this rollout; version: the one rolled out.
  stableVersion: error 'must provide stableVersion',
  header: error 'must provide header',
  weights: [5, 25, 50],
  pause: '10m',
  maxWeight: 100,
  analysis: { maxLatencyRatio: 1.2, maxErrorRateDelta: 0.003 },
  resources: k.container.resources('100m', '128Mi', '1', '256Mi'),
};

function(params)
  local c = defaults + params;
  local base = goService(c);
  local traffic = canary({
    name: c.name,
    namespace: c.namespace,
    labels: base.labels(),
    controller: 'argo-rollouts',
    stable: c.stableVersion,
    canary: { version: c.version, weight: 0, header: c.header },
  });
  local checks = analysis(c.analysis {
    service: c.name,
    namespace: c.namespace,
    labels: base.labels(),
    stableVersion: c.stableVersion,
    canaryVersion: c.version,
  });
  base {
    rollout: rollout({
      name: c.name,
      namespace: c.namespace,
      labels: base.labels(),
      selector: base.selector,
      template: base.podTemplate(c.version),
      replicas: c.replicas,
      stableVersion: c.stableVersion,
      canaryVersion: c.version,
      header: c.header,
      weights: c.weights,
      pause: c.pause,
      maxWeight: c.maxWeight,
      analysisTemplate: checks.name,
    }).rollout,
    destination_rule: traffic.destination_rule,
    virtual_service: traffic.virtual_service,
    analysis_template: checks.analysis_template,
    [if c.disruptionBudget then 'pdb']: base.pdbNamed(c.name, c.version, base.selector),
    [if c.autoscaling.enabled then 'hpa']:
      base.hpaNamed(c.name, c.version, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: c.name }),
  }
