package environment

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

func TestStaticSpec(t *testing.T) {
	p := openRepo(t, "specs")
	tests := []struct {
		name         string
		env          string
		wantSpec     Spec // checked when wantErr is empty
		wantWarnings []string
		wantErr      string
		wantField    string
	}{
		{
			name: "unknown fields are warnings naming file and field",
			env:  "unknown-fields",
			wantSpec: Spec{APIVersion: APIVersion, Kind: Kind,
				Metadata: Metadata{Name: "environments/unknown-fields", Namespace: "environments/unknown-fields/main.jsonnet"},
				Spec:     Settings{APIServer: "https://10.0.0.1", Namespace: "apps"}},
			wantWarnings: []string{
				"environments/unknown-fields/spec.json: unknown field data (ignored)",
				"environments/unknown-fields/spec.json: unknown field extra (ignored)",
				"environments/unknown-fields/spec.json: unknown field metadata.owner (ignored)",
				"environments/unknown-fields/spec.json: field spec.apiserver is read as spec.apiServer: Tanka matches field names case-insensitively, write spec.apiServer",
				"environments/unknown-fields/spec.json: unknown field spec.resourceDefaults.label (ignored)",
			},
		},
		{
			name: "deprecated top-level fields are applied like Tanka",
			env:  "deprecated",
			wantSpec: Spec{APIVersion: APIVersion, Kind: Kind,
				Metadata: Metadata{Name: "environments/deprecated", Namespace: "environments/deprecated/main.jsonnet", Labels: map[string]string{"team": "infra"}},
				Spec:     Settings{APIServer: "https://old.example.com", Namespace: "legacy"}},
			wantWarnings: []string{
				"environments/deprecated/spec.json: deprecated field namespace: use spec.namespace",
				"environments/deprecated/spec.json: deprecated field server: use spec.apiServer",
				"environments/deprecated/spec.json: deprecated field team: use metadata.labels.team",
			},
		},
		{
			name: "deprecated field whose replacement is set is ignored",
			env:  "deprecated-ignored",
			wantSpec: Spec{APIVersion: APIVersion, Kind: Kind,
				Metadata: Metadata{Name: "environments/deprecated-ignored", Namespace: "environments/deprecated-ignored/main.jsonnet"},
				Spec:     Settings{Namespace: "apps"}},
			wantWarnings: []string{"environments/deprecated-ignored/spec.json: deprecated field namespace ignored: spec.namespace is set"},
		},
		{
			name: "apiServer with a scheme is kept",
			env:  "scheme",
			wantSpec: Spec{APIVersion: APIVersion, Kind: Kind,
				Metadata: Metadata{Name: "environments/scheme", Namespace: "environments/scheme/main.jsonnet"},
				Spec:     Settings{APIServer: "http://plain.example.com", Namespace: DefaultNamespace}},
		},
		{
			name: "name and namespace come from the path whatever the file says",
			env:  "other-name",
			wantSpec: Spec{APIVersion: APIVersion, Kind: Kind,
				Metadata: Metadata{Name: "environments/other-name", Namespace: "environments/other-name/main.jsonnet"},
				Spec:     Settings{Namespace: DefaultNamespace}},
			wantWarnings: []string{
				`environments/other-name/spec.json: metadata.name "something-else" is ignored: a static environment is named after its directory, environments/other-name`,
				`environments/other-name/spec.json: metadata.namespace "x.jsonnet" is ignored: Tanka sets it to the entrypoint, environments/other-name/main.jsonnet`,
			},
		},
		{name: "invalid JSON", env: "invalid-json", wantErr: "environments/invalid-json/spec.json:4:3: invalid JSON: invalid character '}' looking for beginning of object key string"},
		{name: "truncated JSON", env: "truncated", wantErr: "environments/truncated/spec.json:1:10: invalid JSON: unexpected end of JSON input"},
		{name: "empty file", env: "empty", wantErr: "environments/empty/spec.json:1:1: invalid JSON: unexpected end of JSON input"},
		{name: "not an object", env: "not-object", wantErr: "environments/not-object/spec.json:1:1: must be a JSON object, found a list"},
		{name: "boolean of wrong type", env: "wrong-bool", wantField: "spec.injectLabels", wantErr: "environments/wrong-bool/spec.json:3:25: field spec.injectLabels must be a boolean, found a string"},
		{name: "label of wrong type", env: "wrong-labels", wantField: "metadata.labels", wantErr: "environments/wrong-labels/spec.json:2:35: field metadata.labels must be an object of strings, found a number"},
		{name: "list of wrong type", env: "wrong-list", wantField: "spec.contextNames", wantErr: "environments/wrong-list/spec.json:1:33: field spec.contextNames must be a list of strings, found a string"},
		{name: "object of wrong type", env: "wrong-spec", wantField: "spec", wantErr: "environments/wrong-spec/spec.json:1:13: field spec must be an object, found a boolean"},
		{name: "deprecated field of wrong type", env: "deprecated-wrong-type", wantField: "server", wantErr: "environments/deprecated-wrong-type/spec.json: field server must be a string, found a number"},
		{name: "label field that resolves to nothing", env: "bad-label-field", wantField: "spec.tankaEnvLabelFromFields",
			wantErr: `environments/bad-label-field/spec.json: field spec.tankaEnvLabelFromFields[0]: ".metadata.labels.missing" does not name a string or boolean field of the environment`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			envs, err := Load(p, p.Abs("environments/"+tt.env), nil)
			if tt.wantErr != "" {
				var se *SpecError
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want *SpecError", err)
				}
				if err.Error() != tt.wantErr {
					t.Errorf("err =\n%s\nwant\n%s", err, tt.wantErr)
				}
				if se.Field != tt.wantField {
					t.Errorf("Field = %q, want %q", se.Field, tt.wantField)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(envs) != 1 {
				t.Fatalf("got %d environments", len(envs))
			}
			if !reflect.DeepEqual(envs[0].Spec, tt.wantSpec) {
				t.Errorf("Spec =\n%+v\nwant\n%+v", envs[0].Spec, tt.wantSpec)
			}
			if !slices.Equal(envs[0].Warnings, tt.wantWarnings) {
				t.Errorf("Warnings =\n%q\nwant\n%q", envs[0].Warnings, tt.wantWarnings)
			}
		})
	}
}

func TestStaticSpecFull(t *testing.T) {
	p := openRepo(t, "repo")
	envs, err := Load(p, p.Abs("environments/team/staging"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Spec{APIVersion: APIVersion, Kind: Kind,
		Metadata: Metadata{Name: "environments/team/staging", Namespace: "environments/team/staging/main.jsonnet", Labels: map[string]string{"tier": "staging"}},
		Spec: Settings{ContextNames: []string{"staging-admin"}, Namespace: "staging",
			TankaEnvLabelFromFields: []string{".metadata.name", ".metadata.labels.tier", ".spec.injectLabels"},
			ExpectVersions:          ExpectVersions{Tanka: ">= 0.28"}}}
	if !reflect.DeepEqual(envs[0].Spec, want) {
		t.Errorf("Spec =\n%+v\nwant\n%+v", envs[0].Spec, want)
	}
	if len(envs[0].Warnings) != 0 {
		t.Errorf("Warnings = %q, want none", envs[0].Warnings)
	}
}
