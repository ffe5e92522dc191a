package cache

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

// TestInvalidation proves, input by input, that changing it turns the entry into a miss, and
// that changes reaching no input keep the hit.
func TestInvalidation(t *testing.T) {
	tests := []struct {
		name string
		// setup adjusts the inputs before the first render.
		setup func(t *testing.T, root string, in *Inputs)
		// change alters the repository or the inputs after the entry is stored.
		change func(t *testing.T, root string, in *Inputs)
		// want is the reason of the miss, "" for a hit.
		want string
	}{
		{name: "nothing changed", change: func(*testing.T, string, *Inputs) {}},
		{name: "a read file touched without a content change", change: func(t *testing.T, root string, _ *Inputs) {
			later := time.Now().Add(time.Hour)
			if err := os.Chtimes(filepath.Join(root, "lib", "app.libsonnet"), later, later); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "an unrelated new file", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, "lib/unused.libsonnet", "{}\n")
			testfs.WriteFile(t, root, "README.md", "hello\n")
		}},
		{name: "root moved (a second checkout shares the entry)", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.Root = "/elsewhere"
		}},
		{name: "max stack 0 is the default", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.MaxStack = 500
		}},
		{name: "parseYaml limits 0 are the defaults", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.ParseYAMLMaxBytes = jsonnet.DefaultParseYAMLMaxBytes
			in.Options.ParseYAMLMaxNodes = jsonnet.DefaultParseYAMLMaxNodes
		}},

		{name: "entrypoint content", want: "environments/prod/main.jsonnet changed", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, envDir+"/main.jsonnet", readFile(t, root, envDir+"/main.jsonnet")+"\n")
		}},
		{name: "a file the evaluation read (environment directory)", want: "environments/prod/values.libsonnet changed", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, envDir+"/values.libsonnet", "{ replicas: 4 }\n")
		}},
		{name: "a file the evaluation read (lib)", want: "lib/app.libsonnet changed", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, "lib/app.libsonnet", strings.Replace(readFile(t, root, "lib/app.libsonnet"), "md5", "sha1", 1))
		}},
		{name: "a file the evaluation read (vendor)", want: "vendor/kube/k.libsonnet changed", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, "vendor/kube/k.libsonnet", strings.Replace(readFile(t, root, "vendor/kube/k.libsonnet"), "apps/v1", "apps/v2", 1))
		}},
		{name: "an importstr target", want: "lib/config.yaml changed", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, "lib/config.yaml", "level: debug\n")
		}},
		{name: "a read file deleted", want: "lib/config.yaml is gone", change: func(t *testing.T, root string, _ *Inputs) {
			if err := os.Remove(filepath.Join(root, "lib", "config.yaml")); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "a new file shadowing a lib import", want: "environments/prod/app.libsonnet now shadows an import", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, envDir+"/app.libsonnet", readFile(t, root, "lib/app.libsonnet"))
		}},
		{name: "a new file shadowing a vendor import", want: "lib/kube/k.libsonnet now shadows an import", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, "lib/kube/k.libsonnet", readFile(t, root, "vendor/kube/k.libsonnet"))
		}},
		{name: "a new file shadowing an importstr", want: envDir + "/banner.txt now shadows an import", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, envDir+"/banner.txt", "shadowed\n")
		}},
		{name: "a new file in the environment's vendor directory", want: envDir + "/vendor/kube/k.libsonnet now shadows an import", change: func(t *testing.T, root string, _ *Inputs) {
			testfs.WriteFile(t, root, envDir+"/vendor/kube/k.libsonnet", readFile(t, root, "vendor/kube/k.libsonnet"))
		}},
		{name: "a new file shadowing an import of external code",
			setup: func(_ *testing.T, _ string, in *Inputs) {
				in.Options.ExtCode = map[string]string{"extra": "import 'extra.libsonnet'"}
			},
			want: "extra.libsonnet now shadows an import", change: func(t *testing.T, root string, _ *Inputs) {
				testfs.WriteFile(t, root, "extra.libsonnet", "{ extra: false }\n")
			}},

		{name: "spec.json", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Spec = bytes.Replace(in.Spec, []byte("prod.example.com"), []byte("prod2.example.com"), 1)
		}},
		{name: "environment object (import 'tk')", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.TkEnv = []byte(`{"env":{"metadata":{"name":"environments/prod","namespace":"x"}}}`)
		}},
		{name: "environment name", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Environment = "prod-2"
		}},
		{name: "entrypoint", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Entrypoint = envDir + "/other.jsonnet"
		}},
		{name: "jpath", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.JPath = []string{envDir, "vendor", "lib"}
		}},
		{name: "ext var added", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.ExtVars = map[string]string{"cluster": "eu-1"}
		}},
		{name: "ext var value", setup: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.ExtVars = map[string]string{"cluster": "eu-1"}
		}, want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.ExtVars = map[string]string{"cluster": "eu-2"}
		}},
		{name: "ext var moved to ext code", setup: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.ExtVars = map[string]string{"n": "1"}
		}, want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.ExtVars = nil
			in.Options.ExtCode = map[string]string{"n": "1"}
		}},
		{name: "TLA string", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.TLAVars = map[string]string{"replicas": "5"}
		}},
		{name: "TLA code", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.TLACode = map[string]string{"replicas": "5"}
		}},
		{name: "kforge version", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.KforgeVersion = "v1.0.1 go:test"
		}},
		{name: "kforge build of the same version", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.KforgeVersion = "v1.0.0 go:rebuilt"
		}},
		{name: "go-jsonnet version", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.JsonnetVersion = "v0.23.0"
		}},
		{name: "max stack", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.MaxStack = 1000
		}},
		{name: "parseYaml size limit", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.ParseYAMLMaxBytes = 4096
		}},
		{name: "parseYaml node limit", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.ParseYAMLMaxNodes = 100
		}},
		{name: "native format switch", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Options.DisableNativeFormat = true
		}},
		{name: "stored format", want: "no entry", change: func(_ *testing.T, _ string, in *Inputs) {
			in.Format = "manifest-yaml/1"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := copyRepo(t)
			s := openStore(t)
			in := baseInputs(t, root)
			if tt.setup != nil {
				tt.setup(t, root, &in)
			}
			e := render(t, in)
			if err := s.Put(NewKey(in), root, e); err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.Get(NewKey(in), root)
			if err != nil || !ok || !bytes.Equal(got.Output, e.Output) {
				t.Fatalf("Get right after Put = %v, %v; want a hit with the stored output", ok, err)
			}
			tt.change(t, root, &in)
			got, ok, err = s.Get(NewKey(in), root)
			if err != nil {
				t.Fatal(err)
			}
			reason, err := s.Explain(NewKey(in), root)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if !ok || reason != "" || !bytes.Equal(got.Output, e.Output) {
					t.Fatalf("Get = miss (%s), want a hit", reason)
				}
				return
			}
			if ok {
				t.Fatalf("Get = hit, want a miss because %s", tt.want)
			}
			if reason != tt.want {
				t.Errorf("miss reason = %q, want %q", reason, tt.want)
			}
		})
	}
}

