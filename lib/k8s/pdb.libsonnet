// PodDisruptionBudget (policy/v1).
local meta = import 'meta.libsonnet';

{
  new(name, namespace, selector)::
    meta.namespaced('policy/v1', 'PodDisruptionBudget', name, namespace) + {
      spec: {
        selector: { matchLabels: selector },
        // Evict pods that are not ready even when the budget is exhausted, so a broken
        // rollout never blocks a node drain.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    },

  withMaxUnavailable(n):: { spec+: { maxUnavailable: n } },
  withMinAvailable(n):: { spec+: { minAvailable: n } },
}
