(import 'app.libsonnet').new('a', 20)
