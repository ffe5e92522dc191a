package kustomize

import (
	"path/filepath"
	"testing"
)

// BenchmarkBuildOverlay builds the differential test's prod overlay (a base with generators,
// patches of three kinds, images, labels) with a fresh Builder each time: the cost of one
// kustomizeBuild call that the run's memo does not serve.
func BenchmarkBuildOverlay(b *testing.B) {
	root, err := filepath.Abs(filepath.Join("..", "cli", "testdata", "tkcompat", "kustomize", "repo"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		builder, err := NewBuilder(root)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := builder.Build("kustomize/overlays/prod"); err != nil {
			b.Fatal(err)
		}
	}
}
