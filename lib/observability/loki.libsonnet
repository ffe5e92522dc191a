// Loki in single-binary mode: TSDB index and chunks on a volume, retention by the compactor,
// OTLP and push ingestion on :3100. Chunks are flushed after chunk_idle_period of silence and
// at the latest after max_chunk_age.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'loki',
  namespace: error 'must provide namespace',
  image: images.platform('loki'),
  storage: error 'must provide storage',
  storageClassName: null,
  retention: '744h',
  chunkIdlePeriod: '5m',
  maxChunkAge: '1h',
  resources: k.container.resources('250m', '512Mi', '2', '2Gi'),
};

local hours(d) =
  if std.endsWith(d, 'h') then std.parseInt(std.substr(d, 0, std.length(d) - 1))
  else if std.endsWith(d, 'm') then std.parseInt(std.substr(d, 0, std.length(d) - 1)) / 60
  else error 'loki: durations are given in m or h, got ' + d;

function(params)
  local c = defaults + params;
  assert hours(c.chunkIdlePeriod) <= hours(c.maxChunkAge) : 'loki: chunk_idle_period must not exceed max_chunk_age';
  assert hours(c.maxChunkAge) <= 2 : 'loki: max_chunk_age above 2h makes ingesters hold too much unflushed data';
  local labels = k.meta.labels(c.name, images.tag(c.image), 'logging');
  local selector = k.meta.selectorLabels(c.name);
  local uid = 10001;
  {
    local this = self,
    _config:: c,

    config:: {
      auth_enabled: false,
      server: { http_listen_port: 3100, grpc_listen_port: 9095, log_format: 'json' },
      common: {
        path_prefix: '/var/loki',
        replication_factor: 1,
        ring: { kvstore: { store: 'inmemory' } },
        storage: { filesystem: { chunks_directory: '/var/loki/chunks', rules_directory: '/var/loki/rules' } },
      },
      schema_config: {
        configs: [{
          from: '2025-01-01',
          store: 'tsdb',
          object_store: 'filesystem',
          schema: 'v13',
          index: { prefix: 'index_', period: '24h' },
        }],
      },
      ingester: {
        chunk_idle_period: c.chunkIdlePeriod,
        max_chunk_age: c.maxChunkAge,
        chunk_target_size: 1572864,
        chunk_encoding: 'snappy',
        wal: { dir: '/var/loki/wal' },
      },
      limits_config: {
        retention_period: c.retention,
        reject_old_samples: true,
        reject_old_samples_max_age: '168h',
        max_label_names_per_series: 15,
        allow_structured_metadata: true,
        ingestion_rate_mb: 16,
        ingestion_burst_size_mb: 32,
      },
      compactor: {
        working_directory: '/var/loki/compactor',
        retention_enabled: true,
        delete_request_store: 'filesystem',
      },
      analytics: { reporting_enabled: false },
    },

    service_account: k.serviceAccount.new(c.name, c.namespace) + k.meta.withLabels(labels),

    config_map: k.configMap.new(c.name + '-config', c.namespace, {
      'loki.yaml': k.configMap.yaml(this.config),
    }) + k.meta.withLabels(labels),

    service: k.service.new(c.name, c.namespace, selector, [
               k.service.port('http', 3100),
               k.service.port('grpc', 9095),
             ])
             + k.meta.withLabels(labels),

    headless_service: k.service.new(c.name + '-headless', c.namespace, selector, [k.service.port('http', 3100)])
                      + k.service.withHeadless()
                      + k.meta.withLabels(labels),

    local container =
      k.container.new(c.name, c.image)
      + k.container.withArgs(['-config.file=/etc/loki/loki.yaml', '-target=all'])
      + k.container.withPorts([k.container.port('http', 3100), k.container.port('grpc', 9095)])
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(k.probe.http('/ready', 'http')))
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.tcp('http')))
      + k.container.withStartupProbe(k.probe.startup(k.probe.http('/ready', 'http'), 300))
      + k.container.withRestrictedSecurityContext(uid)
      + k.container.withVolumeMounts([
        k.container.volumeMount('config', '/etc/loki', readOnly=true),
        k.container.volumeMount('data', '/var/loki'),
        k.container.volumeMount('tmp', '/tmp'),
      ]),

    // One replica: single-binary Loki keeps its index and chunks on its own volume.
    stateful_set:
      k.statefulSet.new(c.name, c.namespace, c.name + '-headless', selector, [container])
      + k.meta.withLabels(labels)
      + k.statefulSet.withReplicas(1)
      + k.statefulSet.withVolumeClaimTemplates([k.statefulSet.volumeClaimTemplate('data', c.storage, c.storageClassName)])
      + k.pod.withPodLabels(labels)
      + k.pod.withScrapeAnnotations(3100)
      + k.pod.withConfigChecksum(this.config_map)
      + k.pod.withServiceAccount(c.name)
      + k.pod.withPodSecurityContext(uid)
      + k.pod.withTerminationGracePeriod(300)
      + k.pod.withVolumes([
        k.pod.configMapVolume('config', this.config_map.metadata.name),
        k.pod.emptyDirVolume('tmp', sizeLimit='1Gi'),
      ]),
  }
