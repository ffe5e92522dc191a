package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzMaxInput keeps fuzz inputs small enough that every execution is fast.
const fuzzMaxInput = 64 << 10

// checkManifestError fails unless err is a *Error or Errors naming a JSON path (or the
// decoding error Extract returns for invalid JSON).
func checkManifestError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if errors.As(err, &e) {
		if e.Path == "" || !strings.HasPrefix(e.Path, ".") {
			t.Fatalf("error without a JSON path: %q", err)
		}
		return
	}
	if !strings.HasPrefix(err.Error(), "decode environment output: ") {
		t.Fatalf("unexpected error type %T: %v", err, err)
	}
}

// FuzzExtract feeds arbitrary JSON to Extract: it never panics, fails only with located errors,
// and what it accepts are sorted, unique manifests with apiVersion, kind and a name.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		`{"a":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}}`,
		`[{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"n"}}]}]`,
		`{"a":{"b":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"a":"b"}},"spec":{"replicas":1e3}}}}`,
		`{"a":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}},"b":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}}`,
		`{"a":3}`, `null`, `"x"`, `[null]`, `{"a":{"apiVersion":1,"kind":"x"}}`, `{} {}`,
		`{"a":{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n","annotations":{"tanka.dev/namespaced":"true"}}}}`,
		`{"a":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"g-"},"__ksonnet":{}}}`,
	} {
		f.Add([]byte(s), "default")
	}
	f.Fuzz(func(t *testing.T, data []byte, namespace string) {
		if len(data) > fuzzMaxInput {
			return
		}
		ms, err := Extract(data, Settings{Namespace: namespace, DefaultLabels: map[string]string{"team": "x"}})
		if err != nil {
			checkManifestError(t, err)
			return
		}
		seen := map[ID]bool{}
		for i, m := range ms {
			if m.APIVersion() == "" || m.Kind() == "" || (m.Name() == "" && !m.hasName()) {
				t.Fatalf("manifest %d at %s lacks apiVersion, kind or name: %v", i, m.Path, m.Object)
			}
			if m.Name() != "" && seen[m.ID()] {
				t.Fatalf("duplicate %s accepted", m.ID())
			}
			seen[m.ID()] = true
			if _, err := json.Marshal(m.Object); err != nil {
				t.Fatalf("manifest %s is not JSON: %v", m.Path, err)
			}
		}
		sorted := append([]*Manifest(nil), ms...)
		Sort(sorted)
		if !reflect.DeepEqual(sorted, ms) {
			t.Fatalf("manifests are not sorted")
		}
	})
}

// FuzzFileNames checks that FileNames never returns a name that leaves the environment's
// directory, holds a hidden part or an over-long component, or collides with another once
// case is ignored, whatever namespaces, kinds, groups and names the manifests carry.
func FuzzFileNames(f *testing.F) {
	f.Add("default", "v1", "ConfigMap", "x", "", "v1", "ConfigMap", "X")
	f.Add("..", "v1", "ConfigMap", "x", "", "apps/v1", "Deployment", "x")
	f.Add("a", "v1", "Secret", "../../x", "a", "v1", "Secret", "y")
	f.Add("a", "example.com/v1", "Widget", "w", "a", "other.io/v1", "widget", "W")
	f.Add("a", "v1", "ConfigMap", strings.Repeat("n", 250), "", "v1", "Namespace", "a")
	f.Add("a\x00", "v1", "ConfigMap", "c\\d", "", "v1", "ConfigMap", ".")
	f.Add("ns", "x/y/v1", "K", "n", "ns", "v1", "K", "n")
	f.Fuzz(func(t *testing.T, ns1, av1, kind1, name1, ns2, av2, kind2, name2 string) {
		mk := func(p, ns, av, kind, name string) *Manifest {
			md := map[string]any{"name": name}
			if ns != "" {
				md["namespace"] = ns
			}
			return &Manifest{Path: p, Object: map[string]any{"apiVersion": av, "kind": kind, "metadata": md}}
		}
		ms := []*Manifest{mk(".a", ns1, av1, kind1, name1), mk(".b", ns2, av2, kind2, name2)}
		names, err := FileNames(ms)
		if err != nil {
			checkManifestError(t, err)
			return
		}
		if len(names) != len(ms) {
			t.Fatalf("%d names for %d manifests", len(names), len(ms))
		}
		if len(names) == 2 && strings.EqualFold(names[0], names[1]) {
			t.Fatalf("names collide: %q and %q", names[0], names[1])
		}
		for _, n := range names {
			if !filepath.IsLocal(n) || path.Clean(n) != n || strings.ContainsAny(n, "\\\x00") {
				t.Fatalf("unsafe file name %q", n)
			}
			parts := strings.Split(n, "/")
			if len(parts) != 2 || !strings.HasSuffix(n, ".yaml") {
				t.Fatalf("file name %q is not <dir>/<file>.yaml", n)
			}
			for _, c := range parts {
				if c == "" || c == "." || c == ".." || len(c) > 255 {
					t.Fatalf("file name %q has an unsafe component %q", n, c)
				}
			}
		}
	})
}

