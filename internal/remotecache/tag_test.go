package remotecache

import (
	"regexp"
	"strings"
	"testing"
)

// TestValidTag checks validTag against the OCI distribution rule as a regular expression, on
// named cases and on every string of up to three characters over an alphabet with each class
// of character, plus lengths around the limit.
func TestValidTag(t *testing.T) {
	rule := regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)
	cases := []string{"", "a", "ab", "_x", ".x", "-x", "x.", "x-", "v1.2.3", "a/b", "a:b", "é", "a b",
		strings.Repeat("a", 127), strings.Repeat("a", 128), strings.Repeat("a", 129), "x" + strings.Repeat(".", 127)}
	alphabet := []string{"a", "Z", "0", "_", ".", "-", "/", "\x00", "\xff"}
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		cases = append(cases, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(prefix+c, n-1)
		}
	}
	gen("", 3)
	for _, ref := range cases {
		if got, want := validTag(ref), rule.MatchString(ref); got != want {
			t.Errorf("validTag(%q) = %v, the rule says %v", ref, got, want)
		}
	}
}
