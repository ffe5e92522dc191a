local helper = import 'helper.libsonnet';

{
  service(name, n):: '%s-%03d' % [name, n],
  list:: ['%d' % i for i in std.range(1, 3)],
  bad(x):: std.format('%(missing)s', x),
  helper: helper,
}
