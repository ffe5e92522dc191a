package golden

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/golden/goldentest"
	"github.com/kforge/kforge/internal/testfs"
)

// gitRepo makes a git repository in a temporary directory.
func gitRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	run(t, dir, "git", "init", "-q", "-b", "main")
	run(t, dir, "git", "config", "user.email", "test@example.com")
	run(t, dir, "git", "config", "user.name", "test")
	run(t, dir, "git", "config", "commit.gpgsign", "false")
	return dir
}

func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// gitFixture commits two versions of golden/prod in a kforge project at sub/ of a new git
// repository: v1 (tag v1) holds v1's files plus a README, a hidden file and a symbolic link, and
// HEAD holds v2's files. It returns the target of golden/prod and both file sets.
func gitFixture(t *testing.T) (tgt Target, v1, v2 []File) {
	t.Helper()
	repo := gitRepo(t)
	v1 = []File{deployment("web", "web:1"), deployment("old", "old:1")}
	testfs.WriteFiles(t, filepath.Join(repo, "sub", "golden", "prod"), filesMap(v1))
	testfs.WriteFiles(t, filepath.Join(repo, "sub", "golden", "prod"), map[string]string{"README.md": "x", "apps/.hidden.yaml": "y"})
	if err := os.Symlink("../README.md", filepath.Join(repo, "sub", "golden", "prod", "apps", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	run(t, repo, "git", "add", "-A")
	run(t, repo, "git", "commit", "-q", "-m", "v1")
	run(t, repo, "git", "tag", "v1")
	v2 = []File{deployment("web", "web:2")}
	if err := os.RemoveAll(filepath.Join(repo, "sub", "golden", "prod")); err != nil {
		t.Fatal(err)
	}
	testfs.WriteFiles(t, filepath.Join(repo, "sub", "golden", "prod"), filesMap(v2))
	run(t, repo, "git", "add", "-A")
	run(t, repo, "git", "commit", "-q", "-m", "v2")
	root := filepath.Join(repo, "sub") // a kforge project inside a larger repository
	return Target{Root: root, Dir: "golden/prod", Env: "prod"}, v1, v2
}

func TestReadGitTree(t *testing.T) {
	tgt, v1, v2 := gitFixture(t)
	ctx := context.Background()
	root := tgt.Root

	tree, err := ReadGitTree(ctx, tgt, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if got := filesMap(tree.Files); !maps.Equal(got, filesMap(v1)) {
		t.Errorf("files at v1: %s", goldentest.Keys(got))
	}
	if tree.Files[0].Resource != "apps/Deployment/apps/old" || tree.Files[0].Kind != "Deployment" {
		t.Errorf("metadata not filled: %+v", tree.Files[0])
	}
	var unexpected []string
	for _, u := range tree.Unexpected {
		unexpected = append(unexpected, u.Path+": "+u.Reason)
	}
	if want := "README.md: not a .yaml file,apps/.hidden.yaml: hidden entry,apps/link.yaml: symbolic link"; strings.Join(unexpected, ",") != want {
		t.Errorf("unexpected %v, want %s", unexpected, want)
	}

	head, err := ReadGitTree(ctx, tgt, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if got := filesMap(head.Files); !maps.Equal(got, filesMap(v2)) || len(head.Unexpected) != 0 {
		t.Errorf("files at HEAD: %s %v", goldentest.Keys(got), head.Unexpected)
	}

	missing, err := ReadGitTree(ctx, Target{Root: root, Dir: "golden/staging"}, "HEAD")
	if err != nil || len(missing.Files)+len(missing.Unexpected) != 0 {
		t.Errorf("missing dir: %+v, %v", missing, err)
	}
}

func TestReadGitTreeErrors(t *testing.T) {
	repo := gitRepo(t)
	testfs.WriteFiles(t, repo, map[string]string{"golden/prod": "a file, not a directory"})
	run(t, repo, "git", "add", "-A")
	run(t, repo, "git", "commit", "-q", "-m", "init")
	ctx := context.Background()
	tests := []struct {
		name string
		root string
		ref  string
		want string
	}{
		{"unknown ref", repo, "no-such-branch", `unknown git ref "no-such-branch"`},
		{"option-like ref", repo, "--output=x", "invalid git ref"},
		{"not a repository", t.TempDir(), "HEAD", "not a git repository"},
		{"file instead of directory", repo, "HEAD", "not a directory at that ref"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadGitTree(ctx, Target{Root: tt.root, Dir: "golden/prod"}, tt.ref)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), tt.root) {
				t.Errorf("error %q contains an absolute path", err)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := ReadGitTree(cctx, Target{Root: repo, Dir: "golden/prod"}, "HEAD"); err == nil {
			t.Fatal("want error from a cancelled context")
		}
	})
}
