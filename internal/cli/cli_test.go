package cli_test

import (
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kforge/kforge/internal/cli"
	"github.com/kforge/kforge/internal/testcharts"
	"github.com/kforge/kforge/internal/testregistry"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"kforge": func() {
			streams := cli.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, LookupEnv: os.LookupEnv, Environ: os.Environ}
			os.Exit(cli.Main(context.Background(), streams, os.Args[1:]))
		},
	})
}

// updateScripts rewrites the expected output in the scripts (cmp stdout want/...) from what the
// commands print: go test ./internal/cli -run TestScripts -update-scripts.
var updateScripts = flag.Bool("update-scripts", false, "rewrite the scripts' expected files from the actual output")

// TestScripts runs the end-to-end command scripts in testdata/script: each is a miniature
// repository plus the kforge invocations and their expected output and exit codes.
//
// The chart-vendoring scripts (tool_charts_*) pull from a chart repository served on 127.0.0.1
// ($CHART_REPO) and, where docker-registry is installed, a registry ($OCI_REGISTRY, empty
// otherwise, and those scripts skip saying so), both holding testcharts.Fixtures.
func TestScripts(t *testing.T) {
	chartRepo, ociRegistry := startChartServers(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Each script gets its own render cache, inside its own temporary directory.
			env.Setenv("KFORGE_CACHE_DIR", filepath.Join(env.Getenv("TMPDIR"), "kforge-cache"))
			env.Setenv("CHART_REPO", chartRepo)
			env.Setenv("OCI_REGISTRY", ociRegistry)
			return nil
		},
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *updateScripts,
	})
}

// startChartServers serves testcharts.Fixtures from an HTTP chart repository and, when
// docker-registry is installed, a registry; it returns the repository's URL and the registry's
// host ("" without one).
func startChartServers(t *testing.T) (repoURL, registryHost string) {
	t.Helper()
	httpCharts, ociCharts := testcharts.Fixtures()
	repo, err := testcharts.NewRepo(httpCharts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(repo)
	t.Cleanup(srv.Close)
	if _, err := exec.LookPath("docker-registry"); err != nil && os.Getenv("KFORGE_TEST_REGISTRY") == "" {
		t.Log("no docker-registry: the OCI chart scripts skip")
		return srv.URL, ""
	}
	reg := testregistry.Start(t)
	if err := testcharts.Push(reg.Host, "charts", ociCharts, nil); err != nil {
		t.Fatal(err)
	}
	return srv.URL, reg.Host
}

// TestRemoteCache runs the scripts in testdata/remote against each kind of shared render
// cache: a real OCI registry on 127.0.0.1 ($CACHE_URL oci://...) and a directory (file://...).
func TestRemoteCache(t *testing.T) {
	stores := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"oci", func(t *testing.T) string { return "oci://" + testregistry.Start(t).Host + "/kforge/cache" }},
		{"file", func(t *testing.T) string { return "file://" + filepath.Join(t.TempDir(), "share") }},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			url := s.url(t)
			testscript.Run(t, testscript.Params{
				Dir: "testdata/remote",
				Setup: func(env *testscript.Env) error {
					env.Setenv("CACHE_URL", url)
					return nil
				},
				RequireExplicitExec: true,
				RequireUniqueNames:  true,
				UpdateScripts:       *updateScripts,
			})
		})
	}
}
