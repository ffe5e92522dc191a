// DaemonSet (apps/v1).
local meta = import 'meta.libsonnet';

{
  new(name, namespace, selector, containers)::
    meta.namespaced('apps/v1', 'DaemonSet', name, namespace) + {
      spec: {
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: { containers: containers },
        },
      },
    },

  withRollingUpdate(maxUnavailable='10%'):: {
    spec+: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: maxUnavailable } } },
  },
}
