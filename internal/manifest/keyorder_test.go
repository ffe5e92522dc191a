package manifest

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v2"
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

// TestYAMLKeyOrder checks the canonical key order against yaml.v2 itself: every pair of keys in
// yaml.v2's order (a map of two keys is ordered the same way on every run), and every set of
// keys that yaml.v2 orders the same way on twenty runs.
func TestYAMLKeyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b := randomKey(r), randomKey(r)
		if a == b {
			continue
		}
		want := yamlV2Order(t, []string{a, b})
		if got := yamlKeyLess(a, b); got != (want[0] == a) {
			t.Fatalf("yamlKeyLess(%q, %q) = %v, but yaml.v2 writes %q first", a, b, got, want[0])
		}
	}
	stable := 0
	for range 2000 {
		keys := make([]string, 2+r.IntN(6))
		for i := range keys {
			keys[i] = randomKey(r)
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		want := yamlV2Order(t, keys)
		consistent := true
		for range 19 {
			if !slices.Equal(yamlV2Order(t, keys), want) {
				consistent = false
				break
			}
		}
		if !consistent {
			continue
		}
		stable++
		got := slices.Clone(keys)
		r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		sortYAMLKeys(got)
		if !slices.Equal(got, want) {
			t.Fatalf("keys %q: kforge orders %q, yaml.v2 %q", keys, got, want)
		}
	}
	if stable < 1000 {
		t.Errorf("only %d of 2000 key sets had a stable yaml.v2 order: the generator is too hostile to test agreement", stable)
	}
}

// TestYAMLKeyOrderDeterministic: keys on which yaml.v2's comparison goes round in a circle
// ("00001" < "000A0001" < "001" < "00001", found by FuzzYAMLRoundTrip) get one order, whatever
// order they come in, and the encoded manifest is the same bytes every time.
func TestYAMLKeyOrderDeterministic(t *testing.T) {
	keys := []string{"0", "00001", "000A0001", "001", "110"}
	want := slices.Clone(keys)
	sortYAMLKeys(want)
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		got := slices.Clone(keys)
		r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		sortYAMLKeys(got)
		if !slices.Equal(got, want) {
			t.Fatalf("order %q, then %q", want, got)
		}
	}
	data := map[string]any{}
	for i, k := range keys {
		data[k] = i
	}
	m := &Manifest{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"}, "data": data}}
	first, err := m.YAML()
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		again, err := m.YAML()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, first) {
			t.Fatalf("the same manifest encoded differently:\n%s\nthen\n%s", first, again)
		}
	}
}