// FuzzYAMLRoundTrip checks the canonical encoder against the reader: every manifest Extract
// accepts encodes to YAML that ParseYAML reads back to the same object, and encoding that
// again gives the same bytes.
func FuzzYAMLRoundTrip(f *testing.F) {
	for _, s := range []string{
		`{"a":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"n"},"data":{"n":"0123","f":"1.10","yes":"on","null":"~","e":"","m":"a\nb\n","t":"2024-01-01","o":"0o17","h":"0x1F","u":"1_000","i":".inf"}}}`,
		`{"a":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"spec":{"replicas":1000000,"ratio":0.1,"big":1e300,"small":1.5e-7,"neg":-0,"u":18446744073709551615,"list":[1,2.5,"three",null,true,[],{}]}}}`,
		`{"a":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"emoji":"😀","ctl":"\u0001\u007f","bom":"\ufeffx","nel":"a\u0085b","ls":"a\u2028b","trail":"x\n\n\n","lead":" x","colon":"a: b","dash":"- x","hash":"#x","star":"*x","amp":"&x","q":"'\"","brace":"{x}","pct":"%x","at":"@x","tick":"` + "`" + `x"}}}`,
		`{"a":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"long":"` + strings.Repeat("word ", 40) + `","keys":{"1":"a","true":"b","":"c","a b":"d","-":"e"}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			return
		}
		ms, err := Extract(data, Settings{})
		if err != nil {
			return
		}
		for _, m := range ms {
			y, err := m.YAML()
			if err != nil {
				t.Fatalf("encode %s: %v", m.Path, err)
			}
			if !utf8.Valid(y) {
				t.Fatalf("encoding of %s is not UTF-8:\n%s", m.Path, y)
			}
			back, err := ParseYAML(y, "x.yaml")
			if err != nil {
				t.Fatalf("read back %s: %v\n%s", m.Path, err, y)
			}
			if len(back) != 1 {
				t.Fatalf("read back %d documents from\n%s", len(back), y)
			}
			if diff := sameValue(m.Object, back[0].Object, ""); diff != "" {
				t.Fatalf("round trip changed %s at %s\n%s", m.Path, diff, y)
			}
			again, err := back[0].YAML()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, y) {
				t.Fatalf("re-encoding changed the YAML:\n%s\nwant:\n%s", again, y)
			}
		}
	})
}

// sameValue compares two decoded values, numbers by value, and returns where they differ.
func sameValue(a, b any, at string) string {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(bm) != len(a) {
			return at + ": object differs"
		}
		for k, v := range a {
			if d := sameValue(v, bm[k], at+"."+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		bs, ok := b.([]any)
		if !ok || len(bs) != len(a) {
			return at + ": array differs"
		}
		for i := range a {
			if d := sameValue(a[i], bs[i], at+"[]"); d != "" {
				return d
			}
		}
		return ""
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return at + ": number became " + reflect.TypeOf(b).String()
		}
		x, _, err1 := big.ParseFloat(string(a), 10, 256, big.ToNearestEven)
		y, _, err2 := big.ParseFloat(string(bn), 10, 256, big.ToNearestEven)
		if err1 != nil || err2 != nil || x.Cmp(y) != 0 {
			return at + ": number " + string(a) + " became " + string(bn)
		}
		return ""
	default:
		if !reflect.DeepEqual(a, b) {
			return at + ": value differs"
		}
		return ""
	}
}
