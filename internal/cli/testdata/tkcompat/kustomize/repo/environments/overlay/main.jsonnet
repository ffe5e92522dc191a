local kustomize = (import 'kustomize.libsonnet').new(std.thisFile);

{
  web: kustomize.build('../../kustomize/overlays/prod'),
}
