// Namespace (v1).
local meta = import 'meta.libsonnet';

{
  new(name):: meta.object('v1', 'Namespace', name),
}
