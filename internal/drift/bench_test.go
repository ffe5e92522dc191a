package drift

import (
	"testing"

	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/golden/goldentest"
)

// BenchmarkCompare compares an unchanged environment of 200 files with its golden directory.
func BenchmarkCompare(b *testing.B) {
	tgt := golden.Target{Root: b.TempDir(), Dir: "golden/prod", Env: "prod"}
	var files []golden.File
	for _, f := range goldentest.ConfigMaps(200) {
		files = append(files, golden.File{Path: f.Path, Content: f.Content, Resource: f.Resource, Kind: f.Kind})
	}
	if _, err := golden.Update(tgt, files); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		d, err := Compare(tgt, files)
		if err != nil {
			b.Fatal(err)
		}
		if !d.Clean() {
			b.Fatal("drift in an unchanged environment")
		}
	}
}
