// Argo CD: the AppProject `kforge-platform` (this repository only, the platform's namespaces
// on each environment's cluster, no Secrets ever managed) and one Application per environment
// syncing golden/<env> recursively. Environments sync in waves in promotion order; prod is
// synced by hand.
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  namespace: 'argocd',
  project: 'kforge-platform',
  repoURL: error 'must provide repoURL',
  targetRevision: 'main',
  goldenDir: 'golden',
  // environments: [{name, server, automated}] in promotion order.
  environments: error 'must provide environments',
  // namespaces: the namespaces the platform deploys into.
  namespaces: ['apps', 'observability', 'data'],
  // clusterResources: the cluster-scoped kinds the platform manages.
  clusterResources: [
    { group: '', kind: 'Namespace' },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  ],
  // prodFreeze: no prod syncs from Friday 16:00 to Monday 08:00 UTC, except by hand.
  prodFreeze: { schedule: '0 16 * * 5', duration: '64h' },
};

function(params)
  local c = defaults + params;
  local names = [e.name for e in c.environments];
  assert std.length(std.set(names)) == std.length(names) : 'argocd: environment names must be unique';
  local labels(name) = k.meta.labels(name, c.targetRevision, 'gitops');
  local managedByReplicaControllers = [
    { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] },
    { group: 'apps', kind: 'StatefulSet', managedFieldsManagers: ['kube-controller-manager'] },
    { group: 'argoproj.io', kind: 'Rollout', managedFieldsManagers: ['kube-controller-manager'] },
  ];
  local application(i, e) =
    local name = 'kforge-' + e.name;
    k.meta.namespaced('argoproj.io/v1alpha1', 'Application', name, c.namespace)
    + k.meta.withLabels(labels(name) { 'kforge.io/environment': e.name })
    + k.meta.withAnnotations({ 'argocd.argoproj.io/sync-wave': std.toString(i) })
    + {
      metadata+: { finalizers: ['resources-finalizer.argocd.argoproj.io'] },
      spec: {
        project: c.project,
        source: {
          repoURL: c.repoURL,
          targetRevision: c.targetRevision,
          path: '%s/%s' % [c.goldenDir, e.name],
          directory: { recurse: true },
        },
        destination: { server: e.server, namespace: c.namespaces[0] },
        // Replica counts belong to the autoscalers once they run.
        ignoreDifferences: managedByReplicaControllers,
        revisionHistoryLimit: 10,
        syncPolicy: {
          [if e.automated then 'automated']: { prune: true, selfHeal: true },
          syncOptions: ['ServerSideApply=true', 'PruneLast=true', 'RespectIgnoreDifferences=true', 'ApplyOutOfSyncOnly=true'],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
      },
    };
  {
    _config:: c,

    app_project:
      k.meta.namespaced('argoproj.io/v1alpha1', 'AppProject', c.project, c.namespace)
      + k.meta.withLabels(labels(c.project))
      + k.meta.withAnnotations({ 'argocd.argoproj.io/sync-wave': '-1' })
      + {
        metadata+: { finalizers: ['resources-finalizer.argocd.argoproj.io'] },
        spec: {
          description: 'The kforge platform: Go services, observability and data stores rendered from Jsonnet.',
          sourceRepos: [c.repoURL],
          destinations: [
            { server: e.server, namespace: ns }
            for e in c.environments
            for ns in c.namespaces
          ],
          clusterResourceWhitelist: c.clusterResources,
          namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
          // Secrets are created out of band; the platform only references them.
          namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }],
          orphanedResources: { warn: true },
          syncWindows: [
            {
              kind: 'deny',
              schedule: c.prodFreeze.schedule,
              duration: c.prodFreeze.duration,
              applications: ['kforge-' + e.name for e in c.environments if !e.automated],
              manualSync: true,
              timeZone: 'UTC',
            },
          ],
        },
      },

    applications: {
      [c.environments[i].name]: application(i, c.environments[i])
      for i in std.range(0, std.length(c.environments) - 1)
    },
  }
