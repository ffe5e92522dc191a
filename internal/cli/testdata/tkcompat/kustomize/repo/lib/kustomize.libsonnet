// A minimal stand-in for grafana/jsonnet-libs' tanka-util kustomize helper: build(path) resolves
// path against the directory of the file given to new().
{
  new(calledFrom):: {
    build(path, conf={}):: std.native('kustomizeBuild')(path, conf { calledFrom: calledFrom }),
  },
}
