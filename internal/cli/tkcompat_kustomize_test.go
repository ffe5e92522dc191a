package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/cli"
	"github.com/kforge/kforge/internal/testfs"
)

// TestTankaKustomizeOutputs is the differential test of std.native('kustomizeBuild'): every
// environment of testdata/tkcompat/kustomize/repo rendered by kforge must equal what the real tk
// and kustomize printed for it (expected/, written by hack/tkcompat/regen-kustomize.sh):
// `kforge render` byte for byte with `tk show`, `kforge eval` byte for byte with `tk eval`.
// PATH is emptied, so no kustomize binary can be involved.
func TestTankaKustomizeOutputs(t *testing.T) {
	t.Setenv("PATH", "")
	repo := testfs.Copy(t, filepath.Join("testdata", "tkcompat", "kustomize", "repo"))
	expected := filepath.Join("testdata", "tkcompat", "kustomize", "expected")
	shows, err := filepath.Glob(filepath.Join(expected, "*.show.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(shows) < 5 {
		t.Fatalf("found %d expected tk show outputs, want at least 5", len(shows))
	}
	for _, show := range shows {
		env := strings.TrimSuffix(filepath.Base(show), ".show.yaml")
		t.Run(env, func(t *testing.T) {
			want, err := os.ReadFile(show)
			if err != nil {
				t.Fatal(err)
			}
			got := runKforgeInDir(t, repo, "render", "environments/"+env)
			if !bytes.Equal(got, want) {
				t.Errorf("kforge render environments/%s differs from tk show:\n--- kforge\n%s\n--- tk\n%s", env, got, want)
			}
			wantEval, err := os.ReadFile(filepath.Join(expected, env+".eval.json"))
			if err != nil {
				t.Fatal(err)
			}
			gotEval := runKforgeInDir(t, repo, "eval", "environments/"+env)
			if !bytes.Equal(gotEval, wantEval) {
				t.Errorf("kforge eval environments/%s differs from tk eval:\n--- kforge\n%s\n--- tk\n%s", env, gotEval, wantEval)
			}
		})
	}
}

// runKforgeInDir runs kforge in dir with its own render cache and returns its standard output,
// failing the test on a non-zero exit.
func runKforgeInDir(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	env := map[string]string{"KFORGE_CACHE_DIR": filepath.Join(t.TempDir(), "cache")}
	var stdout, stderr bytes.Buffer
	streams := cli.IOStreams{
		In:     strings.NewReader(""),
		Out:    &stdout,
		ErrOut: &stderr,
		LookupEnv: func(k string) (string, bool) {
			v, ok := env[k]
			return v, ok
		},
		Environ: func() []string { return nil },
		WorkDir: dir,
	}
	if code := cli.Main(context.Background(), streams, args); code != 0 {
		t.Fatalf("kforge %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	return stdout.Bytes()
}
