package golden

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/golden/goldentest"
	"github.com/kforge/kforge/internal/testfs"
)

func TestUpdate(t *testing.T) {
	web, api, old := deployment("web", "web:1"), deployment("api", "api:1"), deployment("old", "old:1")
	cr := File{Path: "_cluster/clusterrole-reader.yaml", Content: goldentest.ManifestYAML("rbac.authorization.k8s.io/v1", "ClusterRole", "", "reader", ""), Resource: "rbac.authorization.k8s.io/ClusterRole/reader"}
	tests := []struct {
		name  string
		disk  map[string]string // nil: no directory
		setup func(t *testing.T, dir string)
		files []File
		want  Changes
	}{
		{
			name:  "create",
			files: []File{web, cr},
			want:  Changes{Added: []string{"_cluster/clusterrole-reader.yaml", "apps/deployment-web.yaml"}},
		},
		{
			name:  "change add remove",
			disk:  filesMap([]File{web, old}),
			files: []File{deployment("web", "web:2"), api},
			want: Changes{
				Added:   []string{"apps/deployment-api.yaml"},
				Changed: []string{"apps/deployment-web.yaml"},
				Removed: []string{"apps/deployment-old.yaml"},
			},
		},
		{
			name:  "removed namespace directory disappears",
			disk:  filesMap([]File{web, cr}),
			files: []File{web},
			want:  Changes{Removed: []string{"_cluster/clusterrole-reader.yaml"}},
		},
		{
			name: "unexpected entries are removed",
			disk: map[string]string{"apps/deployment-web.yaml": string(web.Content), "README.md": "x", "junk/a.txt": "y"},
			setup: func(t *testing.T, dir string) {
				if err := os.Symlink("/etc/passwd", filepath.Join(dir, "apps", "link.yaml")); err != nil {
					t.Fatal(err)
				}
			},
			files: []File{web},
			want:  Changes{Removed: []string{"README.md", "apps/link.yaml", "junk/"}},
		},
		{
			name: "wrong modes are fixed",
			disk: filesMap([]File{web}),
			setup: func(t *testing.T, dir string) {
				if err := os.Chmod(filepath.Join(dir, "apps", "deployment-web.yaml"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(filepath.Join(dir, "apps"), 0o700); err != nil {
					t.Fatal(err)
				}
			},
			files: []File{web},
			want:  Changes{Changed: []string{"apps/", "apps/deployment-web.yaml"}},
		},
		{name: "nothing rendered, no directory", files: nil},
		{
			name:  "nothing rendered, directory emptied",
			disk:  filesMap([]File{web}),
			files: nil,
			want:  Changes{Removed: []string{"apps/deployment-web.yaml"}},
		},
	}
	for _, tt := range tests {
		for _, noExchange := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/noExchange=%v", tt.name, noExchange), func(t *testing.T) {
				root, tgt := newRepo(t, tt.disk)
				dir := filepath.Join(root, "golden", "prod")
				if tt.setup != nil {
					tt.setup(t, dir)
				}
				w := writer{noExchange: noExchange}
				ch, err := w.update(tgt, tt.files)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(ch) != fmt.Sprint(tt.want) {
					t.Errorf("changes %+v, want %+v", ch, tt.want)
				}
				if tt.disk == nil && len(tt.files) == 0 {
					if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
						t.Errorf("directory created for nothing: %v", err)
					}
					return
				}
				if got, want := goldentest.ReadTree(t, dir), filesMap(tt.files); !maps.Equal(got, want) {
					t.Errorf("files %s, want %s", goldentest.Keys(got), goldentest.Keys(want))
				}
				goldentest.CheckModes(t, dir)
				if names := goldentest.ListNames(t, filepath.Join(root, "golden")); strings.Join(names, ",") != "prod" {
					t.Errorf("golden/ holds %v, want only prod (no lock, no leftovers)", names)
				}
				// A second update changes nothing and does not touch the directory.
				past := time.Now().Add(-time.Hour).Truncate(time.Second)
				touchAll(t, dir, past)
				ch, err = w.update(tgt, tt.files)
				if err != nil {
					t.Fatal(err)
				}
				if !ch.Empty() {
					t.Errorf("second update changed %+v", ch)
				}
				checkMtimes(t, dir, past)
			})
		}
	}
}

