// user-service: a Kratos service serving HTTP on :8000 and gRPC on :9000. Its config.yaml
// holds the server addresses and timeouts, the etcd registry the service registers in, and
// the middleware chain: request logging and Sentinel flow control (threshold = QPS; a WarmUp
// rule ramps up over warmUpPeriodSec).
local format = import 'config/format.libsonnet';
local goService = import 'go-service.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'user-service',
  component: 'api',
  configDir: '/etc/user-service',
  // etcdEndpoints: the registry's members ('etcd-0.etcd.data:2379', ...).
  etcdEndpoints: error 'must provide etcdEndpoints',
  httpTimeout: '1s',
  grpcTimeout: '1s',
  sentinelRules: [
    { resource: 'user.GetByID', threshold: 100, controlBehavior: 'Reject' },
    { resource: 'user.ListUsers', threshold: 50, controlBehavior: 'WarmUp', warmUpPeriodSec: 30 },
    { resource: 'user.Register', threshold: 20, controlBehavior: 'WarmUp', warmUpPeriodSec: 60 },
  ],
  resources: k.container.resources('200m', '256Mi', '1', '512Mi'),
};

local validRule(r) =
  std.isString(r.resource) && r.threshold > 0
  && (std.get(r, 'controlBehavior', 'Reject') != 'WarmUp' || std.get(r, 'warmUpPeriodSec', 0) > 0);

function(params)
  local c = defaults + params;
  assert std.length(c.etcdEndpoints) > 0 : 'user-service needs at least one etcd endpoint';
  assert std.all([validRule(r) for r in c.sentinelRules]) : 'user-service: every Sentinel rule needs a positive threshold, and WarmUp rules a positive warmUpPeriodSec';
  assert format.isPositiveDuration(c.httpTimeout) && format.isPositiveDuration(c.grpcTimeout) : 'user-service: server timeouts must be positive durations';
  goService(c {
    ports: [{ name: 'http', port: 8000 }, { name: 'grpc', port: 9000 }],
    metrics: { port: 8000, path: '/metrics' },
    readiness: k.probe.grpc(9000),
    liveness: k.probe.http('/healthz', 'http'),
    args: ['-conf', c.configDir],
    config: {
      server: {
        http: { addr: '0.0.0.0:8000', timeout: c.httpTimeout },
        grpc: { addr: '0.0.0.0:9000', timeout: c.grpcTimeout },
      },
      registry: { etcd: { endpoints: c.etcdEndpoints } },
      middleware: {
        logging: true,
        sentinel: { enable: true, rules: c.sentinelRules },
      },
    },
  })
