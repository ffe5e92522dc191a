// kforge's constructor library for the core Kubernetes kinds the platform uses:
// `new(...)` builds an object, `withX(...)` mixins refine it with `+`.
{
  meta: import 'meta.libsonnet',
  container: import 'container.libsonnet',
  probe: import 'probe.libsonnet',
  pod: import 'pod.libsonnet',
  deployment: import 'deployment.libsonnet',
  statefulSet: import 'statefulset.libsonnet',
  daemonSet: import 'daemonset.libsonnet',
  service: import 'service.libsonnet',
  serviceAccount: import 'serviceaccount.libsonnet',
  configMap: import 'configmap.libsonnet',
  pvc: import 'pvc.libsonnet',
  pdb: import 'pdb.libsonnet',
  hpa: import 'hpa.libsonnet',
  rbac: import 'rbac.libsonnet',
  namespace: import 'namespace.libsonnet',
}
