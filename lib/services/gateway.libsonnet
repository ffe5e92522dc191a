// gateway: the Echo edge service. It serves HTTP/2 over TLS on :8443 with its certificate
// from a Secret reference, read/write and idle timeouts, `/api/` on its REST handlers and
// `/v1/` through grpc-gateway to user-service's gRPC port; metrics on a plain :9090. In front
// of it: the Istio Gateway `public-gateway` and the VirtualService bound to it, plus a
// DestinationRule that originates TLS from the mesh to the service's own TLS port.
local format = import 'config/format.libsonnet';
local goService = import 'go-service.libsonnet';
local istioGateway = import 'istio/gateway.libsonnet';
local trafficPolicy = import 'istio/traffic-policy.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'gateway',
  component: 'edge',
  configDir: '/etc/gateway/config',
  // hosts: the public host names served by the Istio Gateway.
  hosts: error 'must provide hosts',
  // credentialName: the ingress gateway's TLS Secret for the public hosts.
  credentialName: 'kforge-public-tls',
  // tlsSecret: the service's own serving certificate (tls.crt, tls.key).
  tlsSecret: 'gateway-tls',
  readTimeout: '30s',
  writeTimeout: '30s',
  idleTimeout: '60s',
  // backends: the upstreams of the REST handlers and of grpc-gateway.
  backends: {
    orders: 'http://order-service.apps.svc.cluster.local:8080',
    risk: 'http://risk-engine.apps.svc.cluster.local:8080',
    esign: 'http://esign-service.apps.svc.cluster.local:8080',
    users: 'dns:///user-service.apps.svc.cluster.local:9000',
  },
  resources: k.container.resources('250m', '256Mi', '2', '512Mi'),
};

function(params)
  local c = defaults + params;
  local fqdn = '%s.%s.svc.cluster.local' % [c.name, c.namespace];
  assert std.all([format.isPositiveDuration(d) for d in [c.readTimeout, c.writeTimeout, c.idleTimeout]]) : 'gateway: timeouts must be positive durations';
  local base = goService(c {
    ports: [{ name: 'https', port: 8443 }, { name: 'http-metrics', port: 9090 }],
    metrics: { port: 9090, path: '/metrics' },
    readiness: k.probe.http('/readyz', 'https', 'HTTPS'),
    liveness: k.probe.http('/healthz', 'https', 'HTTPS'),
    args: ['--config', c.configDir + '/config.yaml'],
    volumes: [k.pod.secretVolume('tls', c.tlsSecret)],
    volumeMounts: [k.container.volumeMount('tls', '/etc/gateway/tls', readOnly=true)],
    config: {
      server: {
        addr: ':8443',
        http2: true,
        tls: { certFile: '/etc/gateway/tls/tls.crt', keyFile: '/etc/gateway/tls/tls.key', minVersion: '1.2' },
        readTimeout: c.readTimeout,
        readHeaderTimeout: '10s',
        writeTimeout: c.writeTimeout,
        idleTimeout: c.idleTimeout,
        shutdownTimeout: '20s',
      },
      metrics: { addr: ':9090', path: '/metrics' },
      routes: [
        {
          prefix: '/api/',
          handler: 'rest',
          upstreams: { orders: c.backends.orders, risk: c.backends.risk, esign: c.backends.esign },
        },
        {
          prefix: '/v1/',
          handler: 'grpc-gateway',
          upstream: c.backends.users,
        },
      ],
    },
  });
  local edge = istioGateway({
    name: 'public-gateway',
    namespace: c.namespace,
    labels: base.labels(),
    hosts: c.hosts,
    credentialName: c.credentialName,
    virtualServiceName: c.name,
    routes: [
      { name: 'api', prefix: '/api/', host: fqdn, port: 8443, timeout: c.writeTimeout },
      { name: 'grpc-gateway', prefix: '/v1/', host: fqdn, port: 8443, timeout: c.writeTimeout },
    ],
  });
  base {
    istio_gateway: edge.gateway,
    virtual_service: edge.virtual_service,
    destination_rule:
      k.meta.namespaced('networking.istio.io/v1', 'DestinationRule', c.name, c.namespace)
      + k.meta.withLabels(base.labels()) + {
        spec: {
          host: fqdn,
          trafficPolicy: trafficPolicy {
            // The service terminates TLS itself: the mesh originates TLS to it.
            tls: { mode: 'SIMPLE', sni: fqdn },
          },
        },
      },
  }
