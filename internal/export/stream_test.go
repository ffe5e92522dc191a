package export

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/golden/goldentest"
)

// TestStreamMatchesExport hands the same files to Export and, one environment's batch at a
// time, to a Stream, and compares results, errors and the directories they leave.
func TestStreamMatchesExport(t *testing.T) {
	prodWeb := exportFile("prod", "apps/v1", "Deployment", "apps", "web")
	prodCM := exportFile("prod", "v1", "ConfigMap", "apps", "cfg")
	devWeb := exportFile("dev", "apps/v1", "Deployment", "apps", "web")
	devSvc := exportFile("dev", "v1", "Service", "apps", "WEB")
	format := "{{env.metadata.labels.cluster}}/{{.metadata.namespace}}/{{.kind}}-{{.metadata.name}}"
	tests := []struct {
		name    string
		batches [][]File
		opts    Options
		// setup prepares the export directory (missing when nil).
		setup func(t *testing.T, dir string)
	}{
		{name: "two environments", batches: [][]File{{prodWeb, prodCM}, {devWeb}}, opts: Options{Format: format, Manifest: true}},
		{name: "default format without index", batches: [][]File{{prodWeb}, {devSvc}}},
		{name: "no files", batches: [][]File{{}, nil}, opts: Options{Manifest: true}},
		{name: "existing empty directory", batches: [][]File{{prodWeb}}, opts: Options{Format: format, Manifest: true},
			setup: func(t *testing.T, dir string) { mkdir(t, dir) }},
		{name: "not empty", batches: [][]File{{prodWeb}}, opts: Options{Format: format},
			setup: func(t *testing.T, dir string) { mkdir(t, dir); writeTestFile(t, filepath.Join(dir, "x.yaml")) }},
		{name: "merge into non-empty", batches: [][]File{{prodWeb}}, opts: Options{Format: format, Merge: MergeFailOnConflicts, Manifest: true},
			setup: func(t *testing.T, dir string) { mkdir(t, dir); writeTestFile(t, filepath.Join(dir, "x.yaml")) }},
		{name: "collision in a later batch", batches: [][]File{{prodWeb}, {devSvc}}, opts: Options{Format: "{{.metadata.name}}"}},
		{name: "naming error after a collision wins", batches: [][]File{{prodWeb}, {devSvc}, {exportFile("prod", "v1", "ConfigMap", "apps", "..")}}, opts: Options{Format: "{{.metadata.name}}"}},
		{name: "reserved manifest.json", batches: [][]File{{prodWeb}}, opts: Options{Format: "manifest", Extension: "json"}},
		{name: "bad template", batches: [][]File{{prodWeb}}, opts: Options{Format: "{{.kind"}},
		{name: "reserved directory name", batches: [][]File{{prodWeb}}, opts: Options{Format: format}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := func(streamed bool) (string, Result, string, map[string]string) {
				parent := t.TempDir()
				name := "out"
				if tt.name == "reserved directory name" {
					name = "x.kforge-y"
				}
				dir := filepath.Join(parent, name)
				if tt.setup != nil {
					tt.setup(t, dir)
				}
				var res Result
				var err error
				var envs []string
				for _, b := range tt.batches {
					for _, f := range b {
						envs = append(envs, f.Entrypoint)
					}
				}
				if streamed {
					s := NewStream(dir, tt.opts)
					for _, b := range tt.batches {
						s.Add(b)
					}
					res, err = s.Finish(envs)
				} else {
					var all []File
					for _, b := range tt.batches {
						all = append(all, b...)
					}
					opts := tt.opts
					opts.Envs = envs
					res, err = Export(dir, all, opts)
				}
				msg := ""
				if err != nil {
					msg = strings.ReplaceAll(err.Error(), parent, "PARENT")
				}
				var tree map[string]string
				if _, serr := os.Stat(dir); serr == nil {
					tree = goldentest.ReadTree(t, dir)
				}
				return msg, res, strings.Join(goldentest.ListNames(t, parent), ","), tree
			}
			wantErr, wantRes, wantNames, wantTree := run(false)
			gotErr, gotRes, gotNames, gotTree := run(true)
			if gotErr != wantErr {
				t.Errorf("stream error %q, export error %q", gotErr, wantErr)
			}
			if !reflect.DeepEqual(gotRes, wantRes) {
				t.Errorf("stream result %+v, export result %+v", gotRes, wantRes)
			}
			if gotNames != wantNames {
				t.Errorf("stream left %s beside the directory, export %s", gotNames, wantNames)
			}
			if !maps.Equal(gotTree, wantTree) {
				t.Errorf("stream wrote %s, export %s", goldentest.Keys(gotTree), goldentest.Keys(wantTree))
			}
		})
	}
}

// TestStreamDiscard abandons a streamed export: nothing is left and the lock is free again.
func TestStreamDiscard(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	s := NewStream(dir, Options{Manifest: true})
	for i := range 50 {
		s.Add([]File{exportFile("prod", "v1", "ConfigMap", "apps", fmt.Sprintf("cm-%d", i))})
	}
	s.Discard()
	if names := goldentest.ListNames(t, parent); len(names) != 0 {
		t.Errorf("discarded export left %v", names)
	}
	release, err := golden.TryLock(parent)
	if err != nil {
		t.Fatalf("the lock is still held after Discard: %v", err)
	}
	release()
}

// TestStreamDoesNotWaitForTheLock starts a stream while another run holds the lock of the
// export directory's parent: the stream does not wait for it but keeps the files, and Finish
// exports them once the lock is free, as Export does.
func TestStreamDoesNotWaitForTheLock(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	release, err := golden.Lock(parent)
	if err != nil {
		t.Fatal(err)
	}
	s := NewStream(dir, Options{Manifest: true})
	if s.w != nil {
		t.Fatal("NewStream streams while another run holds the lock")
	}
	web := exportFile("prod", "apps/v1", "Deployment", "apps", "web")
	s.Add([]File{web})
	release()
	res, err := s.Finish([]string{web.Entrypoint})
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if len(res.Written) != 2 || res.Written[1] != "manifest.json" {
		t.Fatalf("Finish wrote %v, want the Deployment and manifest.json", res.Written)
	}
	for _, name := range res.Written {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("exported file: %v", err)
		}
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func writeTestFile(t *testing.T, p string) {
	t.Helper()
	if err := os.WriteFile(p, []byte("kind: X\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
