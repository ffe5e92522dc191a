// Flux: the GitRepository `kforge-platform` (only golden/ is fetched) and one Kustomization
// per environment applying ./golden/<env> to that environment's cluster (kubeconfig from a
// Secret reference), pruned, health-checked, each waiting for the previous environment in
// promotion order.
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  namespace: 'flux-system',
  name: 'kforge-platform',
  repoURL: error 'must provide repoURL',
  branch: 'main',
  goldenDir: 'golden',
  // environments: [{name}] in promotion order; each depends on the one before it.
  environments: error 'must provide environments',
  interval: '10m',
};

function(params)
  local c = defaults + params;
  local names = [e.name for e in c.environments];
  assert std.length(std.set(names)) == std.length(names) : 'flux: environment names must be unique';
  local labels(name) = k.meta.labels(name, c.branch, 'gitops');
  local kustomization(i, e) =
    local name = 'kforge-' + e.name;
    k.meta.namespaced('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', name, c.namespace)
    + k.meta.withLabels(labels(name) { 'kforge.io/environment': e.name })
    + {
      spec: {
        interval: c.interval,
        retryInterval: '2m',
        timeout: '10m',
        path: './%s/%s' % [c.goldenDir, e.name],
        prune: true,
        wait: true,
        sourceRef: { kind: 'GitRepository', name: c.name },
        kubeConfig: { secretRef: { name: name + '-kubeconfig' } },
        [if i > 0 then 'dependsOn']: [{ name: 'kforge-' + c.environments[i - 1].name }],
      },
    };
  {
    _config:: c,

    git_repository:
      k.meta.namespaced('source.toolkit.fluxcd.io/v1', 'GitRepository', c.name, c.namespace)
      + k.meta.withLabels(labels(c.name))
      + {
        spec: {
          interval: '1m',
          url: c.repoURL,
          ref: { branch: c.branch },
          ignore: '/*\n!/%s/\n' % c.goldenDir,
        },
      },

    kustomizations: {
      [c.environments[i].name]: kustomization(i, c.environments[i])
      for i in std.range(0, std.length(c.environments) - 1)
    },
  }
