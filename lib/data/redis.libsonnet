// Redis for Dapr's state store and pub/sub: one primary with append-only persistence on a
// volume, no eviction (streams and state must not silently disappear), the password from a
// Secret reference, and a redis_exporter sidecar exporting stream consumer-group lag.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'redis',
  namespace: error 'must provide namespace',
  image: images.platform('redis'),
  exporterImage: images.platform('redis-exporter'),
  storage: error 'must provide storage',
  storageClassName: null,
  passwordSecret: { name: 'redis', key: 'password' },
  maxmemory: '768mb',
  // streams: the stream keys whose consumer groups the exporter reports.
  streams: ['orders'],
  resources: k.container.resources('250m', '1Gi', '1', '1Gi'),
};

function(params)
  local c = defaults + params;
  local labels = k.meta.labels(c.name, images.tag(c.image), 'cache');
  local selector = k.meta.selectorLabels(c.name);
  local uid = 999;
  local password = k.container.envFromSecret('REDIS_PASSWORD', c.passwordSecret.name, c.passwordSecret.key);
  local ping = k.probe.exec(['sh', '-c', 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ping | grep -q PONG']);
  {
    _config:: c,

    service_account: k.serviceAccount.new(c.name, c.namespace) + k.meta.withLabels(labels),

    service: k.service.new(c.name, c.namespace, selector, [
               k.service.port('tcp-redis', 6379, 'redis'),
               k.service.port('http-metrics', 9121, 'metrics'),
             ])
             + k.meta.withLabels(labels),

    headless_service: k.service.new(c.name + '-headless', c.namespace, selector, [k.service.port('tcp-redis', 6379, 'redis')])
                      + k.service.withHeadless()
                      + k.meta.withLabels(labels),

    local server =
      k.container.new(c.name, c.image)
      + k.container.withCommand(['sh', '-c'])
      + k.container.withArgs([std.join(' ', [
        'exec redis-server',
        '--port 6379',
        '--dir /data',
        '--appendonly yes',
        '--appendfsync everysec',
        '--maxmemory ' + c.maxmemory,
        '--maxmemory-policy noeviction',
        '--requirepass "$REDIS_PASSWORD"',
      ])])
      + k.container.withPorts([k.container.port('redis', 6379)])
      + k.container.withEnv([password])
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(ping))
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.tcp('redis')))
      + k.container.withRestrictedSecurityContext(uid)
      + k.container.withVolumeMounts([k.container.volumeMount('data', '/data')]),

    local exporter =
      k.container.new('redis-exporter', c.exporterImage)
      + k.container.withPorts([k.container.port('metrics', 9121)])
      + k.container.withEnv([
        password,
        k.container.envVar('REDIS_ADDR', 'redis://localhost:6379'),
        k.container.envVar('REDIS_EXPORTER_CHECK_STREAMS', std.join(',', c.streams)),
      ])
      + k.container.withResources(k.container.resources('25m', '32Mi', '200m', '64Mi'))
      + k.container.withReadinessProbe(k.probe.readiness(k.probe.http('/health', 'metrics')))
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.http('/health', 'metrics')))
      + k.container.withRestrictedSecurityContext(59000),

    stateful_set:
      k.statefulSet.new(c.name, c.namespace, c.name + '-headless', selector, [server, exporter])
      + k.meta.withLabels(labels)
      + k.statefulSet.withReplicas(1)
      + k.statefulSet.withVolumeClaimTemplates([k.statefulSet.volumeClaimTemplate('data', c.storage, c.storageClassName)])
      + k.pod.withPodLabels(labels)
      + k.pod.withScrapeAnnotations(9121)
      + k.pod.withServiceAccount(c.name)
      + k.pod.withPodSecurityContext(uid),
  }
