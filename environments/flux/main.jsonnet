// Flux on the management cluster: one Kustomization per environment, in promotion order, each
// applying that environment's golden directory to its cluster.
local flux = import 'gitops/flux.libsonnet';

flux({
  repoURL: 'https://github.com/kforge/kforge.git',
  environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }],
})
