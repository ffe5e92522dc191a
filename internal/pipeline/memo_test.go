package pipeline_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/testfs"
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

// TestFilesFromCachedMemo: with the render cache, an unchanged environment's files are served
// from the memo of its cached output without the output being read (they still come after every
// blob is removed, and nothing is evaluated), equal to a render without cache; a changed library
// is rendered again.
func TestFilesFromCachedMemo(t *testing.T) {
	ctx := context.Background()
	root := testfs.Copy(t, filepath.Join("testdata", "repo"))
	proj := projectAt(t, root)
	dir := t.TempDir()
	store, err := cache.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ce := cache.NewEvaluator(jsonnet.NewInProcess(), store, "test-build")
	cached := pipeline.NewRenderer(pipeline.Options{Project: proj, Evaluator: ce, Memo: store, MemoKey: "test-build"})
	envs, err := cached.Environments(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	check := func(round string) {
		t.Helper()
		plain := pipeline.NewRenderer(pipeline.Options{Project: projectAt(t, root)})
		for _, env := range envs {
			want, err := plain.Files(ctx, env)
			if err != nil {
				t.Fatal(err)
			}
			got, err := cached.Files(ctx, env)
			if err != nil {
				t.Fatalf("%s: %s: %v", round, env.Name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: %s: the cached render differs from a plain one", round, env.Name)
			}
		}
	}
	check("cold")
	cold := ce.Stats()
	if err := os.RemoveAll(filepath.Join(dir, "v1", "blobs")); err != nil {
		t.Fatal(err)
	}
	check("warm")
	warm := ce.Stats()
	static := 0
	for _, env := range envs {
		if !env.Inline {
			static++
		}
	}
	if warm.Misses != cold.Misses || warm.Hits-cold.Hits < int64(static) {
		t.Errorf("warm round: %+v after %+v; want no miss and a hit per static environment (%d)", warm, cold, static)
	}
	// A run assumes that files do not change while it runs (the in-process evaluator keeps what
	// it parsed): the next run, with the same cache directory, sees the change.
	testfs.WriteFile(t, root, "lib/app.libsonnet", strings.Replace(readTestFile(t, root, "lib/app.libsonnet"), "big: 1000000", "big: 2000000", 1))
	if store, err = cache.Open(dir); err != nil {
		t.Fatal(err)
	}
	ce = cache.NewEvaluator(jsonnet.NewInProcess(), store, "test-build")
	cached = pipeline.NewRenderer(pipeline.Options{Project: proj, Evaluator: ce, Memo: store, MemoKey: "test-build"})
	check("after a library change")
	if after := ce.Stats(); after.Misses < int64(static) {
		t.Errorf("after a library change: %+v; want every static environment evaluated again", after)
	}
}

// readTestFile reads the repository-relative file rel under root.
func readTestFile(t *testing.T, root, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
