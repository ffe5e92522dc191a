// Deployment (apps/v1).
local meta = import 'meta.libsonnet';

{
  // new builds a Deployment whose pod template carries the selector labels.
  new(name, namespace, selector, containers)::
    meta.namespaced('apps/v1', 'Deployment', name, namespace) + {
      spec: {
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: { containers: containers },
        },
      },
    },

  withReplicas(replicas):: {
    assert replicas >= 0 : 'replicas must not be negative',
    spec+: { replicas: replicas },
  },
  // withRollingUpdate keeps full capacity during a rollout by default.
  withRollingUpdate(maxSurge='25%', maxUnavailable=0):: {
    spec+: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: maxSurge, maxUnavailable: maxUnavailable } } },
  },
  // withRecreate is for single-replica workloads holding a ReadWriteOnce volume.
  withRecreate():: { spec+: { strategy: { type: 'Recreate' } } },
}