// TestHitMatchesEvaluation checks the cache against the evaluator: after each change, a hit
// must return exactly what a fresh evaluation gives, and every change that alters the output
// must miss.
func TestHitMatchesEvaluation(t *testing.T) {
	changes := []struct {
		name    string
		do      func(t *testing.T, root string)
		wantHit bool
	}{
		{"shadow lib import with different content", func(t *testing.T, root string) {
			testfs.WriteFile(t, root, envDir+"/app.libsonnet", "{ new(name, replicas):: { kind: 'Shadowed' } }\n")
		}, false},
		{"shadow vendor import with different content", func(t *testing.T, root string) {
			testfs.WriteFile(t, root, "lib/kube/k.libsonnet", "{ deployment(name, replicas):: { kind: 'Shadowed' } }\n")
		}, false},
		{"shadow importstr target", func(t *testing.T, root string) {
			testfs.WriteFile(t, root, envDir+"/banner.txt", "shadowed\n")
		}, false},
		{"edit values", func(t *testing.T, root string) {
			testfs.WriteFile(t, root, envDir+"/values.libsonnet", "{ replicas: 9 }\n")
		}, false},
		{"unused file", func(t *testing.T, root string) {
			testfs.WriteFile(t, root, "lib/kube/unused.libsonnet", "{}\n")
		}, true},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			root := copyRepo(t)
			s := openStore(t)
			in := baseInputs(t, root)
			if err := s.Put(NewKey(in), root, render(t, in)); err != nil {
				t.Fatal(err)
			}
			c.do(t, root)
			fresh := render(t, in)
			got, ok, err := s.Get(NewKey(in), root)
			if err != nil {
				t.Fatal(err)
			}
			if ok && !bytes.Equal(got.Output, fresh.Output) {
				t.Fatalf("hit returned stale output:\n%s\nfresh evaluation:\n%s", got.Output, fresh.Output)
			}
			if ok != c.wantHit {
				t.Errorf("hit = %v, want %v", ok, c.wantHit)
			}
		})
	}
}

