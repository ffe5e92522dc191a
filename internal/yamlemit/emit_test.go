package yamlemit

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// trickyParts are the pieces random strings are made of: YAML indicators, spaces, tabs and
// line breaks of every kind, unicode (in and beyond the Basic Multilingual Plane, byte order
// marks, unprintable characters), words and numbers of YAML 1.1's implicit types, quotes.
var trickyParts = []string{
	"-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", `"`, "%", "@", "`",
	" ", " ", "  ", "\t", "\n", "\n", "\n\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029",
	"a", "b", "x", "word", "Kubernetes", "é", "日本", "😀", "\u00a0", "\ufeff", "\x00", "\x7f", "\x1b", "\\",
	"y", "Y", "yes", "Yes", "YES", "n", "NO", "on", "ON", "Off", "true", "False", "TRUE", "~", "null", "Null", "NULL",
	"1", "0", "07", "0x1F", "0o17", "0b101", "-0b1", "1_000", "1e3", ".5", "+1", "-1", "-.inf", ".NaN", "+.Inf", "1.5",
	"12:30:45", "190:20:30", "2001-12-14", "2001-12-14t21:59:43.10Z", "2001-12-14 21:59:43.10", "1.2.3", "100m", "<<",
	"---", "...", "- ", ": ", " #", "#", "18446744073709551616", "9223372036854775808",
}

// wholeStrings are strings used as they are.
var wholeStrings = []string{
	"", " ", "\n", "\n\n", "a\n", "a\n\n", "\na", " a\nb\n", "a \nb", "a\n b", "y", "Yes", "ON", "off", "~", "null",
	"NULL", "1", "0x1F", "1_000", "1e3", ".5", "+1", "-.inf", "12:30:45", "2001-12-14", "1.2.3", "0b101", "100m",
	"<<", "-", "- a", "-a", ":a", "a:", "a: b", "a #b", "a#b", "'", "''", "\"", "it's", "--- x", "...x", "@x",
	"0.1", "1e+21", "=", "0o", "0x", "+", ".", "-0b", "1:2", "1:60", "1:5:59", "1:2.5", "-1_2:3", "1__:2",
	"6e", ".e1", "1.e5", "1.", "+.5E-3", "0b", "0b2", "0x_1", "9_9", "1e3_0", "2001-1-2", "2001-12-14T2:3:4Z",
	"2001-12-14 21:59:43.10 -5", "1234-", "12345-1-1",
}

// randomString draws a string from trickyParts and wholeStrings, sometimes long and with or
// without spaces, to exercise folding at column 80.
func randomString(r *rand.Rand) string {
	switch r.IntN(8) {
	case 0:
		return wholeStrings[r.IntN(len(wholeStrings))]
	case 1:
		return longString(r)
	}
	var b strings.Builder
	for range 1 + r.IntN(6) {
		b.WriteString(trickyParts[r.IntN(len(trickyParts))])
	}
	return b.String()
}

// longString is a string of 40 to 200 characters: words of random length separated by
// one, two or no spaces, sometimes with line breaks or a tricky part inside.
func longString(r *rand.Rand) string {
	n := 40 + r.IntN(160)
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(strings.Repeat(string(rune('a'+r.IntN(26))), 1+r.IntN(12)))
		switch r.IntN(12) {
		case 0:
			b.WriteString("  ")
		case 1:
			b.WriteString("\n")
		case 2:
			b.WriteString(trickyParts[r.IntN(len(trickyParts))])
		case 3:
			// no space
		default:
			b.WriteString(" ")
		}
	}
	return b.String()
}

// randomKey draws a map key: mostly tricky strings, sometimes an ordinary Kubernetes key.
func randomKey(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		keys := []string{"apiVersion", "kind", "metadata", "name", "app.kubernetes.io/name", "spec", "0", "10", "2"}
		return keys[r.IntN(len(keys))]
	}
	return randomString(r)
}

// randomValue draws a JSON value nested up to depth levels.
func randomValue(r *rand.Rand, depth int) any {
	if depth > 0 {
		switch r.IntN(6) {
		case 0:
			m := map[string]any{}
			for range r.IntN(5) {
				m[randomKey(r)] = randomValue(r, depth-1)
			}
			return m
		case 1:
			l := make([]any, r.IntN(4))
			for i := range l {
				l[i] = randomValue(r, depth-1)
			}
			return l
		}
	}
	switch r.IntN(10) {
	case 0:
		return r.IntN(2) == 0
	case 1:
		return nil
	case 2:
		nums := []string{"0", "-0", "1", "-17", "1e6", "1.5", "0.1", "1e21", "1.5e-7", "9223372036854775807",
			"9223372036854775808", "18446744073709551615", "18446744073709551616", "007", "-1e300", "2.0"}
		return json.Number(nums[r.IntN(len(nums))])
	}
	return randomString(r)
}

