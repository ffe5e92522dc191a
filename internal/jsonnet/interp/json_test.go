package interp

import (
	"strings"
	"testing"

	gojsonnet "github.com/google/go-jsonnet"
)

// jsonCases are documents at the edges of what decodeJSON takes; ok says whether it must.
var jsonCases = []struct {
	text string
	ok   bool
}{
	{`{}`, true},
	{`[]`, true},
	{` {"a": [1, -2.5e3, 0, -0, 1E+2, 0.125], "b": {"c": null, "d": true, "e": false}} `, true},
	{`"s\n\t\"\\\/\b\f\r\u00e9\u0000"`, true},
	{`-0`, true},
	{`1e400`, false},
	{`{"a": 1, "a": 2}`, false},
	{`"\ud83d\ude00"`, false},
	{"\"tab\there\"", false},
	{`{a: 1}`, false},
	{`[1,]`, false},
	{`01`, false},
	{`1.`, false},
	{`.5`, false},
	{`+1`, false},
	{`[1] x`, false},
	{"\xef\xbb\xbf{}", false},
	{"\"\xff\"", false},
	{`// comment` + "\n{}", false},
	{strings.Repeat("[", 64) + strings.Repeat("]", 64), true},
	{strings.Repeat("[", 65) + strings.Repeat("]", 65), false},
}

// checkJSON fails when decodeJSON takes text and its value differs from go-jsonnet's
// evaluation of the text as Jsonnet (which is what importing the file does).
func checkJSON(t *testing.T, text string) bool {
	t.Helper()
	v, ok := decodeJSON(text)
	if !ok {
		return false
	}
	want, err := gojsonnet.MakeVM().EvaluateAnonymousSnippet("doc.json", text)
	if err != nil {
		t.Errorf("decodeJSON took %q, go-jsonnet fails: %v", text, err)
		return true
	}
	m := &machine{cfg: &Evaluator{}, limit: 500}
	var b strings.Builder
	writeJSON(&b, m.manifest(v), true, "")
	b.WriteByte('\n')
	if b.String() != want {
		t.Errorf("decodeJSON(%q) manifests as\n%s\ngo-jsonnet gives\n%s", text, b.String(), want)
	}
	return true
}

func TestDecodeJSON(t *testing.T) {
	for _, c := range jsonCases {
		if got := checkJSON(t, c.text); got != c.ok {
			t.Errorf("decodeJSON(%q) took it: %v, want %v", c.text, got, c.ok)
		}
	}
}

// FuzzDecodeJSON checks that whatever decodeJSON takes, go-jsonnet evaluates to the same value.
func FuzzDecodeJSON(f *testing.F) {
	for _, c := range jsonCases {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkJSON(t, text)
	})
}