func TestGetReturnsReadsAndMisses(t *testing.T) {
	root := copyRepo(t)
	s := openStore(t)
	in := baseInputs(t, root)
	e := render(t, in)
	if err := s.Put(NewKey(in), root, e); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Get(NewKey(in), root)
	if err != nil || !ok {
		t.Fatalf("Get = %v, %v", ok, err)
	}
	if !slices.Equal(got.Reads, e.Reads) {
		t.Errorf("Reads = %v, want %v", got.Reads, e.Reads)
	}
	wantMisses := []string{
		"environments/prod/app.libsonnet",
		"environments/prod/banner.txt",
		"environments/prod/kube/k.libsonnet",
		"environments/prod/vendor/kube/k.libsonnet",
		"lib/kube/k.libsonnet",
	}
	if !slices.Equal(got.Misses, wantMisses) {
		t.Errorf("Misses = %q, want %q", got.Misses, wantMisses)
	}
}

// TestPartialReads stores an entry whose record names only the entrypoint, as an evaluator
// that reuses cached imports might report it: the static closure still covers every file.
func TestPartialReads(t *testing.T) {
	root := copyRepo(t)
	s := openStore(t)
	in := baseInputs(t, root)
	full := render(t, in)
	partial := Entry{Output: full.Output}
	for _, r := range full.Reads {
		if r.Path == in.Entrypoint {
			partial.Reads = append(partial.Reads, r)
		}
	}
	if err := s.Put(NewKey(in), root, partial); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Get(NewKey(in), root)
	if err != nil || !ok {
		t.Fatalf("Get = %v, %v", ok, err)
	}
	if !slices.Equal(got.Reads, full.Reads) {
		t.Errorf("Reads = %v, want the evaluation's %v", got.Reads, full.Reads)
	}
	testfs.WriteFile(t, root, "vendor/kube/k.libsonnet", "{ deployment(name, replicas):: {} }\n")
	if reason, _ := s.Explain(NewKey(in), root); reason != "vendor/kube/k.libsonnet changed" {
		t.Errorf("miss reason = %q, want a change of vendor/kube/k.libsonnet", reason)
	}
}

func TestPutStale(t *testing.T) {
	root := copyRepo(t)
	s := openStore(t)
	in := baseInputs(t, root)
	e := render(t, in)
	testfs.WriteFile(t, root, "lib/config.yaml", "level: warn\n") // changes while "rendering"
	err := s.Put(NewKey(in), root, e)
	var stale *StaleError
	if !errors.As(err, &stale) || stale.Path != "lib/config.yaml" {
		t.Fatalf("Put = %v, want a *StaleError for lib/config.yaml", err)
	}
	if _, ok, _ := s.Get(NewKey(in), root); ok {
		t.Error("Get hit after a refused Put")
	}
}

func TestZeroKey(t *testing.T) {
	s := openStore(t)
	if err := s.Put(Key{}, t.TempDir(), Entry{}); err == nil {
		t.Error("Put with a zero Key succeeded")
	}
	if _, ok, err := s.Get(Key{}, t.TempDir()); ok || err != nil {
		t.Errorf("Get with a zero Key = %v, %v; want a miss", ok, err)
	}
}

func TestOpen(t *testing.T) {
	if _, err := Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(file)
	if err == nil {
		t.Fatal("Open on a regular file succeeded")
	}
	if strings.Contains(err.Error(), file) {
		t.Errorf("error %q contains the absolute path", err)
	}
}

func TestNewKey(t *testing.T) {
	root := copyRepo(t)
	a := baseInputs(t, root)
	a.Options.ExtVars = map[string]string{"a": "1", "b": "2", "c": "3"}
	b := baseInputs(t, root)
	b.Options.ExtVars = map[string]string{"c": "3", "b": "2", "a": "1"}
	b.Options.JPath = []string{"./" + envDir, "lib/", envDir + "/vendor", "vendor"}
	if NewKey(a).String() != NewKey(b).String() {
		t.Error("equal inputs give different keys")
	}
	if got := NewKey(a).String(); len(got) != 64 {
		t.Errorf("String() = %q, want 64 hex digits", got)
	}
	c := baseInputs(t, root)
	c.Spec = nil
	d := baseInputs(t, root)
	d.Spec = []byte{}
	if NewKey(c).String() == NewKey(d).String() {
		t.Error("no spec.json and an empty spec.json give the same key")
	}
}
