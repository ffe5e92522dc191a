package affected

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

// gitRepo is a throw-away git repository for tests.
type gitRepo struct {
	t   *testing.T
	dir string
	env []string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is required by these tests: %v", err)
	}
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	r := &gitRepo{t: t, dir: dir, env: append(os.Environ(),
		"HOME="+home, "GIT_CONFIG_GLOBAL="+filepath.Join(home, "gitconfig"), "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
	)}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(args ...string) {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func (r *gitRepo) write(rel, content string) { testfs.WriteFile(r.t, r.dir, rel, content) }

func (r *gitRepo) remove(rel string) {
	r.t.Helper()
	if err := os.Remove(filepath.Join(r.dir, filepath.FromSlash(rel))); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) commit(msg string) {
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
}

// history builds: a base commit (tagged base) on main, a feature branch with committed
// changes, a later commit on main that the feature branch does not have, and uncommitted
// changes of every kind on the feature branch. prefix places the kforge tree in a
// subdirectory of the git repository.
func history(t *testing.T, prefix string) *gitRepo {
	r := newGitRepo(t)
	p := func(rel string) string { return prefix + rel }
	r.write(p("jsonnetfile.json"), "{}\n")
	r.write(p("lib/a.libsonnet"), "{ a: 1 }\n")
	r.write(p("lib/old.libsonnet"), "{ old: 1 }\n")
	r.write(p("lib/r1.libsonnet"), "{ renamed: 1 }\n")
	r.write(p("lib/main-only.libsonnet"), "{ m: 1 }\n")
	r.write(p("vendor/v.libsonnet"), "{ v: 1 }\n")
	r.write(p("environments/prod/main.jsonnet"), "import 'a.libsonnet'\n")
	r.write("outside/notes.txt", "outside the kforge root when prefix is set\n")
	r.commit("base")
	r.git("tag", "base")
	r.git("checkout", "-q", "-b", "feature")
	r.write(p("lib/a.libsonnet"), "{ a: 2 }\n")
	r.remove(p("lib/old.libsonnet"))
	r.git("mv", p("lib/r1.libsonnet"), p("lib/r2.libsonnet"))
	r.write(p("lib/with space é.libsonnet"), "{}\n")
	r.write("outside/notes.txt", "changed\n")
	r.commit("feature work")
	r.git("checkout", "-q", "main")
	r.write(p("lib/main-only.libsonnet"), "{ m: 2 }\n")
	r.commit("main moves on")
	r.git("checkout", "-q", "feature")
	r.write(p("environments/prod/main.jsonnet"), "import 'a.libsonnet' + {}\n") // unstaged
	r.write(p("lib/staged.libsonnet"), "{}\n")
	r.git("add", p("lib/staged.libsonnet"))               // staged
	r.write(p("environments/new/deep/x.jsonnet"), "{}\n") // untracked, in a new directory
	r.remove(p("vendor/v.libsonnet"))                     // unstaged deletion
	return r
}

func TestChangedSince(t *testing.T) {
	want := []string{
		"environments/new/deep/x.jsonnet",
		"environments/prod/main.jsonnet",
		"lib/a.libsonnet",
		"lib/old.libsonnet",
		"lib/r1.libsonnet",
		"lib/r2.libsonnet",
		"lib/staged.libsonnet",
		"lib/with space é.libsonnet",
		"vendor/v.libsonnet",
	}
	tests := []struct {
		name   string
		prefix string
		ref    string
		want   []string
	}{
		{"root is the git top level, since a branch", "", "main", append([]string{"outside/notes.txt"}, want...)},
		{"since a tag", "", "base", append([]string{"outside/notes.txt"}, want...)},
		{"root is a subdirectory", "kforge/", "main", want},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := history(t, tt.prefix)
			root := filepath.Join(r.dir, filepath.FromSlash(strings.TrimSuffix(tt.prefix, "/")))
			got, err := ChangedSince(context.Background(), root, tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			wantSorted := slices.Clone(tt.want)
			slices.Sort(wantSorted)
			if !slices.Equal(got, wantSorted) {
				t.Errorf("ChangedSince =\n%q\nwant\n%q", got, wantSorted)
			}
		})
	}
}

func TestChangedSinceClean(t *testing.T) {
	r := newGitRepo(t)
	r.write("lib/a.libsonnet", "{}\n")
	r.commit("one")
	got, err := ChangedSince(context.Background(), r.dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("ChangedSince on a clean tree = %q, want nothing", got)
	}
}

func TestChangedSinceErrors(t *testing.T) {
	r := newGitRepo(t)
	r.write("lib/a.libsonnet", "{}\n")
	r.commit("one")
	notRepo, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		root    string
		ref     string
		check   func(error) bool
		message string
	}{
		{"not a git repository", context.Background(), notRepo, "main",
			func(err error) bool { var e *NotRepositoryError; return errors.As(err, &e) }, "not inside a git work tree"},
		{"unknown revision", context.Background(), r.dir, "no-such-branch",
			func(err error) bool { var e *UnknownRevisionError; return errors.As(err, &e) }, `unknown git revision "no-such-branch"`},
		{"option-like revision", context.Background(), r.dir, "--output=/tmp/x",
			func(err error) bool { var e *UnknownRevisionError; return errors.As(err, &e) }, "unknown git revision"},
		{"empty revision", context.Background(), r.dir, "",
			func(err error) bool { var e *UnknownRevisionError; return errors.As(err, &e) }, "unknown git revision"},
		{"canceled", canceled, r.dir, "main",
			func(err error) bool { return errors.Is(err, context.Canceled) }, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ChangedSince(tt.ctx, tt.root, tt.ref)
			if err == nil {
				t.Fatal("ChangedSince succeeded, want an error")
			}
			if !tt.check(err) {
				t.Errorf("error %v (%T) is not of the expected kind", err, err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not contain %q", err, tt.message)
			}
			if strings.Contains(err.Error(), tt.root) && tt.root != "" {
				t.Errorf("error %q contains the absolute root", err)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	in := " M a.jsonnet\x00?? new dir/x.json\x00R  new.libsonnet\x00old.libsonnet\x00D  gone\x00"
	got := parseStatus([]byte(in))
	want := []string{"a.jsonnet", "new dir/x.json", "new.libsonnet", "old.libsonnet", "gone"}
	if !slices.Equal(got, want) {
		t.Errorf("parseStatus = %q, want %q", got, want)
	}
}
