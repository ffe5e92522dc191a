package jsonnet

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

func TestImportSearchOrder(t *testing.T) {
	root := testdataRoot(t, "order")
	vm := newTestVM(t, Options{Root: root, JPath: tankaJPath("environments/prod")})
	tests := []struct {
		name string
		from string // the importing file
		path string
		want string // foundAt, as std.thisFile reports it
	}{
		{"own dir beats base", "environments/prod/sub/x.jsonnet", "own.libsonnet", "environments/prod/sub/own.libsonnet"},
		{"base beats lib", "environments/prod/sub/x.jsonnet", "base.libsonnet", "environments/prod/base.libsonnet"},
		{"lib beats base vendor", "environments/prod/sub/x.jsonnet", "lib.libsonnet", "lib/lib.libsonnet"},
		{"base vendor beats root vendor", "environments/prod/sub/x.jsonnet", "basevendor.libsonnet", "environments/prod/vendor/basevendor.libsonnet"},
		{"root vendor last", "environments/prod/sub/x.jsonnet", "rootvendor.libsonnet", "vendor/rootvendor.libsonnet"},
		{"own dir of a base file is the base", "environments/prod/main.jsonnet", "own.libsonnet", "environments/prod/own.libsonnet"},
		{"own dir of a lib file", "lib/x.libsonnet", "own.libsonnet", "lib/own.libsonnet"},
		{"relative path with ..", "environments/prod/sub/x.jsonnet", "../base.libsonnet", "environments/prod/base.libsonnet"},
		{"nested path through vendor", "environments/prod/main.jsonnet", "github.com/grafana/jsonnet-libs/util.libsonnet", "vendor/github.com/grafana/jsonnet-libs/util.libsonnet"},
		{"snippet at the root", "", "rootvendor.libsonnet", "vendor/rootvendor.libsonnet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := vm.EvaluateSnippet(tc.from, "import '"+tc.path+"'")
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, res.JSON, `"`+tc.want+`"`)
			if len(res.Reads) != 1 || res.Reads[0].Path != tc.want {
				t.Errorf("reads = %v, want only %s", res.Reads, tc.want)
			}
		})
	}
}

