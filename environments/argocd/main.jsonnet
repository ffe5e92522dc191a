// Argo CD on the management cluster: one Application per environment, pointing at that
// environment's golden directory and cluster (the apiServer of its spec.json). Prod syncs by
// hand.
local argocd = import 'gitops/argocd.libsonnet';

argocd({
  repoURL: 'https://github.com/kforge/kforge.git',
  environments: [
    { name: 'dev', server: (import '../dev/spec.json').spec.apiServer, automated: true },
    { name: 'staging', server: (import '../staging/spec.json').spec.apiServer, automated: true },
    { name: 'prod', server: (import '../prod/spec.json').spec.apiServer, automated: false },
  ],
})
