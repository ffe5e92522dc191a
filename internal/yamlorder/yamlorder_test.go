package yamlorder

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v2"
	yamlv3 "go.yaml.in/yaml/v3"
)

// randomKey draws a map key from the characters that make yaml.v2's natural order interesting:
// zeros and other digits (also a non-ASCII one and runs long enough to overflow int64),
// letters of both cases and beyond ASCII, punctuation found in Kubernetes keys.
func randomKey(r *rand.Rand) string {
	parts := []string{"0", "0", "0", "1", "2", "9", "a", "A", "z", "é", "-", ".", "/", "_", "٣", "18446744073709551616"}
	var b strings.Builder
	for range 1 + r.IntN(6) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// yamlV2Order is the order in which yaml.v2 itself writes the keys of a map.
func yamlV2Order(t *testing.T, keys []string) []string {
	t.Helper()
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	out, err := yaml.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var ms yaml.MapSlice
	if err := yaml.Unmarshal(out, &ms); err != nil {
		t.Fatal(err)
	}
	order := make([]string, len(ms))
	for i, item := range ms {
		order[i] = keys[item.Value.(int)]
	}
	return order
}

// yamlV3Order is the order in which yaml.v3 writes the keys of a map.
func yamlV3Order(t *testing.T, keys []string) []string {
	t.Helper()
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	out, err := yamlv3.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var doc yamlv3.Node
	if err := yamlv3.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	content := doc.Content[0].Content
	order := make([]string, 0, len(keys))
	for i := 1; i < len(content); i += 2 {
		var v int
		if err := content[i].Decode(&v); err != nil {
			t.Fatal(err)
		}
		order = append(order, keys[v])
	}
	return order
}

// TestYAMLKeyOrder checks the canonical key order against yaml.v2 and yaml.v3 themselves: every
// pair of keys in their order (a map of two keys is ordered the same way on every run), and
// every set of keys that yaml.v2 orders the same way on twenty runs.
func TestYAMLKeyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		a, b := randomKey(r), randomKey(r)
		if a == b {
			continue
		}
		if got, want := V2.Less(a, b), yamlV2Order(t, []string{a, b}); got != (want[0] == a) {
			t.Fatalf("V2.Less(%q, %q) = %v, but yaml.v2 writes %q first", a, b, got, want[0])
		}
		if got, want := V3.Less(a, b), yamlV3Order(t, []string{a, b}); got != (want[0] == a) {
			t.Fatalf("V3.Less(%q, %q) = %v, but yaml.v3 writes %q first", a, b, got, want[0])
		}
	}
	stable := 0
	for range 1000 {
		keys := make([]string, 2+r.IntN(6))
		for i := range keys {
			keys[i] = randomKey(r)
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		for _, lib := range []struct {
			name  string
			order Order
			write func(*testing.T, []string) []string
		}{{"yaml.v2", V2, yamlV2Order}, {"yaml.v3", V3, yamlV3Order}} {
			want := lib.write(t, keys)
			consistent := true
			for range 19 {
				if !slices.Equal(lib.write(t, keys), want) {
					consistent = false
					break
				}
			}
			if !consistent {
				continue
			}
			if lib.order == V2 {
				stable++
			}
			got := slices.Clone(keys)
			r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
			lib.order.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("keys %q: kforge orders %q, %s %q", keys, got, lib.name, want)
			}
		}
	}
	if stable < 500 {
		t.Errorf("only %d of 1000 key sets had a stable yaml.v2 order: the generator is too hostile to test agreement", stable)
	}
}

// TestYAMLKeyOrderDeterministic: keys on which yaml.v2's comparison goes round in a circle
// ("00001" < "000A0001" < "001" < "00001", found by FuzzYAMLRoundTrip) get one order, whatever
// order they come in.
func TestYAMLKeyOrderDeterministic(t *testing.T) {
	keys := []string{"0", "00001", "000A0001", "001", "110"}
	want := slices.Clone(keys)
	V2.Sort(want)
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		got := slices.Clone(keys)
		r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		V2.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("order %q, then %q", want, got)
		}
	}
}
