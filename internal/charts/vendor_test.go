package charts_test

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/charts"
	"github.com/kforge/kforge/internal/testcharts"
	"github.com/kforge/kforge/internal/testregistry"
)

// server is a chart repository and a registry holding testcharts.Fixtures.
type server struct {
	repo    *testcharts.Repo
	repoURL string
	ociURL  string
}

func startServers(t testing.TB, withOCI bool) *server {
	t.Helper()
	httpCharts, ociCharts := testcharts.Fixtures()
	repo, err := testcharts.NewRepo(httpCharts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(repo)
	t.Cleanup(srv.Close)
	s := &server{repo: repo, repoURL: srv.URL}
	if withOCI {
		reg := testregistry.Start(t)
		if err := testcharts.Push(reg.Host, "charts", ociCharts, nil); err != nil {
			t.Fatal(err)
		}
		s.ociURL = "oci://" + reg.Host + "/charts"
	}
	return s
}

// writeChartfile writes a chartfile naming the servers' repositories and reqs into a new
// directory and loads it.
func writeChartfile(t testing.TB, s *server, reqs string) *charts.File {
	t.Helper()
	dir := t.TempDir()
	content := "version: 1\nrepositories:\n- name: test\n  url: " + s.repoURL + "\n"
	if s.ociURL != "" {
		content += "- name: oci\n  url: " + s.ociURL + "\n"
	}
	content += "requires:\n" + reqs
	if err := os.WriteFile(filepath.Join(dir, charts.Filename), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := charts.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// snapshot records every path under dir with its modification time and content hash, to prove a
// run changed nothing.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	layout, err := testcharts.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(layout)
	err = filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		b.WriteString(p + " " + info.ModTime().Format(time.RFC3339Nano) + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestVendorMatchesTanka vendors the fixtures from the chart repository and the registry and
// compares the charts directory with the layout the real tk produced from the same charts
// (testdata/tk-vendor-layout.txt, made by hack/tkcompat/regen-charts.sh); a second run changes
// nothing on disk, not even a modification time.
func TestVendorMatchesTanka(t *testing.T) {
	s := startServers(t, true)
	f := writeChartfile(t, s, testcharts.FixtureRequires)
	var log bytes.Buffer
	res, err := charts.Vendor(context.Background(), f, charts.Options{PlainHTTP: true, Log: &log})
	if err != nil {
		t.Fatalf("vendor: %v\n%s", err, log.String())
	}
	if len(res.Pulled) != 5 || len(res.Kept) != 0 {
		t.Fatalf("pulled %d, kept %d; want 5 and 0\n%s", len(res.Pulled), len(res.Kept), log.String())
	}
	got, err := testcharts.Layout(f.ChartsDir())
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/tk-vendor-layout.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("vendored layout differs from tk's (testdata/tk-vendor-layout.txt)\ngot:\n%s\nwant:\n%s", got, want)
	}

	before := snapshot(t, filepath.Dir(f.Path))
	log.Reset()
	res, err = charts.Vendor(context.Background(), f, charts.Options{PlainHTTP: true, Log: &log})
	if err != nil {
		t.Fatalf("second vendor: %v", err)
	}
	if len(res.Pulled) != 0 || len(res.Kept) != 5 {
		t.Errorf("second run pulled %d, kept %d; want 0 and 5", len(res.Pulled), len(res.Kept))
	}
	if after := snapshot(t, filepath.Dir(f.Path)); after != before {
		t.Errorf("second run changed the tree:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if !strings.Contains(log.String(), "test/hello@1.0.0 (dir: hello) exists") {
		t.Errorf("second run's log does not say the chart exists:\n%s", log.String())
	}
}

// TestVendorErrors covers requirements that cannot be vendored: each is an error naming the
// chart, and leaves the charts directory without a partial chart or a staging directory.
func TestVendorErrors(t *testing.T) {
	s := startServers(t, false)
	tests := []struct {
		name, reqs, want string
		tamper           bool
	}{
		{name: "unknown chart", reqs: "- chart: test/nope\n  version: 1.0.0\n",
			want: `vendor test/nope@1.0.0: chart "nope" not found in repository test`},
		{name: "unknown version", reqs: "- chart: test/hello\n  version: 9.9.9\n",
			want: `vendor test/hello@9.9.9: version "9.9.9" of chart "hello" not found in repository test (available: 1.1.0, 1.0.0)`},
		{name: "unknown repository", reqs: "- chart: other/hello\n  version: 1.0.0\n",
			want: `vendor other/hello@1.0.0: repository "other" is not defined`},
		{name: "digest mismatch", reqs: "- chart: test/world\n  version: 0.2.0\n", tamper: true,
			want: `vendor test/world@0.2.0: digest mismatch: ` + s.repoURL + `/charts/world-0.2.0.tgz has sha256 `},
		{name: "directory outside", reqs: "- chart: test/hello\n  version: 1.0.0\n  directory: ../x\n",
			want: `chart "test/hello": directory "../x" is not inside the charts directory`},
		{name: "directory used twice", reqs: "- chart: test/hello\n  version: 1.0.0\n- chart: test/hello\n  version: 1.1.0\n",
			want: `output directory "hello" is used twice, by charts test/hello@1.0.0 and test/hello@1.1.0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.tamper {
				_, ociCharts := testcharts.Fixtures()
				other, err := testcharts.Package(ociCharts[0])
				if err != nil {
					t.Fatal(err)
				}
				s.repo.Tamper("world", "0.2.0", other)
				defer s.repo.Tamper("world", "0.2.0", nil)
			}
			f := writeChartfile(t, s, tt.reqs)
			_, err := charts.Vendor(context.Background(), f, charts.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
			entries, _ := os.ReadDir(f.ChartsDir())
			if len(entries) != 0 {
				t.Errorf("charts directory holds %d entries after a failed run: %v", len(entries), entries)
			}
		})
	}
}

// TestVendorUnreachableRepository: a repository nobody listens on is an error naming it.
func TestVendorUnreachableRepository(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	f := writeChartfile(t, &server{repoURL: url}, "- chart: test/hello\n  version: 1.0.0\n")
	_, err := charts.Vendor(context.Background(), f, charts.Options{})
	want := "vendor test/hello@1.0.0: fetch index of repository test: "
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("error = %v, want %q ... connection refused", err, want)
	}
}

// TestVendorReplacesAndPrunes changes a requirement's version (the old chart is replaced whole),
// then drops requirements and prunes what they had vendored and a stray file.
func TestVendorReplacesAndPrunes(t *testing.T) {
	s := startServers(t, false)
	f := writeChartfile(t, s, "- chart: test/hello\n  version: 1.0.0\n- chart: test/world\n  version: 0.2.0\n  directory: nested/world\n")
	ctx := context.Background()
	if _, err := charts.Vendor(ctx, f, charts.Options{}); err != nil {
		t.Fatal(err)
	}
	dir := f.ChartsDir()
	stray := filepath.Join(dir, "hello", "local-edit.txt")
	if err := os.WriteFile(stray, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A version that cannot be pulled leaves the vendored chart as it was.
	f.Requires[0].Version = "9.9.9"
	if _, err := charts.Vendor(ctx, f, charts.Options{}); err == nil {
		t.Fatal("vendoring a missing version succeeded")
	}
	if _, err := os.Stat(stray); err != nil {
		t.Fatalf("a failed pull touched the vendored chart: %v", err)
	}
	f.Requires[0].Version = "1.1.0"
	var log bytes.Buffer
	res, err := charts.Vendor(ctx, f, charts.Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pulled) != 1 || res.Pulled[0].Version != "1.1.0" {
		t.Fatalf("pulled %v, want hello 1.1.0", res.Pulled)
	}
	if _, err := os.Stat(stray); !os.IsNotExist(err) {
		t.Errorf("the old chart's files survived the replacement: %v", err)
	}
	cm, err := os.ReadFile(filepath.Join(dir, "hello", "templates", "configmap.yaml"))
	if err != nil || !strings.Contains(string(cm), "version: 1.1.0") {
		t.Errorf("hello was not replaced by 1.1.0: %v\n%s", err, cm)
	}
	if !strings.Contains(log.String(), "Replacing test/hello@1.1.0 (dir: hello) (vendored version 1.0.0)") {
		t.Errorf("log does not say the chart was replaced:\n%s", log.String())
	}

	for _, p := range []string{"stray.txt", "nested/old.txt"} {
		if err := os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Without --prune nothing is removed.
	if _, err := charts.Vendor(ctx, f, charts.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stray.txt")); err != nil {
		t.Fatalf("vendor without prune removed a file: %v", err)
	}
	f.Requires = f.Requires[1:]
	res, err = charts.Vendor(ctx, f, charts.Options{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Pruned, ","); got != "hello,nested/old.txt,stray.txt" {
		t.Errorf("pruned %q, want hello,nested/old.txt,stray.txt", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "nested", "world", "Chart.yaml")); err != nil {
		t.Errorf("prune removed a required chart: %v", err)
	}
}

// TestVendorRepositoryConfig takes the repositories from a Helm repositories file instead of
// the chartfile.
func TestVendorRepositoryConfig(t *testing.T) {
	s := startServers(t, false)
	f := writeChartfile(t, s, "- chart: private/hello\n  version: 1.0.0\n")
	cfg := filepath.Join(t.TempDir(), "repositories.yaml")
	content := "apiVersion: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n- name: private\n  url: " + s.repoURL + "\n  insecure_skip_tls_verify: false\n"
	if err := os.WriteFile(cfg, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	repos, err := charts.LoadRepoConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := charts.Vendor(context.Background(), f, charts.Options{Repositories: repos}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(f.ChartsDir(), "hello", "Chart.yaml")); err != nil {
		t.Error(err)
	}
}
