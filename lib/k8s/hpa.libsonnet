// HorizontalPodAutoscaler (autoscaling/v2).
local meta = import 'meta.libsonnet';

{
  // new scales target ({apiVersion, kind, name}) between minReplicas and maxReplicas.
  new(name, namespace, target, minReplicas, maxReplicas)::
    meta.namespaced('autoscaling/v2', 'HorizontalPodAutoscaler', name, namespace) + {
      assert minReplicas >= 1 : 'HPA %s: minReplicas must be at least 1' % name,
      assert maxReplicas >= minReplicas : 'HPA %s: maxReplicas below minReplicas' % name,
      spec: {
        scaleTargetRef: target,
        minReplicas: minReplicas,
        maxReplicas: maxReplicas,
        metrics: [],
        behavior: {
          scaleDown: {
            stabilizationWindowSeconds: 300,
            policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
          },
        },
      },
    },

  withCpuUtilization(percent):: {
    spec+: { metrics+: [{
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } },
    }] },
  },
  withMemoryUtilization(percent):: {
    spec+: { metrics+: [{
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: percent } },
    }] },
  },
}
