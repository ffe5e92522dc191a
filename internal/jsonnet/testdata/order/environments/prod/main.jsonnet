{
  own: import 'sub/own.libsonnet',
  probe: import 'sub/probe.libsonnet',
}
