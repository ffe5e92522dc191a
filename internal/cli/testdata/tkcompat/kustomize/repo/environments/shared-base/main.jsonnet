// The same kustomization built twice (identical input: built once by kforge) and another
// overlay of the same base.
local kustomize = (import 'kustomize.libsonnet').new(std.thisFile);
local base = kustomize.build('../../kustomize/base', { nameFormat: '{{ .metadata.name }}_{{ .kind | snakecase }}' });

{
  first: base,
  second: std.mapWithKey(function(_, o) o { metadata+: { name: 'copy-' + super.name } }, kustomize.build('../../kustomize/base')),
  canary: kustomize.build('../../kustomize/with-components', { nameFormat: 'canary_{{ .kind }}_{{ .metadata.name }}' }),
}
