(import '../../lib/common.libsonnet').name
