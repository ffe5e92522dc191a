package environment

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/project"
)

func TestDiscover(t *testing.T) {
	tests := []struct {
		name           string
		tree           string
		dir            string
		wantStatic     []string // names
		wantSlugs      []string
		wantCandidates []string
	}{
		{
			name:           "plain Tanka repository skips vendor, node_modules, .git and golden",
			tree:           "repo",
			dir:            ".",
			wantStatic:     []string{"environments/dev", "environments/prod", "environments/team/staging"},
			wantSlugs:      []string{"dev", "prod", "team/staging"},
			wantCandidates: []string{"environments/empty-inline/main.jsonnet", "environments/inline/main.jsonnet"},
		},
		{
			name:       "sub directory",
			tree:       "repo",
			dir:        "environments/team",
			wantStatic: []string{"environments/team/staging"},
			wantSlugs:  []string{"team/staging"},
		},
		{
			name:       "an explicitly given vendor directory is walked",
			tree:       "repo",
			dir:        "environments/prod/vendor",
			wantStatic: []string{"environments/prod/vendor/x"},
			wantSlugs:  []string{"prod/vendor/x"},
		},
		{
			name:       "kforge.yaml renames vendor, environments and golden",
			tree:       "kforge",
			dir:        "",
			wantStatic: []string{"environments/old", "envs/eu/prod", "envs/prod"},
			wantSlugs:  []string{"environments/old", "eu/prod", "prod"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openRepo(t, tt.tree)
			// .git cannot be committed inside testdata; make one here.
			git := filepath.Join(p.Root, ".git", "hooks")
			if err := os.MkdirAll(git, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"main.jsonnet", "spec.json"} {
				if err := os.WriteFile(filepath.Join(git, f), []byte("{}"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			d, err := Discover(p, tt.dir)
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			if got := names(d.Static); !slices.Equal(got, tt.wantStatic) {
				t.Errorf("static names = %q, want %q", got, tt.wantStatic)
			}
			if got := slugs(d.Static); !slices.Equal(got, tt.wantSlugs) {
				t.Errorf("static slugs = %q, want %q", got, tt.wantSlugs)
			}
			if !slices.Equal(d.InlineCandidates, tt.wantCandidates) {
				t.Errorf("inline candidates = %q, want %q", d.InlineCandidates, tt.wantCandidates)
			}
			for _, e := range d.Static {
				if e.Inline || e.Data != nil {
					t.Errorf("%s: static environment marked inline or with data", e.Name)
				}
				if e.Entrypoint != e.Dir+"/main.jsonnet" || e.Spec.Metadata.Name != e.Name || e.Spec.Metadata.Namespace != e.Entrypoint {
					t.Errorf("%s: inconsistent environment %+v", e.Name, e)
				}
			}
		})
	}
}

func TestDiscoverErrors(t *testing.T) {
	tests := []struct {
		name string
		tree string
		dir  string
		want []string // substrings of the error, in order
	}{
		{name: "missing directory", tree: "repo", dir: "nope", want: []string{"discover environments in nope: no such directory"}},
		{name: "file instead of directory", tree: "repo", dir: "jsonnetfile.json", want: []string{"discover environments in jsonnetfile.json: not a directory"}},
		{name: "every broken spec.json is reported", tree: "specs", dir: ".", want: []string{
			"environments/bad-label-field/spec.json: field spec.tankaEnvLabelFromFields[0]",
			"environments/empty/spec.json:1:1: invalid JSON",
			"environments/invalid-json/spec.json:4:3: invalid JSON",
			"environments/not-object/spec.json",
			"environments/truncated/spec.json",
			"environments/wrong-bool/spec.json",
			"environments/wrong-labels/spec.json",
			"environments/wrong-list/spec.json",
			"environments/wrong-spec/spec.json",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openRepo(t, tt.tree)
			_, err := Discover(p, tt.dir)
			if err == nil {
				t.Fatal("Discover succeeded, want an error")
			}
			msg := err.Error()
			if strings.Contains(msg, p.Root) {
				t.Errorf("error contains the absolute root: %s", msg)
			}
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error\n%s\ndoes not contain (in order) %q", msg, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestList(t *testing.T) {
	p := openRepo(t, "repo")
	envs, err := List(p, ".", fileEval(p))
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	wantSlugs := []string{"dev", "inline/prod", "inline/prod-eu", "inline/prod-us", "prod", "team/staging"}
	if got := slugs(envs); !slices.Equal(got, wantSlugs) {
		t.Fatalf("slugs = %q, want %q", got, wantSlugs)
	}

	eu := find(t, envs, "inline/prod-eu")
	wantEU := Environment{
		Name:       "prod-eu",
		Dir:        "environments/inline",
		Entrypoint: "environments/inline/main.jsonnet",
		Inline:     true,
		Spec: Spec{
			APIVersion: APIVersion, Kind: Kind,
			Metadata: Metadata{Name: "prod-eu", Namespace: "environments/inline/main.jsonnet", Labels: map[string]string{"tier": "prod"}},
			Spec:     Settings{APIServer: "https://eu.example.com", Namespace: "apps"},
		},
		Data:    eu.Data,
		envsDir: "environments",
	}
	if !reflect.DeepEqual(eu, wantEU) {
		t.Errorf("prod-eu =\n%+v\nwant\n%+v", eu, wantEU)
	}
	if want := `{"cm": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "eu"}, "data": {"size": 10000000}}}`; string(eu.Data) != want {
		t.Errorf("prod-eu data = %s, want the raw bytes %s", eu.Data, want)
	}
	if eu.Tier() != "prod" {
		t.Errorf("Tier = %q", eu.Tier())
	}

	us := find(t, envs, "inline/prod-us")
	wantWarn := []string{"environments/inline/main.jsonnet: environment .envs[1]: unknown field spec.shard (ignored)"}
	if !slices.Equal(us.Warnings, wantWarn) {
		t.Errorf("prod-us warnings = %q, want %q", us.Warnings, wantWarn)
	}
	if us.Data != nil {
		t.Errorf("prod-us has data %s, want none", us.Data)
	}

	fromList := find(t, envs, "inline/prod")
	if fromList.Spec.Spec.Namespace != DefaultNamespace {
		t.Errorf("environment in a List: namespace = %q, want the default", fromList.Spec.Spec.Namespace)
	}
}

func TestExpandErrors(t *testing.T) {
	p := openRepo(t, "repo")
	d, err := Discover(p, ".")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		eval EvalFunc
		want string
	}{
		{name: "no evaluator", eval: nil, want: "expand inline environments in environments/empty-inline/main.jsonnet: no evaluator given"},
		{name: "evaluation fails", eval: func(e string) ([]byte, error) { return nil, errors.New(e + ":1:1: boom") },
			want: "evaluate environments/empty-inline/main.jsonnet for inline environments: environments/empty-inline/main.jsonnet:1:1: boom"},
		{name: "same name in two files is fine, same slug is not", eval: constEval(`{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": {"name": "x"}, "e2": {"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": {"name": "x"}}}`),
			want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			envs, err := Expand(p, d, tt.eval)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Expand: %v", err)
				}
				if got := slugs(envs); !slices.Contains(got, "empty-inline/x") || !slices.Contains(got, "inline/x") {
					t.Errorf("slugs = %q", got)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name      string
		path      string
		eval      string // constant evaluator output; empty = output.json beside
		wantSlugs []string
		wantErr   string
	}{
		{name: "static directory", path: "environments/prod", wantSlugs: []string{"prod"}},
		{name: "static entrypoint", path: "environments/prod/main.jsonnet", wantSlugs: []string{"prod"}},
		{name: "below a static environment", path: "environments/team/staging/lib", wantSlugs: []string{"team/staging"}},
		{name: "inline", path: "environments/inline", wantSlugs: []string{"inline/prod", "inline/prod-eu", "inline/prod-us"}},
		{name: "no environment in the output", path: "environments/empty-inline", wantErr: "load environments/empty-inline/main.jsonnet: no spec.json and no inline environment in its output"},
		{name: "not inside an environment", path: "lib", wantErr: "no main.jsonnet found in lib or its parents up to the repository root: not an environment"},
		{name: "duplicate inline names", path: "environments/inline",
			eval:    `[{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": {"name": "a b"}}, {"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": {"name": "a/b"}}]`,
			wantErr: `environments a b (environments/inline/main.jsonnet) and a/b (environments/inline/main.jsonnet) share the golden directory name "inline/a-b": rename one`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openRepo(t, "repo")
			eval := fileEval(p)
			if tt.eval != "" {
				eval = constEval(tt.eval)
			}
			envs, err := Load(p, p.Abs(tt.path), eval)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := slugs(envs); !slices.Equal(got, tt.wantSlugs) {
				t.Errorf("slugs = %q, want %q", got, tt.wantSlugs)
			}
		})
	}
}

func TestLoadCustomEntrypoint(t *testing.T) {
	p := openRepo(t, "repo")
	other := p.Abs("environments/prod/other.jsonnet")
	if err := os.WriteFile(other, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	envs, err := Load(p, other, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(envs) != 1 || envs[0].Name != "environments/prod" || envs[0].Entrypoint != "environments/prod/other.jsonnet" ||
		envs[0].Spec.Metadata.Namespace != "environments/prod/other.jsonnet" {
		t.Errorf("Load(other.jsonnet) = %+v", envs)
	}
	var nb *project.NoBaseError
	if _, err := Load(p, p.Abs("environments/dev"), nil); err != nil || errors.As(err, &nb) {
		t.Errorf("Load(dev) err = %v", err)
	}
}
