package cache

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

// benchRepo writes a repository whose environment reads n library files of about 4 KB each
// (plus its entrypoint) and returns the root and the inputs.
func benchRepo(b *testing.B, n int) (string, Inputs) {
	b.Helper()
	root := copyRepo(b)
	var main strings.Builder
	main.WriteString("{\n")
	for i := range n {
		var lib strings.Builder
		fmt.Fprintf(&lib, "local k = import 'kube/k.libsonnet';\n{\n")
		for j := range 60 {
			fmt.Fprintf(&lib, "  field_%d_%d:: k.deployment('app-%d-%d', %d),\n", i, j, i, j, j)
		}
		fmt.Fprintf(&lib, "  value: self.field_%d_0,\n}\n", i)
		testfs.WriteFile(b, root, fmt.Sprintf("lib/gen/lib%02d.libsonnet", i), lib.String())
		fmt.Fprintf(&main, "  app%02d: (import 'gen/lib%02d.libsonnet').value,\n", i, i)
	}
	main.WriteString("}\n")
	testfs.WriteFile(b, root, envDir+"/main.jsonnet", main.String())
	in := baseInputs(b, root)
	in.Options.TkEnv = nil
	return root, in
}

// BenchmarkGet measures a hit on an entry whose evaluation read ~50 files: re-hashing every
// file, probing every miss and reading the output.
func BenchmarkGet(b *testing.B) {
	root, in := benchRepo(b, 48)
	s := openStore(b)
	k := NewKey(in)
	e := render(b, in)
	if err := s.Put(k, root, e); err != nil {
		b.Fatal(err)
	}
	var got Entry
	for b.Loop() {
		var ok bool
		var err error
		if got, ok, err = s.Get(k, root); !ok || err != nil {
			b.Fatalf("Get = %v, %v", ok, err)
		}
	}
	b.ReportMetric(float64(len(got.Reads)), "reads")
	b.ReportMetric(float64(len(got.Misses)), "misses")
}

// BenchmarkPut measures storing that entry with the import lists already parsed (the steady
// state of a run in which environments share their libraries).
func BenchmarkPut(b *testing.B) {
	root, in := benchRepo(b, 48)
	s := openStore(b)
	k := NewKey(in)
	e := render(b, in)
	if err := s.Put(k, root, e); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := s.Put(k, root, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutCold is Put with a fresh Store, so every read file is parsed for its imports.
func BenchmarkPutCold(b *testing.B) {
	root, in := benchRepo(b, 48)
	k := NewKey(in)
	e := render(b, in)
	for b.Loop() {
		b.StopTimer()
		s := openStore(b)
		b.StartTimer()
		if err := s.Put(k, root, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate is the work a hit saves, for comparison.
func BenchmarkEvaluate(b *testing.B) {
	_, in := benchRepo(b, 48)
	for b.Loop() {
		vm, err := jsonnet.NewVM(in.Options)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := vm.EvaluateFile(in.Entrypoint); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildID reads the Go build ID of the test binary, once per kforge run.
func BenchmarkBuildID(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := BuildID(exe); err != nil {
			b.Fatal(err)
		}
	}
}
