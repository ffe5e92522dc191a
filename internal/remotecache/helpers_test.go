package remotecache_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/remotecache"
	"github.com/kforge/kforge/internal/testfs"
	"github.com/kforge/kforge/internal/testregistry"
)

// backend is one kind of remote store the tests run against.
type backend struct {
	name string
	// start returns the URL of a fresh, empty store.
	start func(t *testing.T) (url string, ctl *control)
}

// control damages or stops a running store.
type control struct {
	// blobFile is the file holding the blob with the given sha256 hex.
	blobFile func(hex string) string
	// stop makes the store unavailable.
	stop func()
}

// backends are a real registry (Debian's docker-registry on 127.0.0.1) and a directory.
func backends() []backend {
	return []backend{
		{name: "oci", start: func(t *testing.T) (string, *control) {
			reg := testregistry.Start(t)
			return "oci://" + reg.Host + "/kforge/cache", &control{
				blobFile: func(hex string) string {
					return filepath.Join(reg.StorageDir(), "docker", "registry", "v2", "blobs", "sha256", hex[:2], hex, "data")
				},
				stop: reg.Stop,
			}
		}},
		{name: "file", start: func(t *testing.T) (string, *control) {
			dir := filepath.Join(t.TempDir(), "share")
			return "file://" + dir, &control{
				blobFile: func(hex string) string { return filepath.Join(dir, "blobs", "sha256", hex) },
				// An unmounted share: the directory is gone (moved away at once, while pushers may
				// be writing into it) and a file stands in its way. Called from an evaluation's
				// goroutine, so failures are errors, not Fatal.
				stop: func() {
					if err := os.Rename(dir, dir+".unmounted"); err != nil {
						t.Error(err)
					}
					if err := os.WriteFile(dir, []byte("unmounted\n"), 0o644); err != nil {
						t.Error(err)
					}
				},
			}
		}},
	}
}

// newRepo writes a repository of n environments that share a library.
func newRepo(t *testing.T, n int) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"jsonnetfile.json":      "{}\n",
		"lib/common.libsonnet":  "{ app(name, n):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name }, data: { n: std.toString(n), big: std.repeat('x', 4096) } } }\n",
		"lib/version.libsonnet": "'1'\n",
	}
	for i := range n {
		files[envFile(i)] = fmt.Sprintf("local c = import 'common.libsonnet';\n{ cm: c.app('env-%d', %d), v: import 'version.libsonnet' }\n", i, i)
	}
	testfs.WriteFiles(t, root, files)
	return root
}

func envFile(i int) string { return fmt.Sprintf("environments/env-%d/main.jsonnet", i) }

// runner is one CI runner: an empty local cache in front of the shared store.
type runner struct {
	ce       *cache.CachingEvaluator
	warnings []string
	mu       sync.Mutex
}

// newRunner opens a runner with its own empty local cache directory over the store at url,
// evaluating with next (the in-process evaluator when nil).
func newRunner(t *testing.T, url string, readOnly bool, next cache.Evaluator) *runner {
	t.Helper()
	remote, err := remotecache.Open(url, remotecache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	local, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if next == nil {
		next = jsonnet.NewInProcess()
	}
	r := &runner{}
	store := local.WithRemote(cache.RemoteOptions{Remote: remote, ReadOnly: readOnly, Warn: func(msg string) {
		r.mu.Lock()
		r.warnings = append(r.warnings, msg)
		r.mu.Unlock()
	}})
	r.ce = cache.NewEvaluator(next, store, "remotecache-test")
	return r
}

// renderAll evaluates every environment of the repository at root, two at a time, and
// returns their outputs in order, then waits for the background pushes.
func (r *runner) renderAll(t *testing.T, root string, n int) []string {
	t.Helper()
	out := make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			opts := jsonnet.Options{Root: root, JPath: []string{filepath.Dir(envFile(i)), "lib"}}
			res, err := r.ce.Evaluate(context.Background(), opts, envFile(i), "")
			out[i], errs[i] = res.JSON, err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("render %s: %v", envFile(i), err)
		}
	}
	r.ce.Close(context.Background())
	return out
}

func (r *runner) warns() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.warnings...)
}

// stopAfter is an evaluator that stops the store after its n-th evaluation.
type stopAfter struct {
	next  cache.Evaluator
	n     int64
	count atomic.Int64
	once  sync.Once
	stop  func()
}

func (s *stopAfter) Evaluate(ctx context.Context, opts jsonnet.Options, filename, code string) (jsonnet.Result, error) {
	res, err := s.next.Evaluate(ctx, opts, filename, code)
	if s.count.Add(1) == s.n {
		s.once.Do(s.stop)
	}
	return res, err
}

// keyOf is the key the runner's evaluator caches environment i under.
func keyOf(r *runner, root string, i int) string {
	return r.ce.Key(jsonnet.Options{Root: root, JPath: []string{filepath.Dir(envFile(i)), "lib"}}, envFile(i)).String()
}
