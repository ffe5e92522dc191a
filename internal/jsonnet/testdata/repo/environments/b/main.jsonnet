{
  common: (import 'common.libsonnet').name,
  text: importstr 'b.txt',
  bytes: std.length(importbin 'data.bin'),
}
