package pipeline_test

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
)

// mapMemo is an in-memory Memo that counts hits.
type mapMemo struct {
	mu   sync.Mutex
	data map[string][]byte
	hits int
}

func (m *mapMemo) GetMemo(output []byte, name string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.data[string(output)+"\x00"+name]
	if ok {
		m.hits++
	}
	return d, ok, nil
}

func (m *mapMemo) PutMemo(output []byte, name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data[string(output)+"\x00"+name] = data
	return nil
}

// TestFilesMemo: files served from the memo equal freshly encoded ones, the memo is keyed by
// the target filters, and a corrupt memo falls back to encoding.
func TestFilesMemo(t *testing.T) {
	proj, err := project.Find(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	plain := pipeline.NewRenderer(pipeline.Options{Project: proj})
	envs, err := plain.Environments(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	memo := &mapMemo{data: map[string][]byte{}}
	memoized := pipeline.NewRenderer(pipeline.Options{Project: proj, Memo: memo, MemoKey: "test-build"})
	for _, env := range envs {
		want, err := plain.Files(ctx, env)
		if err != nil {
			t.Fatal(err)
		}
		for round := range 2 {
			got, err := memoized.Files(ctx, env)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s round %d: %d files, want %d", env.Name, round, len(got), len(want))
			}
			for i := range want {
				if got[i].Path != want[i].Path || !bytes.Equal(got[i].Content, want[i].Content) || got[i].Resource != want[i].Resource {
					t.Fatalf("%s round %d: file %d differs: %s vs %s", env.Name, round, i, got[i].Path, want[i].Path)
				}
			}
		}
	}
	if memo.hits != len(envs) {
		t.Fatalf("memo hits = %d, want %d (one per environment, on the second round)", memo.hits, len(envs))
	}

	// Another filter is another memo entry.
	filter, err := manifest.ParseTargets([]string{"configmap/.*"})
	if err != nil {
		t.Fatal(err)
	}
	filtered := pipeline.NewRenderer(pipeline.Options{Project: proj, Targets: filter, Memo: memo, MemoKey: "test-build targets=configmap/.*"})
	files, err := filtered.Files(ctx, envs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Kind != "ConfigMap" {
			t.Fatalf("filtered render served %s from the unfiltered memo", f.Resource)
		}
	}

	// A corrupt memo is ignored.
	for k := range memo.data {
		memo.data[k] = []byte("not json")
	}
	if _, err := memoized.Files(ctx, envs[0]); err != nil {
		t.Fatalf("corrupt memo: %v", err)
	}
}
