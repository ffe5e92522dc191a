// risk-engine: a Go-kit service on :8080. Every endpoint is wrapped in the Go-kit middleware
// chain its config.yaml describes: a circuit breaker (gobreaker settings), a token-bucket rate
// limiter and Prometheus instrumenting.
local format = import 'config/format.libsonnet';
local goService = import 'go-service.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'risk-engine',
  component: 'backend',
  configDir: '/etc/risk-engine',
  // middleware: the default chain of every endpoint; endpoints may override parts of it.
  middleware: {
    circuitBreaker: { maxRequests: 5, interval: '60s', timeout: '30s', failureRatio: 0.6 },
    rateLimiter: { qps: 200, burst: 50 },
    instrumenting: { namespace: 'risk', subsystem: 'engine', enabled: true },
  },
  endpoints: {
    score: {},
    evaluate: { rateLimiter+: { qps: 100, burst: 20 } },
    explain: { circuitBreaker+: { failureRatio: 0.5 }, rateLimiter+: { qps: 50, burst: 10 } },
  },
  resources: k.container.resources('250m', '256Mi', '2', '512Mi'),
};

local validEndpoint(e) =
  e.circuitBreaker.maxRequests >= 1
  && e.circuitBreaker.failureRatio > 0 && e.circuitBreaker.failureRatio <= 1
  && format.isPositiveDuration(e.circuitBreaker.interval)
  && format.isPositiveDuration(e.circuitBreaker.timeout)
  && e.rateLimiter.qps > 0 && e.rateLimiter.burst >= 1;

function(params)
  local c = defaults + params;
  local endpoints = { [name]: c.middleware + c.endpoints[name] for name in std.objectFields(c.endpoints) };
  assert std.length(endpoints) > 0 : 'risk-engine needs at least one endpoint';
  assert std.all([validEndpoint(endpoints[n]) for n in std.objectFields(endpoints)]) : 'risk-engine: circuit breaker needs maxRequests >= 1, failureRatio in (0, 1] and positive durations; rate limiter qps > 0 and burst >= 1';
  goService(c {
    args: ['-config', c.configDir + '/config.yaml'],
    config: {
      server: { http: { addr: ':8080' } },
      endpoints: endpoints,
    },
  })
