{
  new(name):: { apiVersion: 'v1', kind: 'Service', metadata: { name: name } },
}
