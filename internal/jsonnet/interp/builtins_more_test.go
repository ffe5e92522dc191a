package interp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Inputs of the differential tests of the builtins of builtins_more.go, as Jsonnet code.
var (
	// moreStrings are strings: ASCII, multibyte, control characters, escapes, a lone
	// surrogate, invalid UTF-8 (made with std.decodeUTF8), case-folding pairs.
	moreStrings = []string{
		`""`, `"a"`, `"abc"`, `"  padded \t"`, `"xxhixx"`, `"Hello, World"`, `"héllo wörld"`,
		`"日本語テキスト"`, `"😀 emoji 😀"`, `"\u0000"`, `"tab\there\nnew\r\f\b"`,
		`"\u001f\u007f\u0080\u009f\u00a0"`, `"quote\"back\\slash/"`, `"\ud800"`, `"\ud83d\ude00"`,
		`"\u2028\u2029<>&"`, `std.decodeUTF8([255, 97, 192, 128])`, `std.decodeUTF8([226, 130])`,
		`"İıſKK"`, `"ǅǄǆ"`, `"ßSS"`, `"a,b,,c"`, `"--a--b--"`, `"aaaa"`, `"line1\nline2\n"`,
		`"\n"`, `"x\n\n"`, `"ÿĀ"`, `"é"`, `"true"`, `"-"`, `"1.5"`, `"0x1F"`,
	}
	// moreNumbers are numbers: integers, fractions, negatives, -0, tiny, huge, int32 edges.
	moreNumbers = []string{
		`0`, `-0`, `1`, `-1`, `2`, `3`, `-3`, `0.5`, `-0.5`, `1.5`, `-2.5`, `0.1`, `1e-300`,
		`5e-324`, `1e300`, `-1e300`, `1.7976931348623157e308`, `9007199254740993`,
		`4503599627370496.5`, `123456789.123`, `2147483647`, `2147483648`, `-2147483648`,
		`-2147483649`, `255`, `256`, `3.14159`, `1e21`, `1e22`, `7.000000000000001`,
	}
	// moreWrong are values of other types.
	moreWrong = []string{
		`null`, `true`, `false`, `[]`, `{}`, `function(x) x`, `[1, "a"]`, `{a: 1}`, `"s"`, `1`,
	}
	// moreValues are values to manifest: nested arrays and objects, hidden fields,
	// assertions, awkward keys and strings, functions, errors.
	moreValues = []string{
		`null`, `true`, `false`, `0`, `-0`, `1e300`, `0.1`, `-2.5`, `"s"`, `""`, `"a\nb\n"`,
		`"é\u0001"`, `[]`, `{}`, `[null]`, `{n: null}`, `[[]]`, `[{}]`, `[[], {}]`,
		`{a: 1, b: "x", c: [1, 2, {d: null}], e: {f: true, g: []}}`,
		`{"key with space": 1, "": 2, "true": 3, "123": 4, "1.5": 5, "0x1f": 6, "a0xb": 7,
		  "2001-01-01": 8, "-": 9, "ok_key/a.b-c": 10, "0b101": 11, "Yes": 12, "inf": 13,
		  "é": 14, "a\"b": 15, "\u0007": 16, "1e5": 17, "_": 18, "--": 19, "NaN": 20}`,
		`{s: "line1\nline2\n", t: "trailing\n\n", u: "\n", v: "no newline", w: ""}`,
		`[[1, [2, []]], [], [[]], {}, "x\n"]`, `{h:: 1, v: 2, w::: 3}`, `{a: {b: {c: {}}}}`,
		`[{a: 1}, {b: 2}]`, `{tbl: [{a: 1}, {b: [{c: 1}], d: {e: [1, [2]]}}], arr: [1, 2],
		  mixed: [{}, 1], empty: {}, emptyArr: [], inl: [{x: [1, {y: 2}]}], s: "q\"\n"}`,
		`{f: function(x) x}`, `[function(x) x]`, `function(x) x`,
		`{assert false}`, `{assert false, h:: 1}`, `{assert false, a: 1}`, `{assert true, a: 1}`,
		`{a: error "boom"}`, `[1, error "boom"]`, `{a: {b: error "deep"}}`, `{x: null, y: 1}`,
		`{a: [[1, 2], [3]], b: [[[]]], c: [{}, {}], d: [[{}]]}`,
		`{a: {b: 1, c: {d: 2}}, e: [{f: {g: 1}}], "q k": {"r s": 1}}`,
		`{a: 1} + {b+: 2, a:: 3}`, `std.objectRemoveKey({a: 1, b: 2}, "a")`,
		`{x: [std.decodeUTF8([255]), "\ud800", "\u2028"]}`,
	}
	// moreIndents are indentation strings of the manifest builtins.
	moreIndents = []string{`""`, `"  "`, `"\t"`, `"    "`, `"é"`}
)