func touchAll(t *testing.T, dir string, when time.Time) {
	t.Helper()
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, when, when)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func checkMtimes(t *testing.T, dir string, when time.Time) {
	t.Helper()
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.ModTime().Equal(when) {
			t.Errorf("%s was touched (mtime %v)", p, info.ModTime())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpdateNested(t *testing.T) {
	root := t.TempDir()
	tgt := Target{Root: root, Dir: "golden/inline/team-a"}
	if _, err := Update(tgt, []File{deployment("web", "web:1")}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"golden", "golden/inline"} {
		info, err := os.Stat(filepath.Join(root, d))
		if err != nil || info.Mode().Perm() != DirMode {
			t.Errorf("%s: %v %v", d, info, err)
		}
	}
	if got := goldentest.ReadTree(t, filepath.Join(root, "golden")); goldentest.Keys(got) != "inline/team-a/apps/deployment-web.yaml" {
		t.Errorf("golden/ holds %s", goldentest.Keys(got))
	}
}

func TestUpdateRejectsInvalidInput(t *testing.T) {
	good := deployment("web", "web:1")
	tests := []struct {
		name  string
		tgt   func(root string) Target
		setup func(t *testing.T, root string)
		files []File
		want  string
	}{
		{name: "escaping path", files: []File{good, {Path: "../../x.yaml", Resource: "core/ConfigMap/apps/evil"}}, want: `invalid file path "../../x.yaml" for resource core/ConfigMap/apps/evil`},
		{name: "absolute path", files: []File{{Path: "/etc/x.yaml", Resource: "r"}}, want: "absolute path"},
		{name: "case collision", files: []File{good, {Path: "apps/Deployment-web.yaml", Resource: "r"}}, want: "case-insensitive"},
		{name: "reserved target name", tgt: func(root string) Target { return Target{Root: root, Dir: "golden/x.kforge-tmp-1"} }, files: []File{good}, want: "reserved"},
		{
			name: "symlinked golden root",
			setup: func(t *testing.T, root string) {
				if err := os.Remove(filepath.Join(root, "golden", "prod", "apps", "deployment-web.yaml")); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(filepath.Join(root, "golden"), filepath.Join(root, "real")); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink("real", filepath.Join(root, "golden")); err != nil {
					t.Fatal(err)
				}
			},
			files: []File{good},
			want:  "golden is a symbolic link",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, tgt := newRepo(t, filesMap([]File{deployment("web", "web:0")}))
			if tt.tgt != nil {
				tgt = tt.tgt(root)
			}
			if tt.setup != nil {
				tt.setup(t, root)
			}
			before := goldentest.ReadTree(t, root)
			_, err := Update(tgt, tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), root) {
				t.Errorf("error %q contains an absolute path", err)
			}
			if after := goldentest.ReadTree(t, root); !maps.Equal(before, after) {
				t.Errorf("update wrote something: %s → %s", goldentest.Keys(before), goldentest.Keys(after))
			}
		})
	}
}

