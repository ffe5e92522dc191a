package remotecache_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/remotecache"
	"github.com/kforge/kforge/internal/testfs"
	"github.com/kforge/kforge/internal/testregistry"
)

const envs = 6

// TestTwoRunnersShareEntries: a second runner with an empty local cache is served every
// environment by the store the first one filled, with identical output, and keeps the entries
// in its own local cache.
func TestTwoRunnersShareEntries(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			url, _ := b.start(t)
			root := newRepo(t, envs)
			first := newRunner(t, url, false, nil)
			want := first.renderAll(t, root, envs)
			if s := first.ce.Stats(); s.Misses != envs || s.Hits != 0 {
				t.Fatalf("first runner: %+v, want %d misses", s, envs)
			}
			if s := first.ce.RemoteStats(); s.Pushed != envs || s.Failed {
				t.Fatalf("first runner remote: %+v, want %d pushed", s, envs)
			}

			// A fresh checkout elsewhere: the repository root is not part of the key.
			second := newRunner(t, url, false, nil)
			got := second.renderAll(t, testfs.Copy(t, root), envs)
			if s := second.ce.Stats(); s.Hits != envs || s.Misses != 0 {
				t.Fatalf("second runner: %+v, want %d hits", s, envs)
			}
			if s := second.ce.RemoteStats(); s.Hits != envs || s.Pushed != 0 || s.Rejected != 0 {
				t.Fatalf("second runner remote: %+v, want %d hits and nothing pushed", s, envs)
			}
			assertSame(t, got, want)
			if w := append(first.warns(), second.warns()...); len(w) > 0 {
				t.Fatalf("warnings: %q", w)
			}
		})
	}
}

// TestRemoteEntryForOtherFiles: an entry of the same key whose files differ (another branch)
// is not used.
func TestRemoteEntryForOtherFiles(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			url, _ := b.start(t)
			root := newRepo(t, envs)
			newRunner(t, url, false, nil).renderAll(t, root, envs)
			other := testfs.Copy(t, root)
			testfs.WriteFile(t, other, "lib/version.libsonnet", "'2'\n")
			second := newRunner(t, url, false, nil)
			got := second.renderAll(t, other, envs)
			if s := second.ce.Stats(); s.Misses != envs {
				t.Fatalf("stats %+v: want every environment rendered", s)
			}
			for i, out := range got {
				if !strings.Contains(out, `"v": "2"`) {
					t.Fatalf("env %d rendered from the other branch's entry:\n%s", i, out)
				}
			}
		})
	}
}

