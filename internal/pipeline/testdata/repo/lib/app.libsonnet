local k = import 'v/k.libsonnet';
{
  new(env, n):: {
    ['app%d' % i]: {
      deployment: k.deploy('app-%d' % i, i),
      config: k.cm('app-%d' % i, { env: env, 'config.yaml': std.manifestYamlDoc({ index: i, big: 1000000, ratio: 0.1 }) }),
    }
    for i in std.range(1, n)
  },
}
