// OpenTelemetry Collector (gateway deployment) at otel-collector.observability: OTLP gRPC :4317
// and HTTP :4318 in; memory limiter, probabilistic trace sampling at the tier's percentage and
// batching; traces to the trace store, metrics to a Prometheus exporter Prometheus scrapes,
// logs to Loki's OTLP endpoint.
local format = import 'config/format.libsonnet';
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'otel-collector',
  namespace: error 'must provide namespace',
  image: images.platform('otel-collector'),
  replicas: 1,
  // samplingRatio: the tier's ratio; the collector samples at ratio × 100 percent.
  samplingRatio: error 'must provide samplingRatio',
  // tracesEndpoint: the OTLP gRPC endpoint of the trace store.
  tracesEndpoint: error 'must provide tracesEndpoint',
  lokiEndpoint: 'http://loki.observability:3100/otlp',
  // resourceAttributes: attributes upserted on every signal (cluster, environment).
  resourceAttributes: {},
  resources: k.container.resources('250m', '512Mi', '2', '1Gi'),
};

function(params)
  local c = defaults + params;
  assert c.samplingRatio >= 0 && c.samplingRatio <= 1 : 'otel-collector: samplingRatio must be in [0, 1]';
  local labels = k.meta.labels(c.name, images.tag(c.image), 'telemetry');
  local selector = k.meta.selectorLabels(c.name);
  local uid = 10001;
  local pipeline(processors, exporters) = {
    receivers: ['otlp'],
    processors: ['memory_limiter', 'resource'] + processors + ['batch'],
    exporters: exporters,
  };
  {
    local this = self,
    _config:: c,

    config:: {
      extensions: { health_check: { endpoint: '0.0.0.0:13133' } },
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: '0.0.0.0:4317' },
            http: { endpoint: '0.0.0.0:4318' },
          },
        },
      },
      processors: {
        memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
        resource: {
          attributes: [
            { key: key, value: c.resourceAttributes[key], action: 'upsert' }
            for key in std.objectFields(c.resourceAttributes)
          ],
        },
        // equalizing: spans the SDK already sampled at this probability (consistent probability
        // sampling, th in tracestate) pass unchanged instead of being sampled a second time;
        // spans from sources that did not sample are brought down to the tier's percentage.
        probabilistic_sampler: {
          mode: 'equalizing',
          sampling_percentage: std.parseJson(format.decimal(c.samplingRatio * 100)),
        },
        batch: { send_batch_size: 8192, send_batch_max_size: 16384, timeout: '5s' },
      },
      exporters: {
        'otlp/traces': {
          endpoint: c.tracesEndpoint,
          tls: { insecure: true },
          sending_queue: { enabled: true, queue_size: 5000 },
          retry_on_failure: { enabled: true, max_elapsed_time: '300s' },
        },
        prometheus: { endpoint: '0.0.0.0:8889', send_timestamps: false, resource_to_telemetry_conversion: { enabled: false } },
        'otlphttp/loki': { endpoint: c.lokiEndpoint },
      },
      service: {
        extensions: ['health_check'],
        telemetry: {
          logs: { level: 'info', encoding: 'json' },
          metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }] },
        },
        pipelines: {
          traces: pipeline(['probabilistic_sampler'], ['otlp/traces']),
          metrics: pipeline([], ['prometheus']),
          logs: pipeline([], ['otlphttp/loki']),
        },
      },
    },

    service_account: k.serviceAccount.new(c.name, c.namespace) + k.meta.withLabels(labels),

    config_map: k.configMap.new(c.name + '-config', c.namespace, {
      'collector.yaml': k.configMap.yaml(this.config),
    }) + k.meta.withLabels(labels),

    service: k.service.new(c.name, c.namespace, selector, [
               k.service.port('grpc-otlp', 4317, 'otlp-grpc', appProtocol='grpc'),
               k.service.port('http-otlp', 4318, 'otlp-http'),
               k.service.port('http-metrics', 8888, 'metrics'),
               k.service.port('http-exporter', 8889, 'exporter'),
             ])
             + k.meta.withLabels(labels),

    local container =
      k.container.new(c.name, c.image)
      + k.container.withArgs(['--config=/etc/otel-collector/collector.yaml'])
      + k.container.withPorts([
        k.container.port('otlp-grpc', 4317),
        k.container.port('otlp-http', 4318),
        k.container.port('metrics', 8888),
        k.container.port('exporter', 8889),
        k.container.port('health', 13133),
      ])
      + k.container.withGoRuntimeEnv(c.name)
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(k.probe.http('/', 'health')))
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.http('/', 'health')))
      + k.container.withRestrictedSecurityContext(uid)
      + k.container.withVolumeMounts([k.container.volumeMount('config', '/etc/otel-collector', readOnly=true)]),

    deployment:
      k.deployment.new(c.name, c.namespace, selector, [container])
      + k.meta.withLabels(labels)
      + k.deployment.withReplicas(c.replicas)
      + k.deployment.withRollingUpdate()
      + k.pod.withPodLabels(labels)
      + k.pod.withScrapeAnnotations(8888)
      + k.pod.withConfigChecksum(this.config_map)
      + k.pod.withServiceAccount(c.name)
      + k.pod.withPodSecurityContext(uid)
      + k.pod.withVolumes([k.pod.configMapVolume('config', this.config_map.metadata.name)])
      + (if c.replicas > 1 then k.pod.withTopologySpread(selector) else {}),

    [if c.replicas > 1 then 'pdb']: k.pdb.new(c.name, c.namespace, selector)
                                    + k.pdb.withMaxUnavailable(1)
                                    + k.meta.withLabels(labels),
  }
