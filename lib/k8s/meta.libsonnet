// Object metadata shared by every kind: the constructor of the object skeleton, the
// recommended app.kubernetes.io labels, and the metadata mixins.
{
  // object returns the skeleton of a manifest.
  object(apiVersion, kind, name):: {
    apiVersion: apiVersion,
    kind: kind,
    metadata: { name: name },
  },

  // namespaced returns the skeleton of a namespaced manifest; the namespace is always explicit.
  namespaced(apiVersion, kind, name, namespace):: self.object(apiVersion, kind, name) + {
    assert std.length(namespace) > 0 : '%s %s needs a namespace' % [kind, name],
    metadata+: { namespace: namespace },
  },

  // labels returns the recommended labels every object of the platform carries.
  labels(name, version, component, instance=name):: {
    assert std.length(name) > 0 : 'labels need a name',
    assert std.isString(version) && std.length(version) > 0 : 'labels of %s need a version' % name,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'kforge-platform',
    'app.kubernetes.io/managed-by': 'kforge',
  },

  // selectorLabels returns the stable subset of labels used in selectors (never the version:
  // selectors are immutable and must survive an upgrade).
  selectorLabels(name, instance=name):: {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instance,
  },

  withLabels(labels):: { metadata+: { labels+: labels } },
  withAnnotations(annotations):: { metadata+: { annotations+: annotations } },
}
