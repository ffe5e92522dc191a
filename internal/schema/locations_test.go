package schema_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/schema"
)

// TestSchemaLocations validates custom kinds against kubeconform-style JSON schemas and a CRD
// read from schema locations.
func TestSchemaLocations(t *testing.T) {
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	v := loadValidator(t, schema.Options{Root: root, SchemaLocations: []string{
		filepath.Join(root, "testdata", "locations", "json"),
		filepath.Join(root, "testdata", "crds"),
	}})
	gadget := "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: default}\n"
	cases := []struct {
		name   string
		object string
		want   []want
	}{
		{"valid", gadget + "spec: {color: red, replicas: 2, name: abc, ports: [{port: 80}], default: null}\n", nil},
		{"unknown field", gadget + "spec: {color: red, colour: blue}\n",
			[]want{{schema.RuleUnknownField, "spec.colour", `unknown field "colour"`}}},
		{"wrong type", gadget + "spec: {color: red, replicas: two}\n",
			[]want{{schema.RuleWrongType, "spec.replicas", "must be an integer"}}},
		{"required", gadget + "spec: {replicas: 1}\n",
			[]want{{schema.RuleRequired, "spec.color", "required field is missing"}}},
		{"enum", gadget + "spec: {color: blue}\n",
			[]want{{schema.RuleInvalidValue, "spec.color", `"blue" is not one of "red", "green"`}}},
		{"maximum", gadget + "spec: {color: red, replicas: 9}\n",
			[]want{{schema.RuleInvalidValue, "spec.replicas", "less than or equal to 5"}}},
		{"pattern", gadget + "spec: {color: red, name: ABC}\n",
			[]want{{schema.RuleInvalidValue, "spec.name", "should match"}}},
		{"items through a local $ref", gadget + "spec: {color: red, ports: [{port: http}]}\n",
			[]want{{schema.RuleWrongType, "spec.ports[0].port", "must be an integer"}}},
		{"catalog layout", "apiVersion: example.org/v1alpha1\nkind: Thing\nmetadata: {name: t}\nspec: {size: big}\n",
			[]want{{schema.RuleWrongType, "spec.size", "must be an integer"}}},
		{"another group is not covered", "apiVersion: example.net/v1alpha1\nkind: Thing\nmetadata: {name: t}\n",
			[]want{{schema.RuleNoSchema, "", "no schema for example.net/v1alpha1 Thing"}}},
		{"CRD from a schema location", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: huge}\n",
			[]want{{schema.RuleInvalidValue, "spec.size", `"huge" is not one of`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := v.Validate(decodeYAML(t, []byte(tc.object)))
			checkFindings(t, got, tc.want)
			for _, f := range got {
				if f.RuleID != schema.RuleNoSchema && f.Schema != "JSON schema testdata/locations/json/gadget-example-v1.json" &&
					!strings.Contains(tc.name, "catalog") && !strings.Contains(tc.name, "CRD") {
					t.Errorf("schema source %q", f.Schema)
				}
			}
		})
	}
	if v.Fingerprint() == loadValidator(t, schema.Options{}).Fingerprint() {
		t.Error("schema locations do not change the fingerprint")
	}
}

func TestSchemaLocationErrors(t *testing.T) {
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ dir, message string }{
		{"nope", "schema location testdata/locations/nope: no such file or directory"},
		{"nothing", "schema location testdata/locations/nothing: holds no CustomResourceDefinition and no JSON schema"},
		{"badref", `schema location testdata/locations/badref/gadget_v1.json: $ref "_definitions.json#/definitions/spec" refers to another file`},
	}
	for _, tc := range cases {
		t.Run(tc.dir, func(t *testing.T) {
			_, err := schema.Load(schema.Options{Root: root, SchemaLocations: []string{filepath.Join(root, "testdata", "locations", tc.dir)}})
			var le *schema.LocationError
			if !errors.As(err, &le) {
				t.Fatalf("got %v (%T), want a LocationError", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.message) {
				t.Errorf("message\n got: %s\nwant: %s…", err, tc.message)
			}
		})
	}
}
