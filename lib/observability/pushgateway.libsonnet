// Pushgateway for batch jobs that cannot be scraped, persisting pushed metrics to a volume.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'pushgateway',
  namespace: error 'must provide namespace',
  image: images.platform('pushgateway'),
  storage: '2Gi',
  storageClassName: null,
  resources: k.container.resources('50m', '64Mi', '500m', '256Mi'),
};

function(params)
  local c = defaults + params;
  local labels = k.meta.labels(c.name, images.tag(c.image), 'monitoring');
  local selector = k.meta.selectorLabels(c.name);
  local uid = 65534;
  {
    _config:: c,

    service_account: k.serviceAccount.new(c.name, c.namespace) + k.meta.withLabels(labels),

    service: k.service.new(c.name, c.namespace, selector, [k.service.port('http', 9091)])
             + k.meta.withLabels(labels),

    pvc: k.pvc.new(c.name, c.namespace, c.storage, c.storageClassName) + k.meta.withLabels(labels),

    local container =
      k.container.new(c.name, c.image)
      + k.container.withArgs([
        '--web.listen-address=:9091',
        '--persistence.file=/data/pushgateway.db',
        '--persistence.interval=5m',
      ])
      + k.container.withPorts([k.container.port('http', 9091)])
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(k.probe.http('/-/ready', 'http')))
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.http('/-/healthy', 'http')))
      + k.container.withRestrictedSecurityContext(uid)
      + k.container.withVolumeMounts([k.container.volumeMount('data', '/data')]),

    // One replica: the persistence file lives on a ReadWriteOnce volume.
    deployment:
      k.deployment.new(c.name, c.namespace, selector, [container])
      + k.meta.withLabels(labels)
      + k.deployment.withReplicas(1)
      + k.deployment.withRecreate()
      + k.pod.withPodLabels(labels)
      + k.pod.withServiceAccount(c.name)
      + k.pod.withPodSecurityContext(uid)
      + k.pod.withVolumes([k.pod.pvcVolume('data', c.name)]),
  }
