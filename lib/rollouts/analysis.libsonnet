// AnalysisTemplate `<service>-canary-analysis`: the rollback criteria of a canary. It fails when
// the canary's p95 latency exceeds maxLatencyRatio × stable's, or its error rate exceeds
// stable's by more than maxErrorRateDelta. Arguments default to the versions Git runs, so the
// template also serves Git-driven canaries (an AnalysisRun created from it, or the matching
// alert rules); a Rollout passes its own.
local format = import 'config/format.libsonnet';
local meta = import 'k8s/meta.libsonnet';
local queries = import 'queries.libsonnet';

local defaults = {
  service: error 'must provide service',
  namespace: error 'must provide namespace',
  labels: {},
  stableVersion: error 'must provide stableVersion',
  canaryVersion: error 'must provide canaryVersion',
  prometheusAddress: 'http://prometheus.observability:9090',
  maxLatencyRatio: 1.2,
  maxErrorRateDelta: 0.003,
  window: '5m',
  interval: '1m',
  count: 5,
  failureLimit: 1,
  inconclusiveLimit: 2,
};

function(params) {
  _config:: defaults + params,
  local c = self._config,

  assert c.maxLatencyRatio > 1.0 && c.maxLatencyRatio <= 1.5 : 'analysis %s: maxLatencyRatio %s is outside (1.0, 1.5]' % [c.service, c.maxLatencyRatio],
  assert c.maxErrorRateDelta > 0 && c.maxErrorRateDelta <= 0.01 : 'analysis %s: maxErrorRateDelta %s is outside (0, 0.01]' % [c.service, c.maxErrorRateDelta],
  assert c.count >= 1 && c.failureLimit >= 0 : 'analysis %s: count must be positive' % c.service,

  // name is the template name Rollouts refer to.
  name:: '%s-canary-analysis' % c.service,

  local metric(name, query, threshold) = {
    name: name,
    interval: c.interval,
    count: c.count,
    successCondition: 'result[0] <= %s' % format.decimal(threshold),
    failureCondition: 'result[0] > %s' % format.decimal(threshold),
    failureLimit: c.failureLimit,
    inconclusiveLimit: c.inconclusiveLimit,
    provider: { prometheus: { address: c.prometheusAddress, timeout: 30, query: query } },
  },

  analysis_template:
    meta.namespaced('argoproj.io/v1alpha1', 'AnalysisTemplate', self.name, c.namespace)
    + meta.withLabels(c.labels) + {
      spec: {
        args: [
          { name: 'namespace', value: c.namespace },
          { name: 'service', value: c.service },
          { name: 'stable-version', value: c.stableVersion },
          { name: 'canary-version', value: c.canaryVersion },
        ],
        metrics: [
          metric('latency-p95-ratio', queries.latencyRatio('{{args.namespace}}', '{{args.service}}', '{{args.stable-version}}', '{{args.canary-version}}', c.window), c.maxLatencyRatio),
          metric('error-rate-delta', queries.errorRateDelta('{{args.namespace}}', '{{args.service}}', '{{args.stable-version}}', '{{args.canary-version}}', c.window), c.maxErrorRateDelta),
        ],
      },
    },
}
