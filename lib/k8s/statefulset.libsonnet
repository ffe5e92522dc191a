// StatefulSet (apps/v1) and its volume claim templates.
local meta = import 'meta.libsonnet';

{
  // new builds a StatefulSet governed by the headless Service serviceName.
  new(name, namespace, serviceName, selector, containers)::
    meta.namespaced('apps/v1', 'StatefulSet', name, namespace) + {
      spec: {
        serviceName: serviceName,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: { containers: containers },
        },
        updateStrategy: { type: 'RollingUpdate' },
      },
    },

  withReplicas(replicas):: {
    assert replicas >= 0 : 'replicas must not be negative',
    spec+: { replicas: replicas },
  },
  // withParallelPodManagement starts all members at once (clusters that bootstrap together).
  withParallelPodManagement():: { spec+: { podManagementPolicy: 'Parallel' } },
  // withRetainedVolumes keeps claims when the set is scaled down or deleted.
  withRetainedVolumes():: {
    spec+: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } },
  },
  withVolumeClaimTemplates(templates):: { spec+: { volumeClaimTemplates+: templates } },

  volumeClaimTemplate(name, size, storageClassName=null, accessModes=['ReadWriteOnce']):: {
    metadata: { name: name },
    spec: {
      accessModes: accessModes,
      [if storageClassName != null then 'storageClassName']: storageClassName,
      resources: { requests: { storage: size } },
    },
  },
}
