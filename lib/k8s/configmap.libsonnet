// ConfigMap (v1) and the one serialiser of embedded configuration files.
local meta = import 'meta.libsonnet';

{
  new(name, namespace, data)::
    meta.namespaced('v1', 'ConfigMap', name, namespace) + {
      assert std.all([std.isString(data[k]) for k in std.objectFields(data)]) : 'ConfigMap %s data values must be strings' % name,
      data: data,
    },

  // yaml serialises a configuration object as a YAML document (block style, keys unquoted where
  // YAML allows).
  yaml(config):: std.manifestYamlDoc(config, indent_array_in_object=false, quote_keys=false) + '\n',

  // checksum is the pod-template annotation value that rolls pods when their configuration changes.
  checksum(configMap):: std.md5(std.manifestJsonEx(configMap.data, '')),
}
