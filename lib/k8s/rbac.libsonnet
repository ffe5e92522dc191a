// RBAC (rbac.authorization.k8s.io/v1): roles, bindings, rules and subjects.
local meta = import 'meta.libsonnet';

local group = 'rbac.authorization.k8s.io';

{
  rule(apiGroups, resources, verbs):: { apiGroups: apiGroups, resources: resources, verbs: verbs },
  nonResourceRule(urls, verbs):: { nonResourceURLs: urls, verbs: verbs },
  serviceAccountSubject(name, namespace):: { kind: 'ServiceAccount', name: name, namespace: namespace },

  clusterRole(name, rules):: meta.object(group + '/v1', 'ClusterRole', name) + { rules: rules },
  clusterRoleBinding(name, clusterRole, subjects)::
    meta.object(group + '/v1', 'ClusterRoleBinding', name) + {
      roleRef: { apiGroup: group, kind: 'ClusterRole', name: clusterRole },
      subjects: subjects,
    },
  role(name, namespace, rules):: meta.namespaced(group + '/v1', 'Role', name, namespace) + { rules: rules },
  roleBinding(name, namespace, role, subjects)::
    meta.namespaced(group + '/v1', 'RoleBinding', name, namespace) + {
      roleRef: { apiGroup: group, kind: 'Role', name: role },
      subjects: subjects,
    },
}
