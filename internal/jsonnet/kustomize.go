package jsonnet

import (
	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"github.com/kforge/kforge/internal/kustomize"
)

// kustomizeNative is std.native('kustomizeBuild')(path, opts), Tanka's in-process `kustomize
// build` (internal/kustomize), confined to sb's root. What a build read joins imp's record of
// the evaluation, so the render cache and affected selection see kustomize's inputs.
func kustomizeNative(sb *sandbox, imp *importer) *gojsonnet.NativeFunction {
	return &gojsonnet.NativeFunction{
		Name:   "kustomizeBuild",
		Params: ast.Identifiers{"path", "opts"},
		Func: func(args []any) (any, error) {
			b, err := sb.kustomizeBuilder()
			if err != nil {
				return nil, err
			}
			v, reads, misses, err := b.Call(sb.root, args)
			for _, r := range reads {
				imp.reads[r.Path] = r.SHA256
			}
			for _, m := range misses {
				imp.misses[m] = true
			}
			return v, err
		},
	}
}

// kustomizeBuilder returns the sandbox's kustomize builder, creating it on first use.
func (s *sandbox) kustomizeBuilder() (*kustomize.Builder, error) {
	s.kustomizeOnce.Do(func() { s.kustomize, s.kustomizeErr = kustomize.NewBuilder(s.realRoot) })
	return s.kustomize, s.kustomizeErr
}