func TestImportSearchOrderFromEntrypoint(t *testing.T) {
	vm := newTestVM(t, Options{Root: testdataRoot(t, "order"), JPath: tankaJPath("environments/prod")})
	res, err := vm.EvaluateFile("environments/prod/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, res.JSON, `{
		"own": "environments/prod/sub/own.libsonnet",
		"probe": {
			"own": "environments/prod/sub/own.libsonnet",
			"base": "environments/prod/base.libsonnet",
			"lib": "lib/lib.libsonnet",
			"basevendor": "environments/prod/vendor/basevendor.libsonnet",
			"rootvendor": "vendor/rootvendor.libsonnet"
		}
	}`)
}

func TestImportTk(t *testing.T) {
	root := testdataRoot(t, "repo")
	env := []byte(`{"env": {"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": {"name": "environments/tk"}}}`)
	tests := []struct {
		name    string
		opts    Options
		file    string
		code    string
		want    string
		wantErr string
	}{
		{
			name: "environment object and tanka ext var",
			opts: Options{Root: root, TkEnv: env},
			file: "environments/tk/main.jsonnet",
			want: `{"name": "environments/tk", "viaExtVar": "environments/tk"}`,
		},
		{
			name: "whole value",
			opts: Options{Root: root, TkEnv: env},
			code: "import 'tk'",
			want: string(env),
		},
		{
			name: "explicit ext var wins over the tanka default",
			opts: Options{Root: root, TkEnv: env, ExtVars: map[string]string{"tanka.dev/environment": "mine"}},
			code: "std.extVar('tanka.dev/environment')",
			want: `"mine"`,
		},
		{
			name:    "not rendering an environment",
			opts:    Options{Root: root},
			file:    "environments/tk/main.jsonnet",
			wantErr: "environments/tk/main.jsonnet:2:10: import 'tk' is only available when rendering an environment",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vm := newTestVM(t, tc.opts)
			var res Result
			var err error
			if tc.file != "" {
				res, err = vm.EvaluateFile(tc.file)
			} else {
				res, err = vm.EvaluateSnippet("environments/tk/snippet.jsonnet", tc.code)
			}
			if tc.wantErr != "" {
				e := asError(t, err)
				if e.Kind != KindImport || !strings.HasPrefix(e.Error(), tc.wantErr) {
					t.Fatalf("got %s error %q, want import error starting %q", e.Kind, e.Error(), tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, res.JSON, tc.want)
			for _, r := range res.Reads {
				if r.Path == tkFoundAt {
					t.Errorf("import 'tk' recorded as a file read: %v", res.Reads)
				}
			}
		})
	}
}

// sandboxRepo is a copy of testdata/repo with links that git cannot carry: symlinks leaving
// the root (to a file and to a directory), a symlink staying inside, and the outside files.
func sandboxRepo(t *testing.T) string {
	t.Helper()
	root := copyTree(t, "repo")
	outside := filepath.Join(filepath.Dir(root), "outside")
	testfs.WriteFile(t, outside, "secret.libsonnet", "{ secret: true }")
	testfs.WriteFile(t, outside, "dir/x.libsonnet", "{ x: true }")
	testfs.WriteFile(t, filepath.Dir(root), "outside.txt", "outside text")
	testfs.WriteFile(t, filepath.Dir(root), "outside.bin", "outside bytes")
	links := map[string]string{
		"vendor/evil.libsonnet":   filepath.Join(outside, "secret.libsonnet"),
		"vendor/evildir":          filepath.Join(outside, "dir"),
		"vendor/relative-escape":  "../../outside/secret.libsonnet",
		"vendor/dev-null":         "/dev/null",
		"vendor/k.libsonnet":      "../lib/common.libsonnet",
		"environments/a/linkdir":  "../../lib",
		"environments/a/dangling": "missing.libsonnet",
	}
	for link, target := range links {
		p := filepath.Join(root, filepath.FromSlash(link))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("symlinks not supported here: %v", err)
		}
	}
	testfs.WriteFile(t, root, "environments/sandbox/symlink-file.jsonnet", "{\n  x: import 'evil.libsonnet',\n}\n")
	testfs.WriteFile(t, root, "environments/sandbox/symlink-dir.jsonnet", "{\n  x: import 'evildir/x.libsonnet',\n}\n")
	testfs.WriteFile(t, root, "environments/sandbox/symlink-relative.jsonnet", "importstr 'relative-escape'\n")
	testfs.WriteFile(t, root, "environments/sandbox/symlink-str.jsonnet", "{\n  x: importstr 'evil.libsonnet',\n}\n")
	testfs.WriteFile(t, root, "environments/sandbox/symlink-bin.jsonnet", "{\n  x: importbin 'evil.libsonnet',\n}\n")
	testfs.WriteFile(t, root, "environments/sandbox/device.jsonnet", "{\n  x: importstr 'dev-null',\n}\n")
	testfs.WriteFile(t, root, "environments/sandbox/proc.jsonnet", "importstr '../../../../../../../../proc/self/environ'\n")
	return root
}

func TestSandbox(t *testing.T) {
	root := sandboxRepo(t)
	vm := newTestVM(t, Options{Root: root, JPath: tankaJPath("environments/sandbox")})
	tests := []struct {
		file string
		kind Kind
		want string // the first line of Error()
	}{
		{"environments/sandbox/absolute.jsonnet", KindSandbox,
			`environments/sandbox/absolute.jsonnet:2:6: import "/etc/hostname" is outside the repository root (absolute paths are not allowed)`},
		{"environments/sandbox/dotdot.jsonnet", KindSandbox,
			`environments/sandbox/dotdot.jsonnet:3:1: import "../../../etc/passwd" is outside the repository root`},
		{"environments/sandbox/dotdot-str.jsonnet", KindSandbox,
			`environments/sandbox/dotdot-str.jsonnet:2:6: import "../../../outside.txt" is outside the repository root`},
		{"environments/sandbox/dotdot-bin.jsonnet", KindSandbox,
			`environments/sandbox/dotdot-bin.jsonnet:2:6: import "../../../outside.bin" is outside the repository root`},
		{"environments/sandbox/proc.jsonnet", KindSandbox,
			`environments/sandbox/proc.jsonnet:1:1: import "../../../../../../../../proc/self/environ" is outside the repository root`},
		{"environments/sandbox/symlink-file.jsonnet", KindSandbox,
			`environments/sandbox/symlink-file.jsonnet:2:6: import "evil.libsonnet": vendor/evil.libsonnet is a symlink to a file outside the repository root`},
		{"environments/sandbox/symlink-dir.jsonnet", KindSandbox,
			`environments/sandbox/symlink-dir.jsonnet:2:6: import "evildir/x.libsonnet": vendor/evildir/x.libsonnet is a symlink to a file outside the repository root`},
		{"environments/sandbox/symlink-relative.jsonnet", KindSandbox,
			`environments/sandbox/symlink-relative.jsonnet:1:1: import "relative-escape": vendor/relative-escape is a symlink to a file outside the repository root`},
		{"environments/sandbox/symlink-str.jsonnet", KindSandbox,
			`environments/sandbox/symlink-str.jsonnet:2:6: import "evil.libsonnet": vendor/evil.libsonnet is a symlink to a file outside the repository root`},
		{"environments/sandbox/symlink-bin.jsonnet", KindSandbox,
			`environments/sandbox/symlink-bin.jsonnet:2:6: import "evil.libsonnet": vendor/evil.libsonnet is a symlink to a file outside the repository root`},
		{"environments/sandbox/device.jsonnet", KindSandbox,
			`environments/sandbox/device.jsonnet:2:6: import "dev-null": vendor/dev-null is a symlink to a file outside the repository root`},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			_, err := vm.EvaluateFile(tc.file)
			e := asError(t, err)
			first, _, _ := strings.Cut(e.Error(), "\n")
			if e.Kind != tc.kind || first != tc.want {
				t.Errorf("got %s error\n  %s\nwant %s error\n  %s", e.Kind, first, tc.kind, tc.want)
			}
			if strings.Contains(e.Error(), filepath.Dir(root)) {
				t.Errorf("error leaks an absolute path: %s", e.Error())
			}
		})
	}
}

func TestSandboxEntrypoint(t *testing.T) {
	root := sandboxRepo(t)
	vm := newTestVM(t, Options{Root: root})
	tests := []struct {
		path string
		kind Kind
		want string
	}{
		{"../outside.txt", KindSandbox, "evaluate: ../outside.txt is outside the repository root"},
		{filepath.Join(filepath.Dir(root), "outside.txt"), KindSandbox, "evaluate: outside.txt is outside the repository root"},
		{"vendor/evil.libsonnet", KindSandbox, "vendor/evil.libsonnet: vendor/evil.libsonnet is a symlink to a file outside the repository root"},
		{"environments/nowhere/main.jsonnet", KindImport, "environments/nowhere/main.jsonnet: no such file"},
		{"environments/errors/subdir", KindImport, "environments/errors/subdir: environments/errors/subdir is a directory, not a file"},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			_, err := vm.EvaluateFile(tc.path)
			e := asError(t, err)
			if e.Kind != tc.kind || e.Error() != tc.want {
				t.Errorf("got %s error %q, want %s error %q", e.Kind, e.Error(), tc.kind, tc.want)
			}
		})
	}
}

func TestSandboxAllowsInside(t *testing.T) {
	root := sandboxRepo(t)
	vm := newTestVM(t, Options{Root: root, JPath: tankaJPath("environments/a")})
	common := sha256Hex(t, filepath.Join(root, "lib/common.libsonnet"))
	tests := []struct {
		name      string
		from      string
		code      string
		want      string
		wantReads []FileRead
	}{
		{
			name: "symlinked file inside the root records link and target",
			from: "environments/a/x.jsonnet",
			code: "(import 'k.libsonnet').name",
			want: `"common"`,
			wantReads: []FileRead{
				{Path: "lib/common.libsonnet", SHA256: common},
				{Path: "vendor/k.libsonnet", SHA256: common},
			},
		},
		{
			name: "symlinked directory inside the root",
			from: "environments/a/x.jsonnet",
			code: "(import 'linkdir/common.libsonnet').name",
			want: `"common"`,
			wantReads: []FileRead{
				{Path: "environments/a/linkdir/common.libsonnet", SHA256: common},
				{Path: "lib/common.libsonnet", SHA256: common},
			},
		},
		{
			name:      ".. that stays inside",
			from:      "environments/sandbox/dotdot-inside.jsonnet",
			code:      "(import '../../lib/common.libsonnet').name",
			want:      `"common"`,
			wantReads: []FileRead{{Path: "lib/common.libsonnet", SHA256: common}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := vm.EvaluateSnippet(tc.from, tc.code)
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, res.JSON, tc.want)
			if !reflect.DeepEqual(res.Reads, tc.wantReads) {
				t.Errorf("reads = %v, want %v", res.Reads, tc.wantReads)
			}
		})
	}
}

func TestImportFailures(t *testing.T) {
	root := sandboxRepo(t)
	vm := newTestVM(t, Options{Root: root, JPath: tankaJPath("environments/a")})
	tests := []struct {
		name string
		code string
		kind Kind
		want string
	}{
		{"not found lists the searched directories", "import 'nowhere.libsonnet'", KindImport,
			`environments/a/x.jsonnet:1:1: import "nowhere.libsonnet" not found (searched environments/a, lib, environments/a/vendor, vendor)`},
		{"dangling symlink is not found", "import 'dangling'", KindImport,
			`environments/a/x.jsonnet:1:1: import "dangling" not found (searched environments/a, lib, environments/a/vendor, vendor)`},
		{"directory", "importstr 'linkdir'", KindImport,
			`environments/a/x.jsonnet:1:1: import "linkdir": environments/a/linkdir is a directory, not a file`},
		{"empty path", "import ''", KindImport,
			`environments/a/x.jsonnet:1:1: import of an empty path`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := vm.EvaluateSnippet("environments/a/x.jsonnet", tc.code)
			e := asError(t, err)
			first, _, _ := strings.Cut(e.Error(), "\n")
			if e.Kind != tc.kind || first != tc.want {
				t.Errorf("got %s error %q, want %s error %q", e.Kind, first, tc.kind, tc.want)
			}
		})
	}
}

func sha256Hex(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestReadsPerEvaluation(t *testing.T) {
	root := testdataRoot(t, "repo")
	sum := func(rel string) string { return sha256Hex(t, filepath.Join(root, rel)) }
	// One VM, reused: jpath "lib" serves both environments' own-dir imports.
	vm := newTestVM(t, Options{Root: root, JPath: []string{"lib", "vendor"}})
	steps := []struct {
		file  string
		want  string
		reads []FileRead
	}{
		{
			file: "environments/a/main.jsonnet",
			want: `{"common": "common", "own": "a"}`,
			reads: []FileRead{
				{Path: "environments/a/a.libsonnet", SHA256: sum("environments/a/a.libsonnet")},
				{Path: "environments/a/main.jsonnet", SHA256: sum("environments/a/main.jsonnet")},
				{Path: "lib/common.libsonnet", SHA256: sum("lib/common.libsonnet")},
			},
		},
		{
			file: "environments/b/main.jsonnet",
			want: `{"common": "common", "text": "hello from b\n", "bytes": 4}`,
			reads: []FileRead{
				{Path: "environments/b/b.txt", SHA256: sum("environments/b/b.txt")},
				{Path: "environments/b/data.bin", SHA256: sum("environments/b/data.bin")},
				{Path: "environments/b/main.jsonnet", SHA256: sum("environments/b/main.jsonnet")},
				{Path: "lib/common.libsonnet", SHA256: sum("lib/common.libsonnet")},
			},
		},
		{
			// The first entrypoint again: served from the VM's cache, still its own reads.
			file: "environments/a/main.jsonnet",
			want: `{"common": "common", "own": "a"}`,
			reads: []FileRead{
				{Path: "environments/a/a.libsonnet", SHA256: sum("environments/a/a.libsonnet")},
				{Path: "environments/a/main.jsonnet", SHA256: sum("environments/a/main.jsonnet")},
				{Path: "lib/common.libsonnet", SHA256: sum("lib/common.libsonnet")},
			},
		},
	}
	for i, st := range steps {
		res, err := vm.EvaluateFile(st.file)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		assertJSON(t, res.JSON, st.want)
		if !reflect.DeepEqual(res.Reads, st.reads) {
			t.Errorf("step %d (%s): reads\n got %v\nwant %v", i, st.file, res.Reads, st.reads)
		}
	}
}

func TestFileContentsReadOnce(t *testing.T) {
	root := copyTree(t, "repo")
	vm := newTestVM(t, Options{Root: root, JPath: []string{"lib"}})
	if _, err := vm.EvaluateFile("environments/a/main.jsonnet"); err != nil {
		t.Fatal(err)
	}
	// The VM keeps what it read: a change on disk is not seen by the same VM ...
	testfs.WriteFile(t, root, "lib/common.libsonnet", "{ name: 'changed' }")
	res, err := vm.EvaluateFile("environments/a/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, res.JSON, `{"common": "common", "own": "a"}`)
	// ... but a new VM sees it.
	res, err = newTestVM(t, Options{Root: root, JPath: []string{"lib"}}).EvaluateFile("environments/a/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, res.JSON, `{"common": "changed", "own": "a"}`)
}
