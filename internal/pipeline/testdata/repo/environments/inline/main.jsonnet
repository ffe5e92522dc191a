[
  {
    apiVersion: 'tanka.dev/v1alpha1',
    kind: 'Environment',
    metadata: { name: 'inline-' + region },
    spec: { namespace: region },
    data: (import 'app.libsonnet').new(region, 5),
  }
  for region in ['eu', 'us']
]
