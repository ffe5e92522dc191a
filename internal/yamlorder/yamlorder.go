// Package yamlorder orders map keys the way yaml.v2 and yaml.v3 do, but deterministically.
//
// Tanka's YAML (sigs.k8s.io/yaml on yaml.v2) writes map keys in yaml.v2's "natural" order:
// strings are compared at the first character where they differ, letters after everything
// else, and runs of digits as numbers. That comparison is not transitive for some keys with
// leading zeros ("00001" < "000A0001" < "001" < "00001"), and yaml.v2 sorts the keys in Go's
// random map order, so for such keys the same object gives different YAML on different runs.
// kforge orders the keys itself: byte order first, then a stable sort by the same comparison.
// Wherever yaml.v2's order is well defined the result is exactly yaml.v2's (TestYAMLKeyOrder
// checks this against yaml.v2 and yaml.v3 themselves); where it is not, kforge's is still the
// same on every run. yaml.v3, which std.native('manifestYamlFromJson') uses, compares keys
// almost the same way (V3); kforge orders those keys itself too, so that no output depends on
// Go's map order.
package yamlorder

import (
	"slices"
	"unicode"
)

// Order is one library's natural order of map keys.
type Order int

// The orders of the YAML libraries kforge writes with.
const (
	// V2 is yaml.v2's order: manifests (the canonical YAML, as Tanka writes it).
	V2 Order = iota
	// V3 is yaml.v3's order: std.native('manifestYamlFromJson'), as Tanka's.
	V3
)

// Sort sorts keys into the order o, in place: byte order first, then a stable sort by o.Less,
// so that the result is the same on every run even where o.Less is not transitive.
func (o Order) Sort(keys []string) {
	slices.Sort(keys)
	slices.SortStableFunc(keys, func(a, b string) int {
		switch {
		case o.Less(a, b):
			return -1
		case o.Less(b, a):
			return 1
		}
		return 0
	})
}

// Less is the library's natural comparison of two string keys. At the first rune where a and b
// differ: two letters compare as runes; a letter against anything else sorts last (V3: first
// when the runes before are a number, as in "1a" < "19"); otherwise the digit runs starting
// there compare by value (continuing the number the common prefix ends in, unless that is all
// zeros), then by length, then the runes themselves. A proper prefix sorts first.
func (o Order) Less(a, b string) bool {
	ar, br := []rune(a), []rune(b)
	i := 0
	for i < len(ar) && i < len(br) && ar[i] == br[i] {
		i++
	}
	if i == len(ar) || i == len(br) {
		return len(ar) < len(br)
	}
	aLetter, bLetter := unicode.IsLetter(ar[i]), unicode.IsLetter(br[i])
	if aLetter && bLetter {
		return ar[i] < br[i]
	}
	if aLetter || bLetter {
		if o == V3 && i > 0 && unicode.IsDigit(ar[i-1]) {
			return aLetter
		}
		return bLetter
	}
	var start int64
	if (ar[i] == '0' || br[i] == '0') && inNonZeroNumber(ar[:i]) {
		start = 1
	}
	aValue, aEnd := digitRun(ar, i, start)
	bValue, bEnd := digitRun(br, i, start)
	switch {
	case aValue != bValue:
		return aValue < bValue
	case aEnd != bEnd:
		return aEnd < bEnd
	}
	return ar[i] < br[i]
}

// inNonZeroNumber reports whether prefix ends in a run of digits that holds a digit other
// than '0'.
func inNonZeroNumber(prefix []rune) bool {
	for j := len(prefix) - 1; j >= 0 && unicode.IsDigit(prefix[j]); j-- {
		if prefix[j] != '0' {
			return true
		}
	}
	return false
}

// digitRun reads the digits of r from i on, accumulating their values (each digit's rune
// minus '0', as yaml.v2 does, in wrapping int64 arithmetic) onto start, and returns the value
// and the index after the run.
func digitRun(r []rune, i int, start int64) (int64, int) {
	v := start
	for ; i < len(r) && unicode.IsDigit(r[i]); i++ {
		v = v*10 + int64(r[i]-'0')
	}
	return v, i
}
