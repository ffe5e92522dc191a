(import 'apps/web.libsonnet')
