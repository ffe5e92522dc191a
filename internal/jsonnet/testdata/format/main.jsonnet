local names = import 'names.libsonnet';
local root = import 'root.libsonnet';

{
  service: names.service('api', 3),
  list: names.list,
  helper: names.helper,
  root: root,
  // Never evaluated: the rewrite looks at never.libsonnet, the evaluation must not read it.
  never: if std.length(names.list) > 100 then import 'never.libsonnet' else null,
}
