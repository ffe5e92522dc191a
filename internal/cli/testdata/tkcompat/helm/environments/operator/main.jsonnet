// CRDs from crds/ (untemplated), hooks and test pods, a List; then the same chart without
// hooks and CRDs, and without tests only.
local helm = (import 'helmraiser.libsonnet').new(std.thisFile);
{
  full: helm.template('widgets', '../../charts/operator', {}),
  bare: helm.template('bare', '../../charts/operator', {
    noHooks: true,
    includeCrds: false,
    values: { migrate: true },
  }),
  notests: helm.template('notests', '../../charts/operator', {
    skipTests: true,
    includeCrds: false,
    values: { migrate: false },
  }),
}