// deepValue nests n levels of arrays (or objects) around 1.
func deepValue(n int, object bool) string {
	wrap := "[acc]"
	if object {
		wrap = "{a: acc}"
	}
	return fmt.Sprintf("std.foldl(function(acc, x) %s, std.range(1, %d), 1)", wrap, n)
}

// moreCase is one program of the differential tests: the builtin it is about and its code.
// declines marks a program interp must leave to go-jsonnet although go-jsonnet evaluates it.
type moreCase struct {
	builtin, code string
	declines      bool
}

// call is the program std.name(args...).
func call(name string, args ...string) moreCase {
	return moreCase{builtin: name, code: "std." + name + "(" + strings.Join(args, ", ") + ")"}
}

// moreCases generates the programs of the differential test of builtins_more.go.
func moreCases() []moreCase {
	var cs []moreCase
	numbersAndWrong := append(append([]string{}, moreNumbers...), moreWrong...)
	stringsAndWrong := append(append([]string{}, moreStrings...), moreWrong...)
	for _, name := range []string{"mantissa", "exponent", "isEven", "isOdd", "isInteger", "isDecimal"} {
		for _, n := range numbersAndWrong {
			cs = append(cs, call(name, n))
		}
		cs = append(cs, call(name, "1e308 * 10"), call(name, "error 'x'"))
	}
	for _, name := range []string{"md5", "sha1", "sha256", "sha512", "sha3", "escapeStringJson", "parseInt", "base64", "base64Decode", "base64DecodeBytes"} {
		for _, s := range stringsAndWrong {
			cs = append(cs, call(name, s))
		}
	}
	for _, v := range moreValues {
		cs = append(cs, call("escapeStringJson", v))
	}
	chars := []string{`"ax"`, `["a", "x"]`, `["é", 1]`, `[]`, `""`, `5`, `" \t"`, `"-"`, `"😀 "`,
		`[error "boom"]`, `["x", error "boom"]`, `"\n"`, `"abcdefghijklmnopqrstuvwxyz"`, `[{}, "h"]`}
	for _, name := range []string{"lstripChars", "rstripChars", "stripChars"} {
		for _, s := range append(stringsAndWrong, `"aaxbxaa"`, `"xhix"`) {
			for _, c := range chars {
				cs = append(cs, call(name, s, c))
			}
		}
	}
	seps := []string{`","`, `"--"`, `"aa"`, `""`, `"é"`, `1`}
	limits := []string{`-1`, `0`, `1`, `2`, `-2`, `1.5`}
	for _, s := range moreStrings {
		for _, c := range seps {
			for _, l := range limits {
				cs = append(cs, call("splitLimitR", s, c, l))
			}
		}
	}
	for _, s1 := range stringsAndWrong {
		for _, s2 := range []string{`""`, `"ABC"`, `"abc"`, `"HÉLLO WÖRLD"`, `"iıIİ"`, `"ǆǅ"`, `"ssß"`, `"kK"`, `1`} {
			cs = append(cs, call("equalsIgnoreCase", s1, s2))
		}
	}
	b64 := []string{`"aGVsbG8="`, `"aGVsbG8"`, `"////"`, `"/w=="`, `"YQ==\n\n\n\n"`, `"YQ=="`,
		`"YR=="`, `"@@@@"`, `"YWJj"`, `"YW=j"`, `"Y\r\nQ=="`, `"8J+YgA=="`, `"7aCA"`, `"===="`}
	for _, name := range []string{"base64Decode", "base64DecodeBytes"} {
		for _, s := range b64 {
			cs = append(cs, call(name, s))
		}
	}
	byteArrays := []string{`[]`, `[0, 255, 128]`, `[104, 105]`, `[256]`, `[-1]`, `[1.5]`, `["a"]`,
		`[230, 151, 165]`, `[237, 160, 128]`, `[240, 159, 152, 128]`, `[195]`, `[195, 169, 0, 127]`,
		`[128, 191, 192, 193, 245, 255]`, `[244, 144, 128, 128]`, `[239, 187, 191, 120]`,
		`[1, error "boom"]`, `std.range(0, 255)`, `[4294967297]`, `[-0]`}
	for _, name := range []string{"base64", "decodeUTF8"} {
		for _, a := range append(byteArrays, moreWrong...) {
			cs = append(cs, call(name, a))
		}
	}
	ints := []string{`"123"`, `"-45"`, `"+7"`, `"0"`, `"-0"`, `"007"`, `"9223372036854775807"`,
		`"9223372036854775808"`, `"-9223372036854775808"`, `"1_000"`, `"12a"`, `" 1"`, `"1.5"`,
		`"0x10"`, `"٣"`, `"9007199254740993"`, `"-2147483649"`, `"00"`, `"-"`, `"+"`, `"1e3"`}
	for _, s := range ints {
		cs = append(cs, call("parseInt", s))
	}
	jsons := []string{`'{"a": 1, "b": [true, null, 1.5e3, "x\\u00e9"], "c": {"d": -0}}'`, `'[]'`,
		`'1e400'`, `'"abc"'`, `'{"a":1,"a":2}'`, `' 12 '`, `'nul'`, `'{"a":}'`, `'-0'`,
		`'123456789012345678901234567890'`, `'"\\ud800"'`, `'{"\\u0000": "\\n"}'`, `''`, `'1 2'`,
		`'[1, [2, [3, {"x": [null]}]]]'`, `'"\u00ff"'`, `'0.1'`, `'{"h": 1}'`, `'true'`}
	for _, s := range append(jsons, stringsAndWrong...) {
		cs = append(cs, call("parseJson", s))
	}
	yamls := []string{`"a: 1\nb: [1, 2]\n"`, `"---\na: 1\n---\nb: 2\n"`, `"- x\n- y\n"`, `""`,
		`"---\n"`, `"# comment\n"`, `"a: &x 1\nb: *x\n"`, `"key: yes\n"`, `"1e3"`, `"0x1F"`,
		`"a: b: c"`, `"{a: 1, b: [x, y]}"`, `"--- 1\n--- 2\n"`, `"a: 2001-01-01\n"`,
		`"...\n"`, `"a: |\n  x\n  y\n"`, `"[1, 2"`, `"a:\n  - b\n  - c: d\n"`, `"~"`, `"null"`,
		`"a: .inf"`, `"a: .nan"`, `"1: one\n2: two\n"`, `"? [1, 2]\n: x\n"`, `"a: 'q''s'\n"`,
		`"--- a\n...\n--- b\n"`, `"---a\n"`, `"--- |\n  text\n"`, `"a:\n\tb"`, `"\"\\u00e9\""`,
		`"a: 12345678901234567890123"`, `"x: !!binary aGVsbG8="`, `"x: 0o17\ny: 017\nz: +12"`,
		`"<<: {a: 1}\nb: 2\n"`, `"a: 1\na: 2\n"`, `"- - - x"`, `"---\n---\n"`, `"a: -.5e3"`,
		`"on: off\n"`, `"a: [1,\n  2]\n---\n- 3\n"`}
	for _, s := range append(yamls, stringsAndWrong...) {
		cs = append(cs, call("parseYaml", s))
	}
	vals := append(append([]string{}, moreValues...), deepValue(3, true))
	for _, n := range []int{497, 498, 499, 500, 501} {
		vals = append(vals, deepValue(n, false), deepValue(n, true))
	}
	for _, v := range vals {
		for _, ind := range moreIndents {
			cs = append(cs, call("manifestJsonEx", v, ind))
			cs = append(cs, call("manifestTomlEx", v, ind))
		}
		cs = append(cs, call("manifestJsonEx", v, `"  "`, `""`, `":"`))
		cs = append(cs, call("manifestJsonEx", v, `"\t"`, `key_val_sep=" = "`))
		cs = append(cs, call("manifestJsonEx", v, `" "`, `newline="\r\n"`))
		cs = append(cs, call("manifestYamlDoc", v))
		for _, ia := range []string{"true", "false"} {
			for _, qk := range []string{"true", "false"} {
				cs = append(cs, call("manifestYamlDoc", v, ia, qk))
			}
		}
		cs = append(cs, call("manifestYamlDoc", v, "quote_keys=false"))
	}
	// TOML nests tables two levels of depth at a time: the limits of tables and of arrays of
	// tables.
	for n := 246; n <= 252; n++ {
		tables := fmt.Sprintf("std.foldl(function(acc, x) {a: [acc], b: 1}, std.range(1, %d), {})", n)
		cs = append(cs, call("manifestTomlEx", deepValue(n, true), `" "`), call("manifestTomlEx", tables, `""`))
	}
	cs = append(cs,
		call("manifestJsonEx", "{}", "1"), call("manifestJsonEx", "{}", `""`, "null"),
		call("manifestTomlEx", "{}", "1"), call("manifestYamlDoc", "{}", "1"),
		call("manifestYamlDoc", "{}", "true", `"x"`), call("manifestJsonEx", "{}"))
	arrays := []string{`[3, 1, 2]`, `["b", "a", "c"]`, `[[1, 2], [1], [0, 5]]`, `[]`, `[1, "a"]`,
		`[{}]`, `[{}, {}]`, `[1, 1.0, -0, 0]`, `[-0, 0, 0]`, `[true]`, `[null, null]`,
		`[2, error "boom"]`, `["é", "e", "ż", "z"]`, `[0.1, -1e300, 1e300]`, `[[], [[]], [[], 1]]`}
	keys := []string{"", "function(x) x", "function(x) -x", "std.length", "function(x) 0",
		"function(x) [x]", "function(x) error 'k'", "1"}
	for _, name := range []string{"minArray", "maxArray"} {
		for _, a := range append(arrays, moreWrong...) {
			for _, k := range keys {
				args := []string{a}
				if k != "" {
					args = append(args, k)
				}
				cs = append(cs, call(name, args...))
			}
			cs = append(cs, call(name, a, "onEmpty=null"), call(name, a, "std.id", `"none"`),
				call(name, a, `onEmpty=error "e"`), call(name, a, "onEmpty=[]"))
		}
	}
	avgs := []string{`[1, 2, 3, 4]`, `[]`, `[0.1, 0.2]`, `["a"]`, `[-0]`,
		`[1, error "x"]`, `[1e308, -1e308]`, `std.range(1, 100)`, `[1.7976931348623157e308]`,
		`[1]`, `[-1, 1]`, `[0.5, 0.25, 0.125]`, `[3, 4]`, `[1e-300, 1e-300]`, `std.range(-50, 49)`,
		`[2147483648, 1]`, `[0.1, 0.7]`, `[5e-324, 5e-324]`, `[-1e300, -3e300]`, `[1, 2, 4]`,
		`[9007199254740993, 1]`}
	// go-jsonnet's sum is unchecked: where it overflows, std.avg and std.sum give +Inf or
	// -Inf, which interp leaves to go-jsonnet.
	for _, a := range []string{`[1e308, 1e308]`, `[1e308, 1e308, -1e308]`, `[-1e308, -1e308]`} {
		for _, name := range []string{"avg", "sum"} {
			c := call(name, a)
			c.declines = true
			cs = append(cs, c)
		}
	}
	cs = append(cs, call("sum", `[1e308, -1e308]`), call("sum", `[1, 2]`))
	for _, a := range append(avgs, moreWrong...) {
		cs = append(cs, call("avg", a))
	}
	// Named arguments and calls through a variable.
	cs = append(cs,
		moreCase{builtin: "md5", code: `local f = std.md5; f(s="x")`},
		moreCase{builtin: "splitLimitR", code: `std.splitLimitR(maxsplits=1, c=",", str="a,b,c")`},
		moreCase{builtin: "manifestYamlDoc", code: `std.manifestYamlDoc(quote_keys=false, value={a: [1]}, indent_array_in_object=true)`},
		moreCase{builtin: "lstripChars", code: `std.lstripChars(chars="a", str="aab")`},
		moreCase{builtin: "minArray", code: `std.minArray(arr=[2, 1], keyF=function(x) x)`},
		moreCase{builtin: "manifestJsonEx", code: `std.manifestJsonEx(value={a: 1}, indent="  ", newline="\n", key_val_sep=": ")`},
		moreCase{builtin: "manifestJsonEx", code: `std.manifestJsonEx({a: 1})`},
	)
	return cs
}

