// Argo CD sync waves of the rendered platform: namespaces first, then the data stores, then
// observability and the apps namespace's platform objects (Dapr components, mesh entry), then
// the services. annotate() stamps a wave on every manifest of a tree.
local annotation = 'argocd.argoproj.io/sync-wave';

{
  waves:: {
    namespaces: -2,
    data: -1,
    platform: 0,
    services: 1,
  },

  // annotate adds the sync-wave annotation to every manifest in tree (objects with apiVersion
  // and kind; other objects are walked).
  annotate(tree, wave)::
    local isManifest(o) = std.isObject(o) && std.objectHas(o, 'apiVersion') && std.objectHas(o, 'kind');
    local walk(o) =
      if isManifest(o) then o { metadata+: { annotations+: { [annotation]: std.toString(wave) } } }
      else if std.isObject(o) then { [k]: walk(o[k]) for k in std.objectFields(o) }
      else o;
    walk(tree),
}
