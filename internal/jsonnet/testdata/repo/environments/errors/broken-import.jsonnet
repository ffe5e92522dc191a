{
  x: (import 'broken.libsonnet').a,
}
