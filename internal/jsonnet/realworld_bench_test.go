package jsonnet

import (
	"os"
	"path"
	"testing"
)

// BenchmarkRealWorld evaluates a real Tanka environment in process, as an evaluation worker
// does (a fresh VM each time: files read, parsed and rewritten each time), with kforge's
// evaluator and with go-jsonnet alone. It runs only when KFORGE_REALWORLD_REPO names a Tanka
// repository (e.g. the one hack/realworld/assemble.sh builds) and KFORGE_REALWORLD_ENV the
// environment's main.jsonnet in it (default environments/kube-prometheus/main.jsonnet):
//
//	KFORGE_REALWORLD_REPO=DIR go test ./internal/jsonnet -run '^$' -bench RealWorld
func BenchmarkRealWorld(b *testing.B) {
	root := os.Getenv("KFORGE_REALWORLD_REPO")
	if root == "" {
		b.Skip("KFORGE_REALWORLD_REPO is not set")
	}
	file := os.Getenv("KFORGE_REALWORLD_ENV")
	if file == "" {
		file = "environments/kube-prometheus/main.jsonnet"
	}
	for _, mode := range []struct {
		name string
		off  bool
	}{{"interp", false}, {"go-jsonnet", true}} {
		b.Run(mode.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				vm, err := NewVM(Options{Root: root, JPath: tankaJPath(path.Dir(file)), OutputSink: true, DisableInterp: mode.off})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := vm.EvaluateFile(file); err != nil {
					b.Fatal(err)
				}
				if !mode.off && vm.interpServed.Load() == 0 {
					b.Fatal("kforge's evaluator did not serve the environment")
				}
			}
		})
	}
}
