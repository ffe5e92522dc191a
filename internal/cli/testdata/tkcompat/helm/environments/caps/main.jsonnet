// .Capabilities: the default Kubernetes version, then kubeVersion and apiVersions; the
// namespace option; a custom nameFormat.
{
  default: std.native('helmTemplate')('plain', '../../charts/caps', { calledFrom: std.thisFile }),
  pinned: std.native('helmTemplate')('pinned', '../../charts/caps', {
    calledFrom: std.thisFile,
    kubeVersion: '1.29.4',
    apiVersions: ['monitoring.coreos.com/v1', 'example.org/v1,example.org/v2'],
    namespace: 'monitoring',
    nameFormat: '{{ .metadata.name }}.{{ .kind | lower }}',
  }),
}
