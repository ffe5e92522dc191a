{
  cm(name, data):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name }, data: data },
  deploy(name, replicas):: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: name, labels: { app: name } },
    spec: { replicas: replicas, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: name, image: 'registry.example.com/%s:1.0.0' % name }] } } },
  },
}
