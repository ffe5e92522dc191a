// The default DestinationRule traffic policy of platform services: mesh mTLS, least-request
// balancing, bounded connection pools and outlier detection that ejects failing endpoints.
{
  connectionPool: {
    tcp: { maxConnections: 1024, connectTimeout: '3s' },
    http: {
      http1MaxPendingRequests: 512,
      http2MaxRequests: 1024,
      maxRetries: 3,
      idleTimeout: '60s',
    },
  },
  outlierDetection: {
    consecutive5xxErrors: 5,
    consecutiveGatewayErrors: 3,
    interval: '10s',
    baseEjectionTime: '30s',
    maxEjectionPercent: 50,
  },
  loadBalancer: { simple: 'LEAST_REQUEST' },
  tls: { mode: 'ISTIO_MUTUAL' },
}
