local common = import 'common.libsonnet';
{
  common: common.name,
  own: import 'a.libsonnet',
}