// nest wraps v in depth mappings so that its strings start at various columns.
func nest(v any, depth int) any {
	for i := range depth {
		if i%3 == 2 {
			v = []any{v}
		} else {
			v = map[string]any{"k": v}
		}
	}
	return v
}

func TestDifferentialRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	handled, total := 0, 0
	for i := range 40000 {
		v := nest(map[string]any{randomKey(r): randomValue(r, 4)}, i%12)
		total++
		if check(t, v) {
			handled++
		}
	}
	t.Logf("handled %d of %d random documents", handled, total)
	if handled < total/2 {
		t.Errorf("only %d of %d random documents handled", handled, total)
	}
}

// TestStringsAtEveryColumn writes long strings (plain, quoted, multi-line) at indentations
// from 0 to 90 columns, with a word boundary at every position around column 80.
func TestStringsAtEveryColumn(t *testing.T) {
	bases := []string{
		strings.Repeat("word ", 30),
		strings.Repeat("x", 70) + " " + strings.Repeat("y", 20) + "  z " + strings.Repeat("q ", 10),
		"true " + strings.Repeat("ab ", 40),
		": " + strings.Repeat("colon ", 30),
		"it's " + strings.Repeat("quoted's ", 20),
		"tab\t" + strings.Repeat("escaped ", 20),
		"line\n" + strings.Repeat("literal ", 20) + "\n",
		"trailing \n" + strings.Repeat("double ", 20),
		strings.Repeat("é ", 60) + "😀 " + strings.Repeat("ü", 50),
	}
	for _, base := range bases {
		for shift := range 12 {
			s := strings.Repeat("a", shift) + base
			for depth := range 45 {
				if !check(t, nest(map[string]any{"key": s, "list": []any{s, []any{s}}}, depth)) {
					t.Errorf("declined %q at depth %d", s, depth)
				}
			}
		}
	}
}

// TestOrdinaryManifests checks that ordinary Kubernetes manifests take the fast path.
func TestOrdinaryManifests(t *testing.T) {
	manifests := []string{
		`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api","namespace":"apps","labels":{"app":"api","tier":"1"},"annotations":{"prometheus.io/scrape":"true","prometheus.io/port":"8080","description":"The API server, which serves every request that the public load balancer sends to the cluster and writes to the database."}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"api"}},"template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"name":"api","image":"registry.example.com/api:v1.2.3","args":["--port=8080","--log-level","info",""],"env":[{"name":"RATIO","value":"0.1"},{"name":"ENABLED","value":"yes"},{"name":"EMPTY","value":""}],"resources":{"limits":{"cpu":"500m","memory":"1Gi"},"requests":{"cpu":0.25,"memory":"256Mi"}},"ports":[{"containerPort":8080,"protocol":"TCP"}]}],"tolerations":[],"nodeSelector":{}}}}}`,
		`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"config.yaml":"server:\n  port: 8080\n","script.sh":"#!/bin/sh\nset -e\necho 'hi'\n","no-newline":"a\nb","blank-end":"a\n\n","dashboard.json":"{\n  \"panels\": [\n    {\"title\": \"CPU\"}\n  ]\n}\n","  indented":"  x\n  y\n"}}`,
		`{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},"spec":{"versions":[{"name":"v1","schema":{"openAPIV3Schema":{"description":"Widget is the Schema for the widgets API. It describes a widget, the things it contains and how the controller reconciles them, in more words than fit on one line of eighty columns.","properties":{"x-kubernetes-int-or-string":{"x-kubernetes-int-or-string":true,"pattern":"^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$"},"enum":{"enum":["Always","Never","IfNotPresent",null]}},"required":["spec"],"type":"object"}}}]}}`,
	}
	for _, m := range manifests {
		dec := json.NewDecoder(strings.NewReader(m))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if !check(t, v) {
			t.Errorf("declined an ordinary manifest: %s", m)
		}
	}
}

// TestDeclines lists what Append leaves to yaml.v2.
func TestDeclines(t *testing.T) {
	for _, v := range []any{
		"scalar document",
		map[string]any{"bad": "\xff"},
		map[string]any{"multi\nline key": 1},
		map[string]any{strings.Repeat("k", 129): 1},
		map[string]any{"ls": "a\u2028b\n"},
		map[string]any{"bom": "\ufeffx"},
		map[string]any{"n": json.Number("1e999")},
		map[string]any{"t": struct{}{}},
	} {
		t.Run(fmt.Sprintf("%.40q", fmt.Sprint(v)), func(t *testing.T) {
			if check(t, v) {
				t.Errorf("handled %#v, want a decline", v)
			}
		})
	}
	// A key of exactly 128 bytes is still simple.
	if !check(t, map[string]any{strings.Repeat("k", 128): 1}) {
		t.Error("declined a key of 128 bytes")
	}
}