// TestTamperedEntryNeverUsed: an output blob altered or truncated in the store, or an entry
// whose output was replaced by a consistent artifact that does not match its record, is
// ignored, rendered again and replaced; the damaged content never reaches the output.
func TestTamperedEntryNeverUsed(t *testing.T) {
	damages := []struct {
		name string
		// inStorage damages the registry's storage behind its API: Distribution keeps the
		// first copy of a digest, so pushing the entry again cannot repair it, and every
		// later runner ignores it too.
		inStorage bool
		damage    func(t *testing.T, ctl *control, url, key string, output []byte)
	}{
		{"flipped byte", true, func(t *testing.T, ctl *control, _, _ string, output []byte) {
			bad := append([]byte(nil), output...)
			bad[len(bad)/2] ^= 0x20
			overwrite(t, ctl.blobFile(sha(output)), bad)
		}},
		{"truncated", true, func(t *testing.T, ctl *control, _, _ string, output []byte) {
			overwrite(t, ctl.blobFile(sha(output)), output[:len(output)/2])
		}},
		{"blob deleted", false, func(t *testing.T, ctl *control, _, _ string, output []byte) {
			if err := os.Remove(ctl.blobFile(sha(output))); err != nil {
				t.Fatal(err)
			}
		}},
		{"output replaced", false, func(t *testing.T, _ *control, url, key string, output []byte) {
			// A writer that bypasses kforge: a well-formed artifact whose output layer has
			// a valid digest of its own but is not the output the record names.
			store, err := remotecache.Open(url, remotecache.Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, found, err := store.Fetch(context.Background(), key)
			if err != nil || !found {
				t.Fatalf("fetch %s: found %v, %v", key, found, err)
			}
			b.Output = []byte(strings.Replace(string(output), "ConfigMap", "Secret", 1))
			if err := store.Push(context.Background(), key, b); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, b := range backends() {
		for _, d := range damages {
			t.Run(b.name+"/"+d.name, func(t *testing.T) {
				url, ctl := b.start(t)
				root := newRepo(t, envs)
				first := newRunner(t, url, false, nil)
				want := first.renderAll(t, root, envs)
				const victim = 2
				d.damage(t, ctl, url, keyOf(first, root, victim), []byte(want[victim]))

				second := newRunner(t, url, false, nil)
				got := second.renderAll(t, root, envs)
				assertSame(t, got, want)
				if s := second.ce.Stats(); s.Misses != 1 || s.Hits != envs-1 {
					t.Fatalf("second runner: %+v, want the damaged entry rendered again and the others served", s)
				}
				rs := second.ce.RemoteStats()
				if rs.Rejected != 1 || rs.Failed || rs.Pushed != 1 {
					t.Fatalf("second runner remote: %+v, want one rejected and pushed again", rs)
				}
				w := second.warns()
				if len(w) != 1 || !strings.Contains(w[0], "failed verification") {
					t.Fatalf("warnings %q: want one about the entry that failed verification", w)
				}

				// The entry was replaced by a whole one, except in a registry's damaged storage,
				// where it keeps being ignored.
				third := newRunner(t, url, false, nil)
				assertSame(t, third.renderAll(t, root, envs), want)
				rs = third.ce.RemoteStats()
				if b.name == "oci" && d.inStorage {
					if rs.Hits != envs-1 || rs.Rejected != 1 {
						t.Fatalf("third runner remote: %+v, want the damaged entry ignored again", rs)
					}
				} else if rs.Hits != envs || rs.Rejected != 0 {
					t.Fatalf("third runner remote: %+v, want every entry served", rs)
				}
			})
		}
	}
}

// TestStoreStoppedMidRun: when the store goes away during a run, the run completes with
// every output and exactly one warning.
func TestStoreStoppedMidRun(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			url, ctl := b.start(t)
			const n = 10
			root := newRepo(t, n)
			want := newRunner(t, "file://"+t.TempDir(), false, nil).renderAll(t, root, n)
			// Half the entries are in the store; the registry stops during the next run.
			half := newRunner(t, url, false, nil)
			for i := range n / 2 {
				opts := jsonnet.Options{Root: root, JPath: []string{filepath.Dir(envFile(i)), "lib"}}
				if _, err := half.ce.Evaluate(context.Background(), opts, envFile(i), ""); err != nil {
					t.Fatal(err)
				}
			}
			half.ce.Close(context.Background())

			r := newRunner(t, url, false, &stopAfter{next: jsonnet.NewInProcess(), n: 2, stop: ctl.stop})
			got := r.renderAll(t, root, n)
			assertSame(t, got, want)
			w := r.warns()
			if len(w) != 1 || !strings.Contains(w[0], "continuing without it") {
				t.Fatalf("warnings %q: want exactly one saying the remote failed", w)
			}
			if !r.ce.RemoteStats().Failed {
				t.Fatal("RemoteStats().Failed is false after the store stopped")
			}
		})
	}
}

// TestConcurrentWriters: two writers pushing different entries under one key at once leave a
// whole entry, one or the other, and readers never see a mixture.
func TestConcurrentWriters(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			url, _ := b.start(t)
			stores := make([]*remotecache.Store, 2)
			for i := range stores {
				s, err := remotecache.Open(url, remotecache.Options{})
				if err != nil {
					t.Fatal(err)
				}
				stores[i] = s
			}
			key := strings.Repeat("ab", 32)
			bundles := []cache.Bundle{
				{Record: []byte("record A"), Output: []byte(strings.Repeat("A", 10000))},
				{Record: []byte("record B"), Output: []byte(strings.Repeat("B", 20000))},
			}
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			for w := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 10 {
						if err := stores[w].Push(context.Background(), key, bundles[w]); err != nil {
							errs <- fmt.Errorf("writer %d: %w", w, err)
							return
						}
						got, found, err := stores[1-w].Fetch(context.Background(), key)
						if err != nil || !found {
							errs <- fmt.Errorf("reader %d: found %v, %w", w, found, err)
							return
						}
						if !sameBundle(got, bundles[0]) && !sameBundle(got, bundles[1]) {
							errs <- fmt.Errorf("reader %d: a mixture: record %q, %d output bytes", w, got.Record, len(got.Output))
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

// TestConcurrentRunners: two runners rendering the same environments at once, both pushing,
// leave entries a third runner is served from.
func TestConcurrentRunners(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			url, _ := b.start(t)
			root := newRepo(t, envs)
			outs := make([][]string, 2)
			var wg sync.WaitGroup
			for i := range outs {
				r := newRunner(t, url, false, nil)
				wg.Add(1)
				go func() {
					defer wg.Done()
					outs[i] = r.renderAll(t, root, envs)
				}()
			}
			wg.Wait()
			assertSame(t, outs[1], outs[0])
			third := newRunner(t, url, false, nil)
			assertSame(t, third.renderAll(t, root, envs), outs[0])
			if s := third.ce.Stats(); s.Hits != envs {
				t.Fatalf("third runner: %+v, want %d hits", s, envs)
			}
		})
	}
}

// TestReadOnly: a read-only runner is served from the store but writes nothing to it.
func TestReadOnly(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			url, _ := b.start(t)
			root := newRepo(t, envs)
			ro := newRunner(t, url, true, nil)
			want := ro.renderAll(t, root, envs)
			if s := ro.ce.RemoteStats(); s.Pushed != 0 || s.Misses != envs {
				t.Fatalf("read-only runner: %+v, want %d misses and nothing pushed", s, envs)
			}
			store, err := remotecache.Open(url, remotecache.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range envs {
				if _, found, err := store.Fetch(context.Background(), keyOf(ro, root, i)); err != nil || found {
					t.Fatalf("env %d: the read-only runner stored an entry (found %v, %v)", i, found, err)
				}
			}
			// Once a trusted runner filled the store, a read-only runner is served from it.
			newRunner(t, url, false, nil).renderAll(t, root, envs)
			ro2 := newRunner(t, url, true, nil)
			assertSame(t, ro2.renderAll(t, root, envs), want)
			if s := ro2.ce.Stats(); s.Hits != envs {
				t.Fatalf("read-only runner after a trusted one: %+v, want %d hits", s, envs)
			}
		})
	}
}