// TestBuiltinsMoreDifferential runs every builtin of builtins_more.go over the generated
// inputs with go-jsonnet and with interp, and checks that interp serves (does not decline)
// nearly every program go-jsonnet evaluates successfully.
func TestBuiltinsMoreDifferential(t *testing.T) {
	type tally struct{ served, declinedOK int }
	tallies := map[string]*tally{}
	for i, c := range moreCases() {
		tl := tallies[c.builtin]
		if tl == nil {
			tl = &tally{}
			tallies[c.builtin] = tl
		}
		name := fmt.Sprintf("more_%s_%d.jsonnet", c.builtin, i)
		declined := checkSame(t, name, c.code)
		if c.declines {
			if !declined {
				t.Errorf("%s: served, expected a decline: %s", name, c.code)
			}
			continue
		}
		if !declined {
			tl.served++
			continue
		}
		if _, err := newTestVM().EvaluateAnonymousSnippet(name, c.code); err == nil {
			tl.declinedOK++
			t.Logf("%s: declined where go-jsonnet succeeded: %s", name, c.code)
		}
	}
	for _, name := range []string{
		"escapeStringJson", "mantissa", "exponent", "isEven", "isOdd", "isInteger", "isDecimal",
		"md5", "sha1", "sha256", "sha512", "sha3", "lstripChars", "rstripChars", "stripChars",
		"splitLimitR", "equalsIgnoreCase", "base64Decode", "base64DecodeBytes", "parseInt",
		"parseJson", "parseYaml", "manifestJsonEx", "manifestTomlEx", "manifestYamlDoc", "base64",
		"decodeUTF8", "minArray", "maxArray", "avg",
	} {
		tl := tallies[name]
		if tl == nil {
			t.Errorf("std.%s: no test program", name)
			continue
		}
		valid := tl.served + tl.declinedOK
		t.Logf("std.%s: %d valid programs, %d served", name, valid, tl.served)
		if valid < 5 || float64(tl.served) < 0.95*float64(valid) {
			t.Errorf("std.%s: only %d of %d valid programs served", name, tl.served, valid)
		}
	}
}

