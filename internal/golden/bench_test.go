package golden

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kforge/kforge/internal/golden/goldentest"
)

// benchEnv writes an environment of n files to a new repository and returns its target and files.
func benchEnv(b *testing.B, n int) (Target, []File) {
	b.Helper()
	tgt := Target{Root: b.TempDir(), Dir: "golden/prod", Env: "prod"}
	var files []File
	for _, f := range goldentest.ConfigMaps(n) {
		files = append(files, File{Path: f.Path, Content: f.Content, Resource: f.Resource, Kind: f.Kind})
	}
	if _, err := Update(tgt, files); err != nil {
		b.Fatal(err)
	}
	return tgt, files
}

// BenchmarkUpdateUnchanged measures the no-op update of an unchanged 200-file environment.
func BenchmarkUpdateUnchanged(b *testing.B) {
	tgt, files := benchEnv(b, 200)
	b.ReportAllocs()
	for b.Loop() {
		ch, err := Update(tgt, files)
		if err != nil {
			b.Fatal(err)
		}
		if !ch.Empty() {
			b.Fatal("changes in an unchanged environment")
		}
	}
	if _, err := os.Stat(filepath.Join(tgt.Root, "golden", lockName)); !os.IsNotExist(err) {
		b.Fatalf("lock file left behind: %v", err)
	}
}

// BenchmarkUpdateChanged measures an update that rewrites every file of a 200-file environment:
// staging, making the files durable, and the swap. (Where the temporary directory is a tmpfs,
// making files durable costs nothing; set TMPDIR to a disk to see it.)
func BenchmarkUpdateChanged(b *testing.B) {
	tgt, files := benchEnv(b, 200)
	changed := make([]File, len(files))
	for i, f := range files {
		changed[i] = f
		changed[i].Content = append(append([]byte(nil), f.Content...), "    changed: yes\n"...)
	}
	versions := [2][]File{changed, files}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ch, err := Update(tgt, versions[i%2])
		if err != nil {
			b.Fatal(err)
		}
		if len(ch.Changed) != len(files) {
			b.Fatalf("%d files changed, want %d", len(ch.Changed), len(files))
		}
		i++
	}
}