func TestUpdateConcurrent(t *testing.T) {
	root, tgt := newRepo(t, nil)
	setA := []File{deployment("a1", "a"), deployment("a2", "a"), deployment("shared", "a")}
	setB := []File{deployment("b1", "b"), deployment("shared", "b")}
	for i := 0; i < 3; i++ {
		setB = append(setB, deployment(fmt.Sprintf("b-extra-%d", i), "b"))
	}
	wantA, wantB := filesMap(setA), filesMap(setB)
	dir := filepath.Join(root, "golden", "prod")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				set := setA
				if (g+i)%2 == 1 {
					set = setB
				}
				w := writer{noExchange: g%2 == 1}
				if _, err := w.update(tgt, set); err != nil {
					errs <- err
					return
				}
				// Reads take the same lock, so they always see a whole tree.
				tree, err := ReadDir(tgt)
				if err != nil {
					errs <- err
					return
				}
				if seen := filesMap(tree.Files); !maps.Equal(seen, wantA) && !maps.Equal(seen, wantB) {
					errs <- fmt.Errorf("mixed tree seen: %s", goldentest.Keys(seen))
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
	got := goldentest.ReadTree(t, dir)
	if !maps.Equal(got, wantA) && !maps.Equal(got, wantB) {
		t.Errorf("final tree is mixed: %s", goldentest.Keys(got))
	}
	if names := goldentest.ListNames(t, filepath.Join(root, "golden")); strings.Join(names, ",") != "prod" {
		t.Errorf("golden/ holds %v after concurrent updates", names)
	}
}

// TestUpdateUnchangedTakesNoLock confirms an up-to-date directory while another process holds
// the parent's lock (a locked check would wait for lockTimeout and fail), and leaves leftovers of
// an interrupted run to the locked path, which removes them even when the tree is up to date.
func TestUpdateUnchangedTakesNoLock(t *testing.T) {
	set := []File{deployment("web", "web:1"), deployment("api", "api:1")}
	root, tgt := newRepo(t, filesMap(set))
	golden := filepath.Join(root, "golden")
	lock, err := acquireLock(golden, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := Update(tgt, set)
	lock.release()
	if err != nil {
		t.Fatalf("unchanged update while the lock is held: %v", err)
	}
	if !ch.Empty() {
		t.Errorf("unchanged update reported %+v", ch)
	}

	testfs.WriteFiles(t, filepath.Join(golden, ".prod.kforge-tmp-7"), map[string]string{"apps/x.yaml": "partial"})
	if ch, err := Update(tgt, set); err != nil || !ch.Empty() {
		t.Fatalf("Update = %+v, %v; want no changes", ch, err)
	}
	if names := goldentest.ListNames(t, golden); strings.Join(names, ",") != "prod" {
		t.Errorf("golden/ holds %v: the leftover was not removed", names)
	}
	if got := goldentest.ReadTree(t, filepath.Join(golden, "prod")); !maps.Equal(got, filesMap(set)) {
		t.Errorf("prod holds %s", goldentest.Keys(got))
	}
}

func TestUpdateFailureInjection(t *testing.T) {
	oldSet := []File{deployment("web", "web:1"), deployment("old", "old:1")}
	newSet := []File{deployment("web", "web:2"), deployment("new", "new:1")}
	tests := []struct {
		step       string
		noExchange bool
		wantNew    bool
	}{
		{stepWritten, false, false},
		{stepSwapped, false, true},
		{stepWritten, true, false},
		{stepAside, true, false},
		{stepSwapped, true, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/noExchange=%v", tt.step, tt.noExchange), func(t *testing.T) {
			root, tgt := newRepo(t, filesMap(oldSet))
			injected := errors.New("injected failure")
			w := writer{noExchange: tt.noExchange, hook: func(step string) error {
				if step == tt.step {
					return injected
				}
				return nil
			}}
			_, err := w.update(tgt, newSet)
			if !errors.Is(err, injected) {
				t.Fatalf("err = %v, want the injected failure", err)
			}
			want := filesMap(oldSet)
			if tt.wantNew {
				want = filesMap(newSet)
			}
			if got := goldentest.ReadTree(t, filepath.Join(root, "golden", "prod")); !maps.Equal(got, want) {
				t.Errorf("tree after failure at %s: %s, want %s", tt.step, goldentest.Keys(got), goldentest.Keys(want))
			}
			if names := goldentest.ListNames(t, filepath.Join(root, "golden")); strings.Join(names, ",") != "prod" {
				t.Errorf("golden/ holds %v after a failure", names)
			}
		})
	}
}

func TestUpdateRecoversLeftovers(t *testing.T) {
	oldSet := []File{deployment("web", "web:1")}
	newSet := []File{deployment("web", "web:2")}
	tests := []struct {
		name  string
		setup func(t *testing.T, golden string)
		err   string
	}{
		{
			name: "crash between the two renames",
			setup: func(t *testing.T, golden string) {
				if err := os.Rename(filepath.Join(golden, "prod"), filepath.Join(golden, ".prod.kforge-old-123")); err != nil {
					t.Fatal(err)
				}
				testfs.WriteFiles(t, filepath.Join(golden, ".prod.kforge-tmp-456"), map[string]string{"apps/deployment-web.yaml": "partial"})
			},
		},
		{
			name: "crash after the swap",
			setup: func(t *testing.T, golden string) {
				testfs.WriteFiles(t, filepath.Join(golden, ".prod.kforge-old-1"), map[string]string{"apps/x.yaml": "old"})
				testfs.WriteFiles(t, filepath.Join(golden, ".prod.kforge-tmp-2"), map[string]string{"apps/x.yaml": "old"})
			},
		},
		{
			name: "two old trees and no current one",
			setup: func(t *testing.T, golden string) {
				if err := os.Rename(filepath.Join(golden, "prod"), filepath.Join(golden, ".prod.kforge-old-1")); err != nil {
					t.Fatal(err)
				}
				testfs.WriteFiles(t, filepath.Join(golden, ".prod.kforge-old-2"), map[string]string{"a.yaml": "x"})
			},
			err: "rename the right one to prod",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, tgt := newRepo(t, filesMap(oldSet))
			golden := filepath.Join(root, "golden")
			testfs.WriteFiles(t, golden, map[string]string{"README.md": "not ours", "staging/apps/x.yaml": "other env"})
			tt.setup(t, golden)
			_, err := Update(tgt, newSet)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := goldentest.ReadTree(t, filepath.Join(golden, "prod")); !maps.Equal(got, filesMap(newSet)) {
				t.Errorf("prod holds %s", goldentest.Keys(got))
			}
			if names := goldentest.ListNames(t, golden); strings.Join(names, ",") != "README.md,prod,staging" {
				t.Errorf("golden/ holds %v", names)
			}
		})
	}
}

