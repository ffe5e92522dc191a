// Prometheus alert rules of the platform (the `alerts.yml` document): canary regressions per
// canary service (the same PromQL and thresholds as the canary's rollback analysis), consumer
// lag of the order stream, certificate expiry, connection pool exhaustion and scrape health.
local format = import 'config/format.libsonnet';
local queries = import 'rollouts/queries.libsonnet';

local defaults = {
  // canaries: [{service, namespace, stableVersion, canaryVersion, maxLatencyRatio, maxErrorRateDelta}].
  canaries: [],
  consumerLagThreshold: 5000,
  certificateExpiryDays: 14,
  poolUsageRatio: 0.9,
};

function(params)
  local c = defaults + params;
  assert c.consumerLagThreshold > 0 : 'alerts: consumerLagThreshold must be positive';
  assert c.poolUsageRatio > 0 && c.poolUsageRatio <= 1 : 'alerts: poolUsageRatio must be in (0, 1]';
  local rule(alert, expr, forDuration, severity, summary, description, labels={}) = {
    alert: alert,
    expr: expr,
    'for': forDuration,
    labels: { severity: severity } + labels,
    annotations: { summary: summary, description: description },
  };
  local canaryRules(k) = [
    rule(
      'CanaryLatencyRegression',
      '(%s) > %s' % [queries.latencyRatio(k.namespace, k.service, k.stableVersion, k.canaryVersion), format.decimal(k.maxLatencyRatio)],
      '5m',
      'critical',
      'Canary %s of %s is slower than stable' % [k.canaryVersion, k.service],
      'p95 latency of %s %s is more than %s times that of %s {{ $value | humanize }}x; roll the canary back.' % [k.service, k.canaryVersion, format.decimal(k.maxLatencyRatio), k.stableVersion],
      { service: k.service, namespace: k.namespace },
    ),
    rule(
      'CanaryErrorRateRegression',
      '(%s) > %s' % [queries.errorRateDelta(k.namespace, k.service, k.stableVersion, k.canaryVersion), format.decimal(k.maxErrorRateDelta)],
      '5m',
      'critical',
      'Canary %s of %s fails more often than stable' % [k.canaryVersion, k.service],
      'The 5xx ratio of %s %s exceeds that of %s by more than %s ({{ $value | humanizePercentage }}); roll the canary back.' % [k.service, k.canaryVersion, k.stableVersion, format.decimal(k.maxErrorRateDelta)],
      { service: k.service, namespace: k.namespace },
    ),
  ];
  local groups = [
    {
      name: 'canary',
      rules: std.flattenArrays([canaryRules(k) for k in c.canaries]),
    },
    {
      name: 'messaging',
      rules: [
        rule(
          'ConsumerLagHigh',
          'max by (db, stream, group) (redis_stream_group_lag) > %s' % format.decimal(c.consumerLagThreshold),
          '10m',
          'warning',
          'Consumer group {{ $labels.group }} lags on stream {{ $labels.stream }}',
          '{{ $value }} entries of stream {{ $labels.stream }} have not been delivered to consumer group {{ $labels.group }} (threshold %s).' % format.decimal(c.consumerLagThreshold),
        ),
      ],
    },
    {
      name: 'certificates',
      rules: [
        rule(
          'CertificateExpiringSoon',
          '(certmanager_certificate_expiration_timestamp_seconds - time()) < %d * 86400' % c.certificateExpiryDays,
          '1h',
          'warning',
          'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires soon',
          'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }}, and has not been renewed.',
        ),
      ],
    },
    {
      name: 'pools',
      rules: [
        rule(
          'ConnectionPoolExhausted',
          'sum by (namespace, app, pool_name) (db_client_connection_count{state="used"}) / sum by (namespace, app, pool_name) (db_client_connection_max) >= %s' % format.decimal(c.poolUsageRatio),
          '5m',
          'critical',
          'Connection pool {{ $labels.pool_name }} of {{ $labels.app }} is exhausted',
          '{{ $labels.app }} uses {{ $value | humanizePercentage }} of pool {{ $labels.pool_name }}; requests queue for a connection.',
        ),
      ],
    },
    {
      name: 'scrape',
      rules: [
        rule(
          'TargetDown',
          'up == 0',
          '10m',
          'warning',
          'Target {{ $labels.job }} {{ $labels.instance }} is down',
          'Prometheus has failed to scrape {{ $labels.job }} at {{ $labels.instance }} for 10 minutes.',
        ),
      ],
    },
  ];
  // A group without rules (no canary running) is left out.
  { groups: [g for g in groups if std.length(g.rules) > 0] }
