package environment

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/kforge/kforge/internal/project"
)

// openRepo copies testdata/<name> into a temporary directory (so no marker
// above the source tree takes part in root detection) and finds it.
func openRepo(t *testing.T, name string) *project.Project {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatalf("copy testdata/%s: %v", name, err)
	}
	p, err := project.Find(dst)
	if err != nil {
		t.Fatalf("find %s: %v", name, err)
	}
	return p
}

// fileEval stands in for the Jsonnet evaluator: the output of an entrypoint
// is the output.json file beside it.
func fileEval(p *project.Project) EvalFunc {
	return func(entrypoint string) ([]byte, error) {
		data, err := os.ReadFile(p.Abs(path.Join(path.Dir(entrypoint), "output.json")))
		if err != nil {
			return nil, errors.New("no output.json beside " + entrypoint)
		}
		return data, nil
	}
}

// constEval returns the same output for every entrypoint.
func constEval(output string) EvalFunc {
	return func(string) ([]byte, error) { return []byte(output), nil }
}

func names(envs []Environment) []string {
	out := make([]string, 0, len(envs))
	for _, e := range envs {
		out = append(out, e.Name)
	}
	return out
}

func slugs(envs []Environment) []string {
	out := make([]string, 0, len(envs))
	for _, e := range envs {
		out = append(out, e.Slug())
	}
	return out
}

func find(t *testing.T, envs []Environment, slug string) Environment {
	t.Helper()
	for _, e := range envs {
		if e.Slug() == slug {
			return e
		}
	}
	t.Fatalf("no environment with slug %q in %q", slug, slugs(envs))
	return Environment{}
}
