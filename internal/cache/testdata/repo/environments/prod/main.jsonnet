local app = import 'app.libsonnet';
local tk = import 'tk';
local values = import 'values.libsonnet';
local banner = importstr 'banner.txt';

function(replicas=values.replicas) {
  deployment: app.new('web', replicas) + {
    metadata+: { labels: { env: tk.env.metadata.name }, annotations+: { banner: banner } },
  },
}
