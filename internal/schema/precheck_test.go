package schema

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kforge/kforge/internal/finding"
)

// TestPrecheckAgreesWithValidator mutates the test objects of every family at random and checks
// that precheck never passes an object the kube-openapi validator rejects: precheck may only
// skip the validator when it would find nothing. It also checks that the unmodified objects take
// the fast path.
func TestPrecheckAgreesWithValidator(t *testing.T) {
	v, err := Load(Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "objects", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test objects: %v", err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	values := []any{nil, "", "x", "80%", "Always", "1Gi", "2025-01-01T00:00:00Z", int64(0), int64(-1), int64(1 << 40),
		float64(0.5), true, false, map[string]any{}, map[string]any{"a": "b"}, []any{}, []any{"a"}, []any{int64(1)}}
	mutations, disagreements := 0, 0
	for _, file := range files {
		base := decodeFile(t, file)
		res := resourceOf(base)
		kv, fs := v.lookup(res)
		if kv == nil {
			t.Fatalf("%s: %v", file, fs)
		}
		if !fastPath(t, kv, base) {
			t.Errorf("%s: the valid object does not pass precheck", filepath.Base(file))
		}
		leaves := paths(base, nil)
		for range 150 {
			obj := deepCopy(t, base)
			for range 1 + rng.IntN(3) {
				p := leaves[rng.IntN(len(leaves))]
				if rng.IntN(4) == 0 {
					remove(obj, p)
				} else {
					put(obj, p, values[rng.IntN(len(values))])
				}
			}
			mutations++
			data, err := normalize(obj)
			if err != nil {
				t.Fatal(err)
			}
			root := data.(map[string]any)
			pruneUnknown(root, kv.tree, nil, true)
			if !precheck(root, kv.tree, kv.patterns) {
				continue
			}
			openapi, err := kv.openAPI()
			if err != nil {
				t.Fatal(err)
			}
			if errs := newOpenAPIValidator(openapi, "").Validate(root).Errors; len(errs) > 0 {
				disagreements++
				if disagreements <= 5 {
					t.Errorf("%s: precheck passed an object the validator rejects: %v", filepath.Base(file), errs)
				}
			}
		}
	}
	if mutations < 500 {
		t.Errorf("only %d mutations", mutations)
	}
}

func fastPath(t *testing.T, kv *kindValidator, obj map[string]any) bool {
	t.Helper()
	data, err := normalize(obj)
	if err != nil {
		t.Fatal(err)
	}
	return precheck(data, kv.tree, kv.patterns)
}

func decodeFile(t *testing.T, file string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSONObject(t, js)
}

func decodeJSONObject(t *testing.T, js []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

func deepCopy(t *testing.T, obj map[string]any) map[string]any {
	t.Helper()
	js, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSONObject(t, js)
}

// paths lists the paths of every value but apiVersion, kind and metadata (checked apart);
// a path element is a key (string) or an index (int).
func paths(x any, prefix []any) [][]any {
	var out [][]any
	add := func(elem any, v any) {
		p := append(append([]any{}, prefix...), elem)
		out = append(out, p)
		out = append(out, paths(v, p)...)
	}
	switch x := x.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			if len(prefix) > 0 || !rootFields[k] {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			add(k, x[k])
		}
	case []any:
		for i, v := range x {
			add(i, v)
		}
	}
	return out
}

// walkTo returns the container of the last element of p, nil when an earlier mutation removed
// or replaced part of the way.
func walkTo(obj map[string]any, p []any) any {
	var cur any = obj
	for _, elem := range p[:len(p)-1] {
		switch c := cur.(type) {
		case map[string]any:
			k, _ := elem.(string)
			cur = c[k]
		case []any:
			i, ok := elem.(int)
			if !ok || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

func put(obj map[string]any, p []any, v any) {
	switch c := walkTo(obj, p).(type) {
	case map[string]any:
		if k, ok := p[len(p)-1].(string); ok {
			c[k] = v
		}
	case []any:
		if i, ok := p[len(p)-1].(int); ok && i < len(c) {
			c[i] = v
		}
	}
}

func remove(obj map[string]any, p []any) {
	if m, ok := walkTo(obj, p).(map[string]any); ok {
		if k, ok := p[len(p)-1].(string); ok {
			delete(m, k)
		}
	}
}

// TestValidateRandomShapes feeds Validate objects with values of every JSON type at random
// places, metadata included, and checks that it reports instead of failing, and that every
// finding names a rule of the catalogue.
func TestValidateRandomShapes(t *testing.T) {
	v, err := Load(Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "objects", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test objects: %v", err)
	}
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
	}
	rng := rand.New(rand.NewPCG(3, 4))
	values := []any{nil, "", "x y", json.Number("1"), json.Number("1.5"), json.Number("-7"), true,
		map[string]any{}, map[string]any{"k": nil}, []any{}, []any{nil, "a"}}
	for _, file := range files {
		base := decodeFile(t, file)
		all := append(paths(base, nil), [][]any{{"metadata"}, {"metadata", "name"}, {"metadata", "labels"}, {"metadata", "annotations"}, {"kind"}}...)
		for range 40 {
			obj := deepCopy(t, base)
			for range 1 + rng.IntN(4) {
				p := all[rng.IntN(len(all))]
				if rng.IntN(5) == 0 {
					remove(obj, p)
				} else {
					put(obj, p, values[rng.IntN(len(values))])
				}
			}
			for _, f := range v.Validate(obj) {
				if !known[f.RuleID] || f.Message == "" || (f.Severity != finding.SeverityError && f.Severity != finding.SeverityWarning) {
					t.Errorf("%s: malformed finding %+v", filepath.Base(file), f)
				}
			}
		}
	}
}
