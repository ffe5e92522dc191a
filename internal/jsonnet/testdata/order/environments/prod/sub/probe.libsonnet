{
  own: import 'own.libsonnet',
  base: import 'base.libsonnet',
  lib: import 'lib.libsonnet',
  basevendor: import 'basevendor.libsonnet',
  rootvendor: import 'rootvendor.libsonnet',
}
