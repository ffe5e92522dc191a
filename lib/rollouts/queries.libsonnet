// PromQL comparing a canary with its stable version, shared by the Argo Rollouts analysis and
// the Prometheus alert rules so both judge a canary by the same numbers. Series are Istio's
// standard request metrics reported by the receiving sidecar, selected by the pods' `app` and
// `version` labels (destination_app, destination_version).
local selector(namespace, service, version) =
  'reporter="destination", destination_workload_namespace="%s", destination_app="%s", destination_version="%s"' % [namespace, service, version];

local p95(sel, window) =
  'histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{%s}[%s])))' % [sel, window];

local errorRate(sel, window) =
  '(sum(rate(istio_requests_total{%s, response_code=~"5.."}[%s])) / sum(rate(istio_requests_total{%s}[%s])))' % [sel, window, sel, window];

{
  // latencyRatio: canary p95 latency divided by stable p95 latency.
  latencyRatio(namespace, service, stableVersion, canaryVersion, window='5m')::
    '%s / %s' % [
      p95(selector(namespace, service, canaryVersion), window),
      p95(selector(namespace, service, stableVersion), window),
    ],

  // errorRateDelta: canary 5xx ratio minus stable 5xx ratio (0.003 = 0.3 points).
  errorRateDelta(namespace, service, stableVersion, canaryVersion, window='5m')::
    '%s - %s' % [
      errorRate(selector(namespace, service, canaryVersion), window),
      errorRate(selector(namespace, service, stableVersion), window),
    ],
}