// jsonnetString is s as Jsonnet code: a string literal, or std.decodeUTF8 of its bytes when
// s is not valid UTF-8.
func jsonnetString(s string) string {
	if !utf8.ValidString(s) {
		var b strings.Builder
		b.WriteString("std.decodeUTF8([")
		for i := 0; i < len(s); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(int(s[i])))
		}
		b.WriteString("])")
		return b.String()
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		}
	}
	b.WriteByte('"')
	return b.String()
}

// jsonnetNumber is x as Jsonnet code (finite numbers only).
func jsonnetNumber(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "0"
	}
	s := strconv.FormatFloat(math.Abs(x), 'g', -1, 64)
	if math.Signbit(x) {
		return "-" + s
	}
	return s
}

// fuzzPrograms are the programs calling the builtins on the fuzzed inputs.
func fuzzPrograms(s1, s2 string, x float64, n int) []string {
	a, b := jsonnetString(s1), jsonnetString(s2)
	num := jsonnetNumber(x)
	ni := strconv.Itoa(n)
	// A composite value made of the inputs, for the manifest builtins.
	val := fmt.Sprintf("{[%s]: %s, k: [%s, %s, null, true, {[%s]: %s}], e: {}, l: [{z: %s}], s: %s + \"\\n\"}",
		a, num, b, ni, b, a, num, a)
	if n%3 == 0 {
		val = fmt.Sprintf("[%s, [%s, %s], {}, []]", a, num, b)
	}
	bytesOf := func(s string) string {
		parts := make([]string, len(s))
		for i := 0; i < len(s); i++ {
			parts[i] = strconv.Itoa(int(s[i]))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return []string{
		"std.escapeStringJson(" + a + ")",
		"std.mantissa(" + num + ")", "std.exponent(" + num + ")",
		"std.isEven(" + num + ")", "std.isOdd(" + num + ")",
		"std.isInteger(" + num + ")", "std.isDecimal(" + num + ")",
		"std.md5(" + a + ")", "std.sha1(" + a + ")", "std.sha256(" + a + ")",
		"std.sha512(" + a + ")", "std.sha3(" + a + ")",
		"std.lstripChars(" + a + ", " + b + ")", "std.rstripChars(" + a + ", " + b + ")",
		"std.stripChars(" + a + ", " + b + ")",
		"std.stripChars(" + a + ", std.stringChars(" + b + "))",
		"std.splitLimitR(" + a + ", " + b + ", " + ni + ")",
		"std.equalsIgnoreCase(" + a + ", " + b + ")",
		"std.base64Decode(" + a + ")", "std.base64DecodeBytes(" + a + ")",
		"std.base64(" + a + ")", "std.base64(" + bytesOf(s1) + ")",
		"std.decodeUTF8(" + bytesOf(s1) + ")",
		"std.parseInt(" + a + ")", "std.parseJson(" + a + ")", "std.parseYaml(" + a + ")",
		"std.manifestJsonEx(" + val + ", " + b + ")",
		"std.manifestJsonEx(" + val + ", " + b + ", " + a + ", " + b + ")",
		"std.manifestTomlEx(" + val + ", " + b + ")",
		"std.manifestYamlDoc(" + val + ")",
		"std.manifestYamlDoc(" + val + ", true, false)",
		"std.manifestYamlDoc(" + val + ", false, false)",
		"std.minArray([" + a + ", " + b + "])", "std.maxArray([" + num + ", " + ni + ", 0])",
		"std.minArray([" + num + ", " + ni + "], function(v) -v)",
		"std.maxArray(std.stringChars(" + a + "), onEmpty=" + b + ")",
		"std.avg([" + num + ", " + ni + "])",
		"std.parseYaml(std.manifestYamlDoc(" + val + ", false, false))",
		"std.parseJson(std.manifestJsonEx(" + val + ", " + b + "))",
	}
}

// FuzzBuiltinsMore calls the builtins of builtins_more.go on fuzzed strings and numbers with
// go-jsonnet and with interp.
func FuzzBuiltinsMore(f *testing.F) {
	// A seed for every program template.
	seeds := []struct {
		s1, s2 string
		x      float64
		n      int
	}{
		{"héllo\n", "x", 1.5, 2}, {"a,b,c", ",", math.Copysign(0, -1), 1}, {"a: 1\n---\nb: [x]\n", "", 1e300, 3},
		{"key", "  ", 5e-324, -1}, {"aGVsbG8=", "\xff", 2.0, 0}, {"true", "0x1f", 7.0, 4},
		{"{\"a\": [1, null]}", "\t", -2.5, 5}, {"-12", "\u2028", 0.1, 6},
	}
	for sel := range len(fuzzPrograms("", "", 0, 0)) {
		sd := seeds[sel%len(seeds)]
		f.Add(uint8(sel), sd.s1, sd.s2, sd.x, sd.n)
	}
	f.Fuzz(func(t *testing.T, sel uint8, s1, s2 string, x float64, n int) {
		if len(s1) > 200 || len(s2) > 200 {
			return
		}
		progs := fuzzPrograms(s1, s2, x, n)
		checkSame(t, "fuzz.jsonnet", progs[int(sel)%len(progs)])
	})
}

// TestPlainJSONString checks the shortcut of std.manifestJsonEx's string writer against
// encoding/json on every single byte and rune class and on random strings: a string it calls
// plain must be what encoding/json (without HTML escaping) writes between quotes.
func TestPlainJSONString(t *testing.T) {
	samples := []string{"", "plain", "a\"b", "a\\b", "\x7f", "<&>", "\u2028", "\u2029", "€", "é😀", "\xff", "\u0085", "\t"}
	for c := range 256 {
		samples = append(samples, string([]byte{byte(c)}), "x"+string(rune(c))+"y")
	}
	rng := rand.New(rand.NewPCG(7, 22))
	for range 2000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		samples = append(samples, string(b))
	}
	plain := 0
	for _, s := range samples {
		if !plainJSONString(s) {
			continue
		}
		plain++
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got, want := `"`+s+`"`, strings.TrimSuffix(buf.String(), "\n"); got != want {
			t.Errorf("plainJSONString(%q): writes %s, encoding/json %s", s, got, want)
		}
	}
	if plain < 200 {
		t.Errorf("only %d of %d samples were plain: the shortcut is not exercised", plain, len(samples))
	}
}
