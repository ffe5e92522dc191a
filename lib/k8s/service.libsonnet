// Service (v1).
local meta = import 'meta.libsonnet';

{
  new(name, namespace, selector, ports)::
    meta.namespaced('v1', 'Service', name, namespace) + {
      spec: {
        type: 'ClusterIP',
        selector: selector,
        ports: ports,
      },
    },

  // port names carry the protocol prefix Istio uses for protocol selection (http, grpc, https, tcp).
  port(name, port, targetPort=name, protocol='TCP', appProtocol=null):: {
    name: name,
    port: port,
    targetPort: targetPort,
    protocol: protocol,
    [if appProtocol != null then 'appProtocol']: appProtocol,
  },

  // withHeadless makes the Service the governing Service of a StatefulSet.
  withHeadless(publishNotReadyAddresses=false):: {
    spec+: {
      clusterIP: 'None',
      [if publishNotReadyAddresses then 'publishNotReadyAddresses']: true,
    },
  },
}
