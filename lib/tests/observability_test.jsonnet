// Tests of observability/: generated scrape configs, alert rules, Loki and Promtail limits,
// collector sampling.
local alerts = import 'observability/alerts.libsonnet';
local loki = import 'observability/loki.libsonnet';
local collector = import 'observability/otel-collector.libsonnet';
local prometheus = import 'observability/prometheus.libsonnet';
local promtail = import 'observability/promtail.libsonnet';

local rules = alerts({
  canaries: [{
    service: 'order-service',
    namespace: 'apps',
    stableVersion: 'v1.8',
    canaryVersion: 'v1.9',
    maxLatencyRatio: 1.2,
    maxErrorRateDelta: 0.003,
  }],
});
local byName = { [r.alert]: r for g in rules.groups for r in g.rules };
local prom = prometheus({
  namespace: 'observability',
  storage: '50Gi',
  externalLabels: { cluster: 'prod' },
  services: [{ name: 'order-service', namespace: 'apps' }, { name: 'gateway', namespace: 'apps' }],
  alertmanagers: ['alertmanager-0.alertmanager-cluster.observability.svc:9093'],
  rules: rules,
});
local highCardinality = ['trace_id', 'span_id', 'traceID', 'spanID', 'user_id', 'request_id', 'ip', 'client_ip', 'pod', 'pod_name', 'pod_ip'];

{
  pass: {
    scrape_configs_from_services:
      local jobs = [j.job_name for j in prom.config.scrape_configs];
      assert jobs == ['apps/order-service', 'apps/gateway'] : 'one job per service';
      assert std.all([std.length(j.relabel_configs) > 0 for j in prom.config.scrape_configs]) : 'relabelled';
      assert !std.member([r.target_label for j in prom.config.scrape_configs for r in j.relabel_configs if std.objectHas(r, 'target_label')], 'pod') : 'no pod label';
      assert prom.config.rule_files == ['/etc/prometheus/rules/*.yml'] : 'rule files';
      true,

    canary_alerts_use_the_analysis_thresholds:
      assert std.endsWith(byName.CanaryLatencyRegression.expr, ') > 1.2') : 'latency threshold';
      assert std.endsWith(byName.CanaryErrorRateRegression.expr, ') > 0.003') : 'error threshold';
      assert byName.CanaryLatencyRegression.labels == { severity: 'critical', service: 'order-service', namespace: 'apps' } : 'labels';
      assert std.endsWith(byName.ConsumerLagHigh.expr, '> 5000') : 'consumer lag';
      assert std.objectHas(byName, 'CertificateExpiringSoon') && std.objectHas(byName, 'ConnectionPoolExhausted') : 'the other alerts';
      true,

    no_canary_no_canary_group:
      assert [g.name for g in alerts({}).groups] == ['messaging', 'certificates', 'pools', 'scrape'] : 'empty groups are left out';
      true,

    loki_chunks:
      local config = std.parseYaml(loki({ namespace: 'observability', storage: '10Gi' }).config_map.data['loki.yaml']);
      assert config.ingester.chunk_idle_period == '5m' && config.ingester.max_chunk_age == '1h' : 'chunk periods';
      true,

    promtail_promotes_only_low_cardinality_labels:
      local config = std.parseYaml(promtail({ namespace: 'observability' }).config_map.data['promtail.yaml']);
      local stages = config.scrape_configs[0].pipeline_stages;
      local promoted = std.flattenArrays([std.objectFields(s.labels) for s in stages if std.objectHas(s, 'labels')]);
      assert promoted == ['level', 'service'] : 'level and service only';
      assert [s.json.expressions for s in stages if std.objectHas(s, 'json')] == [{ level: 'level', trace_id: 'trace_id', service: 'service' }] : 'JSON parsing';
      assert std.all([!std.member(highCardinality, r.target_label) for r in config.scrape_configs[0].relabel_configs]) : 'no high-cardinality relabel target';
      true,

    collector_sampling_percentage:
      local config(ratio) = std.parseYaml(collector({ namespace: 'observability', samplingRatio: ratio, tracesEndpoint: 'tempo:4317' }).config_map.data['collector.yaml']);
      assert [config(r).processors.probabilistic_sampler.sampling_percentage for r in [1.0, 0.5, 0.1]] == [100, 50, 10] : 'ratio × 100';
      assert config(0.1).receivers.otlp.protocols.grpc.endpoint == '0.0.0.0:4317' : 'OTLP gRPC';
      assert std.member(config(0.1).service.pipelines.traces.processors, 'probabilistic_sampler') : 'sampling in the trace pipeline';
      true,
  },

  fail: {
    idle_longer_than_max_age: { expect: 'chunk_idle_period must not exceed max_chunk_age', value:: loki({ namespace: 'o', storage: '1Gi', chunkIdlePeriod: '2h', maxChunkAge: '1h' }).config_map },
    max_age_too_long: { expect: 'max_chunk_age above 2h', value:: loki({ namespace: 'o', storage: '1Gi', maxChunkAge: '3h' }).config_map },
    sampling_ratio_above_one: { expect: 'samplingRatio must be in [0, 1]', value:: collector({ namespace: 'o', samplingRatio: 1.5, tracesEndpoint: 't:4317' }).config_map },
    no_alertmanager: { expect: 'needs at least one Alertmanager', value:: prometheus(prom._config { alertmanagers: [] }).config_map },
  },
}
