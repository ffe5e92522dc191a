{
  x: import 'nowhere.libsonnet',
}
