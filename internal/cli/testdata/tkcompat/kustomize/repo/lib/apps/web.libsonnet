// Builds the prod overlay relative to this file and adjusts it in Jsonnet, as Tanka users do.
local kustomize = (import 'kustomize.libsonnet').new(std.thisFile);

{
  web: kustomize.build('../../kustomize/overlays/prod') + {
    deployment_prod_web_v1+: {
      spec+: { replicas: 5 },
    },
  },
}
