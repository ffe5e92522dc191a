local kustomize = (import 'kustomize.libsonnet').new(std.thisFile);

kustomize.build('../../kustomize/legacy')
