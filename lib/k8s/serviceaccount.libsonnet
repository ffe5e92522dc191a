// ServiceAccount (v1). Tokens are not mounted unless a workload asks for one.
local meta = import 'meta.libsonnet';

{
  new(name, namespace)::
    meta.namespaced('v1', 'ServiceAccount', name, namespace) + {
      automountServiceAccountToken: false,
    },
}
