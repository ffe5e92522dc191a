// Subcharts: global values, conditions (one disabled by default, one enabled by values), tags,
// an alias of a subchart, import-values.
local helm = (import 'helmraiser.libsonnet').new(std.thisFile);
{
  defaults: helm.template('core', '../../charts/stack', {}),
  tuned: helm.template('edge', '../../charts/stack', {
    values: {
      global: { region: 'ap-south-2' },
      store: { enabled: true, size: '50Gi' },
      jobs: { enabled: false },
      tags: { observability: true },
      queue: { partitions: 24 },
    },
  }),
}
