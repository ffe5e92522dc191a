{
  canary: std.native('kustomizeBuild')('../../kustomize/with-components', { calledFrom: std.thisFile }),
}