// TestUpdateKilled kills a real update process at every step and checks that the environment
// directory is entirely old or entirely new (or, in the fallback's documented window, restored
// to old by the next run), and that the next update succeeds without waiting for a lock.
func TestUpdateKilled(t *testing.T) {
	oldSet := []File{deployment("web", "web:1"), deployment("old", "old:1")}
	tests := []struct {
		step       string
		noExchange bool
		want       string // "old", "new" or "missing"
	}{
		{"writing", false, "old"},
		{stepWritten, false, "old"},
		{stepSwapped, false, "new"},
		{stepAside, true, "missing"},
		{stepSwapped, true, "new"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/noExchange=%v", tt.step, tt.noExchange), func(t *testing.T) {
			root, _ := newRepo(t, filesMap(oldSet))
			marker := filepath.Join(t.TempDir(), "reached")
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "GOLDEN_CRASH_ROOT="+root, "GOLDEN_CRASH_STEP="+tt.step, "GOLDEN_CRASH_MARKER="+marker, fmt.Sprintf("GOLDEN_CRASH_NOEXCHANGE=%v", tt.noExchange))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(30 * time.Second)
			for {
				if _, err := os.Stat(marker); err == nil {
					break
				}
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatal("helper never reached the step")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()

			dir := filepath.Join(root, "golden", "prod")
			switch tt.want {
			case "missing":
				if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("prod exists in the fallback window: %v", err)
				}
			default:
				want := filesMap(oldSet)
				if tt.want == "new" {
					want = filesMap(crashNewSet())
				}
				if got := goldentest.ReadTree(t, dir); !maps.Equal(got, want) {
					t.Fatalf("after kill prod holds %s, want the %s tree %s", goldentest.Keys(got), tt.want, goldentest.Keys(want))
				}
			}
			// Reading (which recovers nothing) and then updating (which recovers first).
			start := time.Now()
			tgt := Target{Root: root, Dir: "golden/prod"}
			if _, err := Update(tgt, oldSet); err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > 10*time.Second {
				t.Error("the killed run's lock was not released")
			}
			if got := goldentest.ReadTree(t, dir); !maps.Equal(got, filesMap(oldSet)) {
				t.Errorf("after recovery prod holds %s", goldentest.Keys(got))
			}
			if names := goldentest.ListNames(t, filepath.Join(root, "golden")); strings.Join(names, ",") != "prod" && strings.Join(names, ",") != ".kforge.lock,prod" {
				t.Errorf("golden/ holds %v after recovery", names)
			}
		})
	}
}

func crashNewSet() []File {
	var files []File
	for i := 0; i < 50; i++ {
		files = append(files, deployment(fmt.Sprintf("svc-%02d", i), "new:1"))
	}
	return files
}

// TestMain runs the process TestUpdateKilled kills when GOLDEN_CRASH_ROOT is set, and the
// tests otherwise.
func TestMain(m *testing.M) {
	if root := os.Getenv("GOLDEN_CRASH_ROOT"); root != "" {
		crashingUpdate(root, os.Getenv("GOLDEN_CRASH_STEP"), os.Getenv("GOLDEN_CRASH_MARKER"), os.Getenv("GOLDEN_CRASH_NOEXCHANGE") == "true")
		return
	}
	os.Exit(m.Run())
}

// crashingUpdate updates root's golden/prod and blocks forever at step ("writing" blocks after
// 25 files of the staging directory), after creating marker.
func crashingUpdate(root, step, marker string, noExchange bool) {
	written := 0
	w := writer{noExchange: noExchange, hook: func(s string) error {
		if s == stepFile {
			written++
		}
		if s == step || (step == "writing" && written == 25) {
			if err := os.WriteFile(marker, nil, 0o644); err != nil {
				panic(err)
			}
			time.Sleep(time.Hour)
		}
		return nil
	}}
	_, err := w.update(Target{Root: root, Dir: "golden/prod"}, crashNewSet())
	panic(fmt.Sprintf("update returned %v without being killed", err))
}

func TestExchange(t *testing.T) {
	d := t.TempDir()
	testfs.WriteFiles(t, d, map[string]string{"a/x.yaml": "x", "b/y.yaml": "y"})
	err := exchange(filepath.Join(d, "a"), filepath.Join(d, "b"))
	want := map[string]string{"a/y.yaml": "y", "b/x.yaml": "x"}
	if errors.Is(err, errNoExchange) {
		want = map[string]string{"a/x.yaml": "x", "b/y.yaml": "y"}
	} else if err != nil {
		t.Fatal(err)
	}
	if got := goldentest.ReadTree(t, d); !maps.Equal(got, want) {
		t.Errorf("after exchange (%v): %v, want %v", err, got, want)
	}
}
