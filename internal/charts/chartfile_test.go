package charts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/charts"
)

// TestMarshalLikeTanka checks the bytes kforge writes against what tk wrote for the same
// chartfiles (`tk tool charts init`, then `add-repo`).
func TestMarshalLikeTanka(t *testing.T) {
	data, err := charts.Marshal(charts.New())
	if err != nil {
		t.Fatal(err)
	}
	want := "repositories:\n- name: stable\n  url: https://charts.helm.sh/stable\nrequires: []\nversion: 1\n"
	if string(data) != want {
		t.Errorf("init chartfile:\n%s\nwant:\n%s", data, want)
	}
	cf, err := charts.Parse("chartfile.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	cf.Repositories = append(cf.Repositories, charts.Repo{Name: "my_repo", URL: "http://127.0.0.1:1/"})
	data, err = charts.Marshal(*cf)
	if err != nil {
		t.Fatal(err)
	}
	want = "directory: charts\nrepositories:\n- name: stable\n  url: https://charts.helm.sh/stable\n- name: my_repo\n  url: http://127.0.0.1:1/\nrequires: []\nversion: 1\n"
	if string(data) != want {
		t.Errorf("chartfile after add-repo:\n%s\nwant:\n%s", data, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"unknown top-level field", "version: 1\nrepos: []\n", `chartfile.yaml:2: unknown field "repos"`},
		{"unknown requirement field", "version: 1\nrequires:\n- chart: a/b\n  version: 1.0.0\n  digest: x\n",
			`chartfile.yaml:5: requires[0]: unknown field "digest"`},
		{"requirement without chart", "version: 1\nrequires:\n- chart: a/b\n  version: 1\n- version: 2\n",
			`chartfile.yaml:5: requires[1]: 'chart' must be set`},
		{"wrong version", "version: 2\n", `version 2 is not supported`},
		{"not a mapping", "- a\n", `chartfile.yaml:1: a chartfile is a mapping`},
		{"bad yaml", "version: [\n", `chartfile.yaml: yaml:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := charts.Parse("chartfile.yaml", []byte(tt.content))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseRequirement(t *testing.T) {
	tests := []struct {
		in   string
		want charts.Requirement
		err  bool
	}{
		{in: "stable/nginx@1.2.3", want: charts.Requirement{Chart: "stable/nginx", Version: "1.2.3"}},
		{in: "oci/app@3.0.0+build.1:apps", want: charts.Requirement{Chart: "oci/app", Version: "3.0.0+build.1", Directory: "apps"}},
		{in: "stable/nginx", err: true},
		{in: "foo", err: true},
	}
	for _, tt := range tests {
		got, err := charts.ParseRequirement(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseRequirement(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestSaveUnchangedLeavesFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, charts.Filename)
	if err := charts.Save(path, charts.New()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	if err := charts.Save(path, charts.New()); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("saving the same chartfile rewrote it")
	}
	if after.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", after.Mode().Perm())
	}
}
