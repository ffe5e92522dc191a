local app = import 'app.libsonnet';
local tk = import 'tk';
local values = import 'values.libsonnet';
{
  deployment: app.new('web', values.replicas) + { metadata+: { labels: { env: tk.env.metadata.name } } },
  service: (import 'k8s/service.libsonnet').new('web'),
}
