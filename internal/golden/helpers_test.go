package golden

import (
	"testing"

	"github.com/kforge/kforge/internal/golden/goldentest"
)

// deployment is a File for a Deployment in namespace apps.
func deployment(name, image string) File {
	p, res, content := goldentest.Deployment(name, image)
	return File{Path: p, Content: content, Resource: res, Kind: "Deployment"}
}

// filesMap turns files into path → content.
func filesMap(files []File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Content)
	}
	return out
}

// newRepo makes a repository root with golden/prod holding files (nil: no directory).
func newRepo(t *testing.T, files map[string]string) (string, Target) {
	t.Helper()
	root := goldentest.NewRepo(t, files)
	return root, Target{Root: root, Dir: "golden/prod", Env: "prod"}
}
