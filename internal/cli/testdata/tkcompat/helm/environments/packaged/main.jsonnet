// Packaged charts: a subchart vendored as a .tgz under charts/, and a chart given as a .tgz.
local helm = (import 'helmraiser.libsonnet').new(std.thisFile);
{
  panel: helm.template('ops', '../../charts/panel', {}),
  gauge: helm.template('solo', '../../charts/gauge-0.2.0.tgz', { values: { targets: ['gamma'] } }),
}
