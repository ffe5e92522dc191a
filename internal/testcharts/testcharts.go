// Package testcharts builds Helm chart archives with the Helm SDK and serves them the two ways
// `kforge tool charts vendor` pulls charts: an HTTP chart repository (index.yaml plus .tgz files)
// and an OCI registry it pushes to. Tests, and hack/tkcompat's server for the real tk, use it;
// the chart set both use is Fixtures.
package testcharts

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/registry"
	repov1 "helm.sh/helm/v4/pkg/repo/v1"
)

// Chart is a chart to build: Chart.yaml is made from Name and Version unless Files has one; Files
// maps slash paths inside the chart (templates/x.yaml, values.yaml, charts/sub/Chart.yaml) to
// their content.
type Chart struct {
	// Name is the chart's name.
	Name string
	// Version is the chart's version.
	Version string
	// Files are the chart's other files.
	Files map[string]string
}

// Package builds c's .tgz with the Helm SDK (loaded from a directory, then saved as Helm
// packages it).
func Package(c Chart) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "testcharts-")
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", c.Name, err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	src := filepath.Join(tmp, "src", c.Name)
	files := map[string]string{"Chart.yaml": fmt.Sprintf("apiVersion: v2\nname: %s\nversion: %s\n", c.Name, c.Version)}
	for name, content := range c.Files {
		files[name] = content
	}
	for name, content := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("package %s: %w", c.Name, err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return nil, fmt.Errorf("package %s: %w", c.Name, err)
		}
	}
	ch, err := loader.LoadDir(src)
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", c.Name, err)
	}
	out, err := chartutil.Save(ch, filepath.Join(tmp, "out"))
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", c.Name, err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", c.Name, err)
	}
	return data, nil
}

// Repo is an HTTP chart repository's content: index.yaml and the archives it lists, under
// charts/. It is an http.Handler; Tamper changes what it serves after the index was made.
type Repo struct {
	mu      sync.Mutex
	index   []byte
	files   map[string][]byte
	tampers map[string][]byte
}

// NewRepo packages charts and indexes them with the Helm SDK (relative URLs under charts/, sha256
// digests).
func NewRepo(charts []Chart) (*Repo, error) {
	idx := repov1.NewIndexFile()
	r := &Repo{files: map[string][]byte{}, tampers: map[string][]byte{}}
	for _, c := range charts {
		data, err := Package(c)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("%s-%s.tgz", c.Name, c.Version)
		sum := sha256.Sum256(data)
		md := &chartv2.Metadata{APIVersion: chartv2.APIVersionV2, Name: c.Name, Version: c.Version}
		if err := idx.MustAdd(md, "charts/"+name, "", "sha256:"+hex.EncodeToString(sum[:])); err != nil {
			return nil, fmt.Errorf("index %s: %w", name, err)
		}
		r.files["charts/"+name] = data
	}
	idx.SortEntries()
	// A fixed generation time keeps index.yaml the same from run to run.
	idx.Generated = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tmp, err := os.MkdirTemp("", "testcharts-index-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	p := filepath.Join(tmp, "index.yaml")
	if err := idx.WriteFile(p, 0o644); err != nil {
		return nil, fmt.Errorf("write index: %w", err)
	}
	if r.index, err = os.ReadFile(p); err != nil {
		return nil, err
	}
	return r, nil
}

// Tamper makes the repository serve data for the archive of chart name at version, leaving the
// index (and its digest) as it was; nil data undoes it.
func (r *Repo) Tamper(name, version string, data []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := fmt.Sprintf("charts/%s-%s.tgz", name, version)
	if data == nil {
		delete(r.tampers, key)
		return
	}
	r.tampers[key] = data
}

// ServeHTTP serves index.yaml and the archives.
func (r *Repo) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	p := strings.TrimPrefix(path.Clean(req.URL.Path), "/")
	r.mu.Lock()
	data, ok := r.tampers[p]
	if !ok {
		data, ok = r.files[p]
	}
	if p == "index.yaml" {
		data, ok = r.index, true
	}
	r.mu.Unlock()
	if !ok {
		http.NotFound(w, req)
		return
	}
	_, _ = w.Write(data)
}