// TestArtifactLayout: an entry is an OCI image manifest with the documented artifact type,
// annotations and layers, tagged with its key, and identical outputs share one blob.
func TestArtifactLayout(t *testing.T) {
	dir := t.TempDir()
	store, err := remotecache.Open("file://"+dir, remotecache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := []byte(`{"same": "output"}`)
	keys := []string{strings.Repeat("1", 64), strings.Repeat("2", 64)}
	for _, k := range keys {
		if err := store.Push(context.Background(), k, cache.Bundle{Record: []byte("record " + k), Output: out}); err != nil {
			t.Fatal(err)
		}
	}
	var tag struct{ MediaType, Digest string }
	readJSON(t, filepath.Join(dir, "tags", keys[0][:2], keys[0]), &tag)
	if tag.MediaType != "application/vnd.oci.image.manifest.v1+json" {
		t.Fatalf("tag media type %q", tag.MediaType)
	}
	var m struct {
		MediaType    string `json:"mediaType"`
		ArtifactType string `json:"artifactType"`
		Config       struct{ MediaType string }
		Layers       []struct{ MediaType, Digest string }
		Annotations  map[string]string `json:"annotations"`
	}
	readJSON(t, filepath.Join(dir, "blobs", "sha256", strings.TrimPrefix(tag.Digest, "sha256:")), &m)
	if m.ArtifactType != remotecache.ArtifactType || m.Config.MediaType != "application/vnd.oci.empty.v1+json" ||
		len(m.Layers) != 2 || m.Layers[0].MediaType != remotecache.MediaTypeRecord || m.Layers[1].MediaType != remotecache.MediaTypeOutput ||
		m.Layers[1].Digest != "sha256:"+sha(out) || m.Annotations[remotecache.AnnotationKey] != keys[0] {
		t.Fatalf("manifest %+v", m)
	}
	// Blobs: the empty config, two records, one output shared by both entries, two manifests.
	blobs, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	if len(blobs) != 6 {
		t.Fatalf("%d blobs, want 6 (the output stored once)", len(blobs))
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw  string
		want remotecache.Location
		err  string
	}{
		{raw: "oci://ghcr.io/org/kforge-cache", want: remotecache.Location{Scheme: "oci", Repository: "ghcr.io/org/kforge-cache"}},
		{raw: "oci://127.0.0.1:5000/cache", want: remotecache.Location{Scheme: "oci", Repository: "127.0.0.1:5000/cache", PlainHTTP: true}},
		{raw: "oci://localhost:5000/a/b", want: remotecache.Location{Scheme: "oci", Repository: "localhost:5000/a/b", PlainHTTP: true}},
		{raw: "oci+http://registry.internal:5000/cache", want: remotecache.Location{Scheme: "oci+http", Repository: "registry.internal:5000/cache", PlainHTTP: true}},
		{raw: "file:///mnt/share/kforge", want: remotecache.Location{Scheme: "file", Dir: "/mnt/share/kforge"}},
		{raw: "oci://ghcr.io/org/cache:latest", err: "without a tag or digest"},
		{raw: "oci://ghcr.io", err: "want oci://REGISTRY/REPOSITORY"},
		{raw: "oci://ghcr.io/Org/cache", err: "without a tag or digest"},
		{raw: "file://host/share", err: "file:///ABSOLUTE/PATH"},
		{raw: "file://relative", err: "file:///ABSOLUTE/PATH"},
		{raw: "s3://bucket/cache", err: `unknown scheme "s3"`},
		{raw: "ghcr.io/org/cache", err: "want oci://REGISTRY/REPOSITORY"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := remotecache.ParseURL(tt.raw)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// TestFetchMissing: a key the store never saw is a miss, not an error.
func TestFetchMissing(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			url, _ := b.start(t)
			store, err := remotecache.Open(url, remotecache.Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, found, err := store.Fetch(context.Background(), strings.Repeat("0", 64))
			if found || err != nil {
				t.Fatalf("found %v, err %v; want a miss", found, err)
			}
		})
	}
}

// TestUnreachableRegistry: a registry that refuses connections is an error that is not a
// corrupt entry, so the cache stops using it.
func TestUnreachableRegistry(t *testing.T) {
	b := backends()[0]
	url, ctl := b.start(t)
	ctl.stop()
	store, err := remotecache.Open(url, remotecache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = store.Fetch(context.Background(), strings.Repeat("0", 64))
	if err == nil || errors.Is(err, cache.ErrCorruptRemote) {
		t.Fatalf("fetch from a stopped registry: %v, want an error that is not ErrCorruptRemote", err)
	}
}

func assertSame(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d outputs, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("output %d differs:\n%s\nwant:\n%s", i, got[i], want[i])
		}
	}
}

func sameBundle(a, b cache.Bundle) bool {
	return string(a.Record) == string(b.Record) && string(a.Output) == string(b.Output)
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func overwrite(t *testing.T, path string, data []byte) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the blob to damage: %v", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestMemosShared: a memo (data derived from an output, such as its encoded YAML) stored by
// one runner is served to the next through the store, and a damaged one is never used.
func TestMemosShared(t *testing.T) {
	output, name, data := []byte(`{"rendered": true}`), "golden-files/v2 test", []byte("encoded files")
	id := sha([]byte(sha(output) + "\x00" + name))
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			url, ctl := b.start(t)
			open := func() *cache.Store {
				remote, err := remotecache.Open(url, remotecache.Options{})
				if err != nil {
					t.Fatal(err)
				}
				local, err := cache.Open(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				return local.WithRemote(cache.RemoteOptions{Remote: remote})
			}
			first := open()
			if err := first.PutMemo(output, name, data); err != nil {
				t.Fatal(err)
			}
			first.Close(context.Background())

			second := open()
			got, ok, err := second.GetMemo(output, name)
			if err != nil || !ok || string(got) != string(data) {
				t.Fatalf("GetMemo = %q, %v, %v; want the first runner's memo", got, ok, err)
			}
			if s := second.RemoteStats(); s.MemoHits != 1 {
				t.Fatalf("remote stats %+v, want one memo hit", s)
			}
			if _, ok, _ := second.GetMemo(output, "another name"); ok {
				t.Fatal("GetMemo of another name hit")
			}

			// Damage the memo's blob in the store.
			store, err := remotecache.Open(url, remotecache.Options{})
			if err != nil {
				t.Fatal(err)
			}
			raw, found, err := store.FetchMemo(context.Background(), id)
			if err != nil || !found {
				t.Fatalf("FetchMemo: %v, %v", found, err)
			}
			bad := append([]byte(nil), raw...)
			bad[len(bad)-1] ^= 0x20
			overwrite(t, ctl.blobFile(sha(raw)), bad)
			third := open()
			if got, ok, err := third.GetMemo(output, name); ok || err != nil {
				t.Fatalf("GetMemo of a damaged memo = %q, %v, %v; want a miss", got, ok, err)
			}
			if s := third.RemoteStats(); s.Rejected != 1 || s.Failed {
				t.Fatalf("remote stats %+v, want the memo rejected", s)
			}
		})
	}
}

// TestRegistryHangs: a registry that accepts connections but never answers costs each request
// its timeout once, then one warning; the run renders everything.
func TestRegistryHangs(t *testing.T) {
	reg := testregistry.Start(t)
	url := "oci://" + reg.Host + "/kforge/cache"
	root := newRepo(t, envs)
	want := newRunner(t, "file://"+t.TempDir(), false, nil).renderAll(t, root, envs)
	reg.Freeze()

	remote, err := remotecache.Open(url, remotecache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	local, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{}
	store := local.WithRemote(cache.RemoteOptions{Remote: remote, Timeout: 500 * time.Millisecond, Warn: func(msg string) {
		r.mu.Lock()
		r.warnings = append(r.warnings, msg)
		r.mu.Unlock()
	}})
	r.ce = cache.NewEvaluator(jsonnet.NewInProcess(), store, "remotecache-test")
	assertSame(t, r.renderAll(t, root, envs), want)
	if w := r.warns(); len(w) != 1 || !strings.Contains(w[0], "deadline exceeded") {
		t.Fatalf("warnings %q: want exactly one, about the timeout", w)
	}
}
