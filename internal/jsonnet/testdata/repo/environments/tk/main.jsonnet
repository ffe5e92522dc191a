{
  name: (import 'tk').env.metadata.name,
  viaExtVar: std.extVar('tanka.dev/environment').metadata.name,
}