// Push packages charts and pushes each to the registry at host under repoPath
// (host/repoPath/name:version) with the Helm SDK's registry client; tlsConf nil means plain HTTP.
func Push(host, repoPath string, charts []Chart, tlsConf *tls.Config) error {
	opts := []registry.ClientOption{registry.ClientOptCredentialsFile(filepath.Join(os.TempDir(), "testcharts-no-credentials.json"))}
	if tlsConf == nil {
		opts = append(opts, registry.ClientOptPlainHTTP())
	} else {
		opts = append(opts, registry.ClientOptHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: tlsConf}}))
	}
	client, err := registry.NewClient(opts...)
	if err != nil {
		return fmt.Errorf("registry client: %w", err)
	}
	for _, c := range charts {
		data, err := Package(c)
		if err != nil {
			return err
		}
		ref := fmt.Sprintf("%s/%s/%s:%s", host, repoPath, c.Name, c.Version)
		if _, err := client.Push(data, ref); err != nil {
			return fmt.Errorf("push %s: %w", ref, err)
		}
	}
	return nil
}

// Fixtures are the charts the vendoring tests and the tk comparison use: HTTP holds the chart
// repository's charts, OCI the registry's.
func Fixtures() (httpCharts, ociCharts []Chart) {
	hello := func(version string) Chart {
		return Chart{Name: "hello", Version: version, Files: map[string]string{
			"values.yaml": "greeting: hello\nreplicas: 1\n",
			"templates/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"hello.name\" . }}\n" +
				"data:\n  greeting: {{ .Values.greeting | quote }}\n  version: " + version + "\n",
			"templates/_helpers.tpl": "{{- define \"hello.name\" -}}{{ .Release.Name }}-hello{{- end -}}\n",
			"templates/NOTES.txt":    "Installed hello " + version + ".\n",
			"README.md":              "# hello\n\nA test chart, version " + version + ".\n",
		}}
	}
	world := Chart{Name: "world", Version: "0.2.0", Files: map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: world\nversion: 0.2.0\nappVersion: \"2.1\"\ndescription: A chart with a subchart\n" +
			"dependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n",
		"values.yaml":                  "sub:\n  enabled: true\nglobal:\n  env: test\n",
		"values.schema.json":           "{\"type\": \"object\", \"required\": [\"sub\"]}\n",
		"templates/service.yaml":       "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-world\nspec:\n  ports:\n  - port: 80\n",
		"crds/widget.yaml":             "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n",
		"charts/sub/Chart.yaml":        "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
		"charts/sub/values.yaml":       "enabled: true\n",
		"charts/sub/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-sub\ndata:\n  env: {{ .Values.global.env }}\n",
	}}
	httpCharts = []Chart{hello("1.0.0"), hello("1.1.0"), world}
	app := Chart{Name: "app", Version: "2.0.0", Files: map[string]string{
		"values.yaml":             "image: example/app:2.0.0\n",
		"templates/deploy.yaml":   "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-app\n",
		"templates/tests/ok.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\n  annotations:\n    helm.sh/hook: test\n",
	}}
	app3 := app
	app3.Version = "3.0.0+build.1"
	ociCharts = []Chart{app, app3}
	return httpCharts, ociCharts
}

// FixtureRequires is the requires list of a chartfile vendoring the fixtures: repository "test"
// is the HTTP chart repository, "oci" the registry path holding the OCI charts. It covers a
// chart at its own directory, two versions of one chart, directory overrides, a chart with a
// subchart, CRDs and a values schema, and a version with build metadata (an OCI tag with "_").
// (No nested directory: tk's rename into charts/a/b fails when charts/a does not exist.)
const FixtureRequires = `- chart: test/hello
  version: 1.0.0
- chart: test/world
  version: 0.2.0
- chart: test/hello
  version: 1.1.0
  directory: hello-next
- chart: oci/app
  version: 2.0.0
- chart: oci/app
  version: 3.0.0+build.1
  directory: app-three
`

// Layout lists every directory and file under dir, sorted, one per line: its slash path
// (directories with a trailing slash), its permissions and, for a file, the sha256 of its
// content. Two vendored chart directories are the same layout when their listings are
// equal.
func Layout(dir string) (string, error) {
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			lines = append(lines, fmt.Sprintf("%s/ %v", filepath.ToSlash(rel), info.Mode().Perm()))
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		lines = append(lines, fmt.Sprintf("%s %v sha256:%x", filepath.ToSlash(rel), info.Mode().Perm(), sum))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("list %s: %w", dir, err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n", nil
}
