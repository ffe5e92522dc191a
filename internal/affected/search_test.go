package affected

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

// TestProbeAgreesWithEvaluation checks that Probe replays the import search the evaluation
// makes (both use jsonnet.SearchImport): the importing file's directory before the jpath, the
// jpath in order, and files named like the pseudo files of `import 'tk'` (<tk>, <tk#2>) never
// found in the root, where their names are reserved, but found below another directory.
func TestProbeAgreesWithEvaluation(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFiles(t, root, map[string]string{
		"main.jsonnet": "{ tk: import '<tk>', tk2: import '<tk#2>', mid: import 'mid.libsonnet' }\n",
		"<tk>":         "'root'\n",
		"<tk#2>":       "'root'\n",
		"lib/<tk>":     "'lib'\n",
		"lib/<tk#2>":   "'lib'\n",
		// mid.libsonnet is only in vendor; the leaf it imports is in its own directory and in
		// lib, and its own directory comes first.
		"vendor/mid.libsonnet":  "import 'leaf.libsonnet'\n",
		"vendor/leaf.libsonnet": "'vendor'\n",
		"lib/leaf.libsonnet":    "'lib'\n",
	})
	jpath := []string{"lib", "vendor"}

	res := evaluate(t, jsonnet.Options{Root: root, JPath: jpath}, "main.jsonnet")
	var out map[string]string
	if err := json.Unmarshal([]byte(res.JSON), &out); err != nil {
		t.Fatal(err)
	}
	wantOut := map[string]string{"tk": "lib", "tk2": "lib", "mid": "vendor"}
	if !maps.Equal(out, wantOut) {
		t.Errorf("evaluation = %v, want %v", out, wantOut)
	}
	var reads []string
	for _, r := range res.Reads {
		reads = append(reads, r.Path)
	}
	wantReads := []string{"lib/<tk#2>", "lib/<tk>", "main.jsonnet", "vendor/leaf.libsonnet", "vendor/mid.libsonnet"}
	if !slices.Equal(reads, wantReads) {
		t.Errorf("evaluation read %q, want %q", reads, wantReads)
	}

	p, err := NewScanner().Probe(root, jpath, []string{"main.jsonnet"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if files := slices.Sorted(maps.Keys(p.Files)); !slices.Equal(files, reads) {
		t.Errorf("Probe found %q, the evaluation read %q", files, reads)
	}
	wantMisses := []string{"lib/mid.libsonnet", "mid.libsonnet"}
	if !slices.Equal(p.Misses, wantMisses) {
		t.Errorf("Misses = %q, want %q", p.Misses, wantMisses)
	}
}
