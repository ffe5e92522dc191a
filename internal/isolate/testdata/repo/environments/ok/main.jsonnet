{
  cm: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: (import 'ok.libsonnet').value },
    data: { text: importstr 'data.txt' },
  },
}
