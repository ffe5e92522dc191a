package environment

import (
	"errors"
	"slices"
	"testing"
)

func TestFromOutput(t *testing.T) {
	const env = `"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment"`
	tests := []struct {
		name      string
		output    string
		wantNames []string
		wantData  []string // raw data per environment, "" for none
		wantErr   string
		wantField string
	}{
		{name: "null output", output: `null`},
		{name: "no environments", output: `{"a": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}, "b": [1, "two", null]}`},
		{name: "the output itself", output: `{` + env + `, "metadata": {"name": "solo"}, "data": {"k": 1}}`, wantNames: []string{"solo"}, wantData: []string{`{"k": 1}`}},
		{name: "sorted key order, arrays by index", output: `{"z": {` + env + `, "metadata": {"name": "z"}}, "a": [{` + env + `, "metadata": {"name": "a0"}}, {` + env + `, "metadata": {"name": "a1"}, "data": null}]}`,
			wantNames: []string{"a0", "a1", "z"}, wantData: []string{"", "", ""}},
		{name: "kind compared case-insensitively", output: `{"e": {"apiVersion": "tanka.dev/v1alpha1", "kind": "environment", "metadata": {"name": "lower"}}}`, wantNames: []string{"lower"}, wantData: []string{""}},
		{name: "environments inside data are not environments", output: `{` + env + `, "metadata": {"name": "outer"}, "data": {"inner": {` + env + `, "metadata": {"name": "inner"}}}}`,
			wantNames: []string{"outer"}, wantData: []string{`{"inner": {` + env + `, "metadata": {"name": "inner"}}}`}},
		{name: "apiVersion must be a string", output: `{"e": {"apiVersion": 1, "kind": "Environment", "metadata": {"name": "no"}}}`},
		{name: "kind must be a string", output: `{"e": {"apiVersion": "v", "kind": ["Environment"], "metadata": {"name": "no"}}}`},
		{name: "null fields skipped", output: `{"e": null, "f": {` + env + `, "metadata": {"name": "f"}}}`, wantNames: []string{"f"}, wantData: []string{""}},
		{name: "missing name", output: `{"envs": {"a.b": {` + env + `, "spec": {}}}}`,
			wantErr: `environments/x/main.jsonnet: environment .envs["a.b"]: field metadata.name is missing: an inline environment needs a name`, wantField: "metadata.name"},
		{name: "wrong type", output: `[{` + env + `, "metadata": {"name": "w"}, "spec": {"injectLabels": "yes"}}]`,
			wantErr: `environments/x/main.jsonnet: environment [0]: field spec.injectLabels must be a boolean, found a string`, wantField: "spec.injectLabels"},
		{name: "bad label field", output: `{` + env + `, "metadata": {"name": "w"}, "spec": {"tankaEnvLabelFromFields": [".spec"]}}`,
			wantErr: `environments/x/main.jsonnet: environment .: field spec.tankaEnvLabelFromFields[0]: ".spec" does not name a string or boolean field of the environment`, wantField: "spec.tankaEnvLabelFromFields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openRepo(t, "repo")
			envs, err := FromOutput(p, "environments/x/main.jsonnet", []byte(tt.output))
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
				t.Fatalf("FromOutput: %v", err)
			}
			if got := names(envs); !slices.Equal(got, tt.wantNames) {
				t.Errorf("names = %q, want %q", got, tt.wantNames)
			}
			for i, e := range envs {
				if !e.Inline || e.Entrypoint != "environments/x/main.jsonnet" || e.Dir != "environments/x" || e.Spec.Metadata.Namespace != e.Entrypoint {
					t.Errorf("%s: %+v", e.Name, e)
				}
				if i < len(tt.wantData) && string(e.Data) != tt.wantData[i] {
					t.Errorf("%s: data = %s, want %s", e.Name, e.Data, tt.wantData[i])
				}
			}
		})
	}
}

func TestFromOutputInvalidJSON(t *testing.T) {
	p := openRepo(t, "repo")
	_, err := FromOutput(p, "environments/x/main.jsonnet", []byte(`{"a": [1, }`))
	if err == nil {
		t.Fatal("FromOutput accepted invalid JSON")
	}
	want := "find inline environments in the output of environments/x/main.jsonnet: .: invalid character '}' looking for beginning of value"
	if err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}
