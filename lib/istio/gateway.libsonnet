// Public entry: an Istio Gateway on the ingress gateway (HTTPS with a certificate Secret
// reference, HTTP redirected to HTTPS) and the VirtualService bound to it that routes path
// prefixes to in-mesh services.
local meta = import 'k8s/meta.libsonnet';

local defaults = {
  name: error 'must provide name',
  namespace: error 'must provide namespace',
  labels: {},
  hosts: error 'must provide hosts',
  // credentialName: the TLS Secret (in the ingress gateway's namespace) holding the certificate.
  credentialName: error 'must provide credentialName',
  selector: { istio: 'ingressgateway' },
  minProtocolVersion: 'TLSV1_2',
  // routes: [{name, prefix, host, port, timeout}] in match order.
  routes: error 'must provide routes',
  virtualServiceName: self.name,
};

function(params) {
  local this = self,
  _config:: defaults + params,
  local c = self._config,

  assert std.length(c.hosts) > 0 : 'gateway %s needs at least one host' % c.name,
  assert std.length(c.routes) > 0 : 'gateway %s needs at least one route' % c.name,
  assert std.all([std.endsWith(r.prefix, '/') for r in c.routes]) : 'gateway %s: route prefixes end with / so /api/ never matches /apix' % c.name,

  route(r):: {
    name: r.name,
    match: [{ uri: { prefix: r.prefix } }],
    route: [{ destination: { host: r.host, port: { number: r.port } }, weight: 100 }],
    timeout: r.timeout,
  },

  gateway:
    meta.namespaced('networking.istio.io/v1', 'Gateway', c.name, c.namespace)
    + meta.withLabels(c.labels) + {
      spec: {
        selector: c.selector,
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: c.hosts,
            tls: { mode: 'SIMPLE', credentialName: c.credentialName, minProtocolVersion: c.minProtocolVersion },
          },
          {
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts: c.hosts,
            tls: { httpsRedirect: true },
          },
        ],
      },
    },

  virtual_service:
    meta.namespaced('networking.istio.io/v1', 'VirtualService', c.virtualServiceName, c.namespace)
    + meta.withLabels(c.labels) + {
      spec: {
        hosts: c.hosts,
        gateways: [c.name],
        http: [this.route(r) for r in c.routes],
      },
    },
}
