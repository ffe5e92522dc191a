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

// TestReadSetFollowsChartLiterals: without a recorded read set, the charts an environment's
// files name by a literal path are read in full, so a change to one selects it.
func TestReadSetFollowsChartLiterals(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFiles(t, root, map[string]string{
		"lib/helm.libsonnet":             "{ new(from):: { template(name, chart, conf={}):: std.native('helmTemplate')(name, chart, conf { calledFrom: from }) } }\n",
		"environments/a/main.jsonnet":    "local helm = (import 'helm.libsonnet').new(std.thisFile);\n{ x: helm.template('x', '../../charts/x', {}), other: 'not/a/chart' }\n",
		"charts/x/Chart.yaml":            "apiVersion: v2\nname: x\nversion: 1.0.0\n",
		"charts/x/templates/cm.yaml":     "kind: ConfigMap\n",
		"charts/x/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
		"charts/y/Chart.yaml":            "apiVersion: v2\nname: y\nversion: 1.0.0\n",
	})
	reads, _, err := ReadSet(NewScanner(), root, []string{"environments/a", "lib"}, "environments/a/main.jsonnet", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"charts/x/", "charts/x/Chart.yaml", "charts/x/charts/", "charts/x/charts/sub/", "charts/x/charts/sub/Chart.yaml",
		"charts/x/templates/", "charts/x/templates/cm.yaml", "environments/a/main.jsonnet", "lib/helm.libsonnet",
	}
	if !slices.Equal(reads, want) {
		t.Errorf("ReadSet = %v\nwant %v", reads, want)
	}
	sel := Select([]string{"charts/x/templates/new.yaml"}, []Env{{Name: "a", Dir: "environments/a", Reads: reads, MissesKnown: true}}, Rules{})
	if !slices.Equal(sel.Envs, []string{"a"}) {
		t.Errorf("a new template of chart x selects %v", sel.Envs)
	}
}
