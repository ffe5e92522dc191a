// Option keys match without regard to case, unknown keys are ignored, and nameFormat is a Go
// template with sprig's functions.
{
  api: std.native('kustomizeBuild')('../../kustomize/replacements', {
    CALLEDFROM: std.thisFile,
    nameformat: '{{ .kind | lower }}-{{ .metadata.name | replace "-" "_" }}',
    unknownOption: true,
  }),
}
