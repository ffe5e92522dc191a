local k = import 'kube/k.libsonnet';
local config = importstr 'config.yaml';
{
  new(name, replicas):: k.deployment(name, replicas) + {
    metadata+: { annotations: { config: std.md5(config) } },
  },
}
