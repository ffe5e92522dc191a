(import 'app.libsonnet').new('b', 20)
