package environment

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestTkEnvJSON(t *testing.T) {
	p := openRepo(t, "repo")
	envs, err := List(p, ".", fileEval(p))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		slug string
		want string
	}{
		{slug: "prod", want: `{"env":{"apiVersion":"tanka.dev/v1alpha1","kind":"Environment",` +
			`"metadata":{"name":"environments/prod","namespace":"environments/prod/main.jsonnet","labels":{"tier":"prod"}},` +
			`"spec":{"apiServer":"https://kube.prod.example.com:6443","namespace":"apps","injectLabels":true,` +
			`"resourceDefaults":{"labels":{"app.kubernetes.io/part-of":"kforge-platform"}},"expectVersions":{}}}}`},
		{slug: "dev", want: `{"env":{"apiVersion":"tanka.dev/v1alpha1","kind":"Environment",` +
			`"metadata":{"name":"environments/dev","namespace":"environments/dev/main.jsonnet"},` +
			`"spec":{"namespace":"default","resourceDefaults":{},"expectVersions":{}}}}`},
		{slug: "team/staging", want: `{"env":{"apiVersion":"tanka.dev/v1alpha1","kind":"Environment",` +
			`"metadata":{"name":"environments/team/staging","namespace":"environments/team/staging/main.jsonnet","labels":{"tier":"staging"}},` +
			`"spec":{"contextNames":["staging-admin"],"namespace":"staging",` +
			`"tankaEnvLabelFromFields":[".metadata.name",".metadata.labels.tier",".spec.injectLabels"],` +
			`"resourceDefaults":{},"expectVersions":{"tanka":"\u003e= 0.28"}}}}`},
		{slug: "inline/prod-eu", want: `{"env":{"apiVersion":"tanka.dev/v1alpha1","kind":"Environment",` +
			`"metadata":{"name":"prod-eu","namespace":"environments/inline/main.jsonnet","labels":{"tier":"prod"}},` +
			`"spec":{"apiServer":"https://eu.example.com","namespace":"apps","resourceDefaults":{},"expectVersions":{}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			got := find(t, envs, tt.slug).TkEnvJSON()
			if string(got) != tt.want {
				t.Errorf("TkEnvJSON =\n%s\nwant\n%s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("TkEnvJSON is not valid JSON")
			}
		})
	}
}

func TestListJSON(t *testing.T) {
	p := openRepo(t, "repo")
	envs, err := List(p, ".", fileEval(p))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ListJSON(envs)
	if err != nil {
		t.Fatal(err)
	}
	// Each element is the "env" of the environment's TkEnvJSON, in the order of names, on one
	// line.
	envs = slices.Clone(envs)
	slices.SortStableFunc(envs, func(a, b Environment) int { return strings.Compare(a.Name, b.Name) })
	objects := make([]json.RawMessage, len(envs))
	for i, e := range envs {
		var tk struct {
			Env json.RawMessage `json:"env"`
		}
		if err := json.Unmarshal(e.TkEnvJSON(), &tk); err != nil {
			t.Fatal(err)
		}
		objects[i] = tk.Env
	}
	want, err := json.Marshal(objects)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("ListJSON =\n%s\nwant\n%s", got, want)
	}
	if empty, err := ListJSON(nil); err != nil || string(empty) != "[]" {
		t.Errorf("ListJSON(nil) = %s, %v; want []", empty, err)
	}
}

func TestEnvLabel(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want string
	}{
		{
			name: "default fields: sha256(environments/prod:environments/prod/main.jsonnet)",
			spec: Spec{Metadata: Metadata{Name: "environments/prod", Namespace: "environments/prod/main.jsonnet"}},
			want: "efcd11957e5ae2299d24b4b536353399e5414fd5f269fc18",
		},
		{
			name: "custom fields with a label and a boolean",
			spec: Spec{Metadata: Metadata{Name: "environments/team/staging", Labels: map[string]string{"tier": "staging"}},
				Spec: Settings{TankaEnvLabelFromFields: []string{".metadata.name", ".metadata.labels.tier", ".spec.injectLabels"}}},
			want: "a90c029adfa88c45524f1eb5d864018c60405d509a81b142",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Environment{Spec: tt.spec}.EnvLabel()
			if got != tt.want {
				t.Errorf("EnvLabel = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFieldValue(t *testing.T) {
	s := Spec{APIVersion: APIVersion, Kind: Kind,
		Metadata: Metadata{Name: "n", Namespace: "ns", Labels: map[string]string{"app.kubernetes.io/name": "x"}},
		Spec: Settings{APIServer: "https://a", Namespace: "default", DiffStrategy: "server", ApplyStrategy: "server",
			ExportJsonnetImplementation: "go", ExpectVersions: ExpectVersions{Tanka: "1"},
			ResourceDefaults: ResourceDefaults{Labels: map[string]string{"l": "lv"}, Annotations: map[string]string{"a": "av"}}}}
	tests := []struct {
		field string
		want  string
		ok    bool
	}{
		{".apiVersion", APIVersion, true},
		{"kind", Kind, true},
		{".metadata.name", "n", true},
		{".metadata.namespace", "ns", true},
		{".metadata.labels.app.kubernetes.io/name", "x", true},
		{".metadata.labels.missing", "", false},
		{".spec.apiServer", "https://a", true},
		{".spec.namespace", "default", true},
		{".spec.diffStrategy", "server", true},
		{".spec.applyStrategy", "server", true},
		{".spec.injectLabels", "false", true},
		{".spec.expectVersions.tanka", "1", true},
		{".spec.exportJsonnetImplementation", "go", true},
		{".spec.resourceDefaults.labels.l", "lv", true},
		{".spec.resourceDefaults.annotations.a", "av", true},
		{".metadata", "", false},
		{".spec.contextNames", "", false},
		{".metadata.name.deeper", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			got, ok := fieldValue(s, tt.field)
			if got != tt.want || ok != tt.ok {
				t.Errorf("fieldValue(%q) = (%q, %v), want (%q, %v)", tt.field, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	tests := []struct {
		name string
		env  Environment
		want string
	}{
		{name: "static", env: Environment{Name: "environments/prod", Dir: "environments/prod"}, want: "prod"},
		{name: "static nested", env: Environment{Name: "environments/team/prod", Dir: "environments/team/prod"}, want: "team/prod"},
		{name: "static outside the environments directory", env: Environment{Name: "clusters/prod", Dir: "clusters/prod"}, want: "clusters/prod"},
		{name: "static renamed environments directory", env: Environment{Name: "envs/prod", Dir: "envs/prod", envsDir: "envs"}, want: "prod"},
		{name: "static environments directory at the root", env: Environment{Name: "prod", Dir: "prod", envsDir: "."}, want: "prod"},
		{name: "static at the root", env: Environment{Name: ".", Dir: "."}, want: "_root"},
		{name: "static is the environments directory", env: Environment{Name: "environments", Dir: "environments"}, want: "environments"},
		{name: "inline", env: Environment{Name: "prod-eu", Dir: "environments/inline", Inline: true}, want: "inline/prod-eu"},
		{name: "inline name sanitised", env: Environment{Name: "team/prod eu:1", Dir: "environments/inline", Inline: true}, want: "inline/team-prod-eu-1"},
		{name: "inline hidden name", env: Environment{Name: "..", Dir: "environments/inline", Inline: true}, want: "inline/_.."},
		{name: "inline in the environments directory", env: Environment{Name: "prod", Dir: "environments", Inline: true}, want: "prod"},
		{name: "inline at the root", env: Environment{Name: "prod", Dir: ".", Inline: true}, want: "prod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.env.Slug(); got != tt.want {
				t.Errorf("Slug = %q, want %q", got, tt.want)
			}
		})
	}
}
