package affected

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

// TestSelectDirectoryListings: an environment that read a directory's listing (a Helm chart's,
// jsonnet.DirRead) is selected by a file added to or removed from that directory, and by a
// change to a file it read in it; other environments are not.
func TestSelectDirectoryListings(t *testing.T) {
	envs := []Env{
		{Name: "a", Dir: "environments/a", MissesKnown: true, Reads: []string{
			"environments/a/main.jsonnet", "charts/x/", "charts/x/Chart.yaml", "charts/x/templates/", "charts/x/templates/cm.yaml",
		}},
		{Name: "b", Dir: "environments/b", MissesKnown: true, Reads: []string{
			"environments/b/main.jsonnet", "charts/y/", "charts/y/Chart.yaml", "charts/y/templates/", "charts/y/templates/cm.yaml",
		}},
	}
	tests := []struct {
		changed []string
		want    []string
	}{
		{[]string{"charts/x/templates/cm.yaml"}, []string{"a"}},
		{[]string{"charts/x/templates/new.yaml"}, []string{"a"}},
		{[]string{"charts/x/values.yaml"}, []string{"a"}},
		{[]string{"charts/y/templates/sub/deep.yaml"}, nil},
		{[]string{"charts/z/templates/cm.yaml"}, nil},
		{[]string{"charts/x/Chart.yaml", "charts/y/templates/other.yaml"}, []string{"a", "b"}},
	}
	for _, tc := range tests {
		got := Select(tc.changed, envs, Rules{})
		if !slices.Equal(got.Envs, tc.want) {
			t.Errorf("Select(%v) = %v, want %v", tc.changed, got.Envs, tc.want)
		}
	}
}

// TestProbeDirectoryListings: Probe hashes a directory listing as the evaluation recorded it
// and does not scan it for imports.
func TestProbeDirectoryListings(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFiles(t, root, map[string]string{
		"main.jsonnet":         "{}\n",
		"charts/x/Chart.yaml":  "name: x\n",
		"charts/x/values.yaml": "a: 1\n",
	})
	p, err := NewScanner().Probe(root, nil, []string{"main.jsonnet", "charts/x/"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := jsonnet.HashDirListing(filepath.Join(root, "charts", "x"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Files["charts/x/"]; got != want || want != jsonnet.DirListingSHA256([]string{"Chart.yaml", "values.yaml"}) {
		t.Errorf("listing hash %q, want %q", got, want)
	}
	if len(p.Files) != 2 || len(p.Misses) != 0 {
		t.Errorf("Probe = %+v", p)
	}
}
