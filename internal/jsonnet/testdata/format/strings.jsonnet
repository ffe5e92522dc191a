// importstr of .libsonnet files: the rewrite parses them too, which must change nothing.
{
  helperSource: std.length(importstr 'lib/helper.libsonnet'),
  helper: (import 'lib/helper.libsonnet').label,
  notes: importstr 'notes.libsonnet',
}
