package parse

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// ignoredTypes are the field types that carry formatting or analysis, not meaning.
var ignoredTypes = map[reflect.Type]bool{
	reflect.TypeFor[ast.NodeBase]():      true,
	reflect.TypeFor[ast.Fodder]():        true,
	reflect.TypeFor[ast.LocationRange](): true,
}

// ignoredFields are fields that only the formatter reads.
var ignoredFields = map[string]bool{"TrailingComma": true, "BlockIndent": true, "BlockTermIndent": true}

// sameTree reports the first difference between two desugared trees, ignoring locations,
// fodder, free variables and formatting; nil and empty slices are equal.
func sameTree(want, got reflect.Value, path string) error {
	if want.Kind() == reflect.Interface {
		if want.IsNil() || got.IsNil() {
			if want.IsNil() != got.IsNil() {
				return fmt.Errorf("%s: want %v, got %v", path, want, got)
			}
			return nil
		}
		want, got = want.Elem(), got.Elem()
	}
	if want.Type() != got.Type() {
		return fmt.Errorf("%s: want %s, got %s", path, want.Type(), got.Type())
	}
	switch want.Kind() {
	case reflect.Pointer:
		if want.IsNil() || got.IsNil() {
			if want.IsNil() != got.IsNil() {
				return fmt.Errorf("%s: want %v, got %v", path, want, got)
			}
			return nil
		}
		return sameTree(want.Elem(), got.Elem(), path)
	case reflect.Struct:
		for i := range want.NumField() {
			f := want.Type().Field(i)
			if ignoredTypes[f.Type] || ignoredFields[f.Name] {
				continue
			}
			if err := sameTree(want.Field(i), got.Field(i), path+"."+f.Name); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		if want.Len() != got.Len() {
			return fmt.Errorf("%s: want %d elements, got %d", path, want.Len(), got.Len())
		}
		for i := range want.Len() {
			if err := sameTree(want.Index(i), got.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	default:
		if !want.Equal(got) {
			return fmt.Errorf("%s: want %#v, got %#v", path, want.Interface(), got.Interface())
		}
		return nil
	}
}

// compare parses text with both parsers. It fails when this package accepts what go-jsonnet
// rejects or builds another tree, and returns whether this package refused the text.
func compare(t testing.TB, name, text string) (refused bool) {
	t.Helper()
	want, wantErr := gojsonnet.SnippetToAST(name, text)
	got, err := File(name, text)
	if err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %T is not a *SyntaxError: %v", name, err, err)
		}
		return true
	}
	if wantErr != nil {
		t.Errorf("%s: go-jsonnet rejects the text (%v), this parser accepted it", name, wantErr)
		return false
	}
	if got.Loc().FileName != name {
		t.Errorf("%s: root names file %q", name, got.Loc().FileName)
	}
	if err := sameTree(reflect.ValueOf(want), reflect.ValueOf(got), "root"); err != nil {
		t.Errorf("%s: trees differ: %v", name, err)
	}
	return false
}

// goJsonnetTestdata is go-jsonnet's own test suite directory.
func goJsonnetTestdata(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/google/go-jsonnet").Output()
	if err != nil {
		t.Fatalf("go list go-jsonnet: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "testdata")
}

// jsonnetFiles lists the .jsonnet and .libsonnet files under dir.
func jsonnetFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".jsonnet") || strings.HasSuffix(p, ".libsonnet")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// compareFiles runs compare over files and reports how many were refused where go-jsonnet
// accepted them.
func compareFiles(t *testing.T, files []string) {
	t.Helper()
	var accepted, refused, bothRefuse int
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !compare(t, f, string(text)) {
			accepted++
			continue
		}
		if _, err := gojsonnet.SnippetToAST(f, string(text)); err != nil {
			bothRefuse++
			continue
		}
		refused++
		_, err = File(f, string(text))
		t.Logf("refused although go-jsonnet parses it: %s: %v", f, err)
	}
	t.Logf("%d files: %d parsed identically, %d rejected by both, %d refused", len(files), accepted, bothRefuse, refused)
	if len(files) == 0 {
		t.Fatal("no files")
	}
}

// TestGoJsonnetTestdata parses every program of go-jsonnet's test suite (valid and invalid)
// with both parsers.
func TestGoJsonnetTestdata(t *testing.T) {
	compareFiles(t, jsonnetFiles(t, goJsonnetTestdata(t)))
}

// TestRepository parses every Jsonnet file of this repository (the reference environments,
// lib/, vendor-jsonnet/, test data) with both parsers.
func TestRepository(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, dir := range []string{"environments", "lib", "vendor-jsonnet", "internal"} {
		files = append(files, jsonnetFiles(t, filepath.Join(root, dir))...)
	}
	compareFiles(t, files)
}

// TestCorpus parses the Jsonnet files under $KFORGE_PARSE_CORPUS (a vendor directory of a
// real repository, say) with both parsers.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("KFORGE_PARSE_CORPUS")
	if dir == "" {
		t.Skip("KFORGE_PARSE_CORPUS names no directory")
	}
	compareFiles(t, jsonnetFiles(t, dir))
}

// cases are programs at the edges of the grammar; each must parse identically or be refused
// (refuse says which must be refused).
var cases = []struct {
	code   string
	refuse bool
}{
	{code: `1 + 2 * 3 - 4 / 5 % 6`},
	{code: `1 << 2 >> 3 < 4 <= 5 > 6 >= 7 == 8 != 9 & 10 ^ 11 | 12 && 13 || 14`},
	{code: `-1 - -2 + +3 - !true + ~4`},
	{code: `!a.b(1)[2]`, refuse: true},
	{code: `local a = {b: [1]}; -a.b[0]`},
	{code: `local a = 1; a==-1`, refuse: true},
	{code: `local a = 1; a == -1`},
	{code: `local a = 1; a+-1`},
	{code: `local x = 1, y(a, b=2) = a + b; y(x, b=3) tailstrict`},
	{code: `local f(x) = x; f(x=1)`},
	{code: `local f(x, y) = x; f(x=1, 2)`, refuse: true},
	{code: `local f(x, x) = x; f(1, 2)`, refuse: true},
	{code: `local x = 1, x = 2; x`, refuse: true},
	{code: `function(x, y=x) x + y`},
	{code: `if true then 1`},
	{code: `if true then 1 else if false then 2 else 3`},
	{code: `1 + if true then 2 else 3 + 4`},
	{code: `assert true; 1`},
	{code: `assert 1 == 1 : 'msg'; 2`},
	{code: `error 'x'`},
	{code: `[1, 2, 3,]`},
	{code: `[]`},
	{code: `[x for x in [1, 2] if x > 1 for y in [3] if y > x if true]`},
	{code: `[x, for x in [1]]`},
	{code: `{[k]: k for k in ['a', 'b']}`},
	{code: `{local l = 1, [k]+: l for k in ['a'] if k != ''}`},
	{code: `{[k]: $ for k in ['a']}`},
	{code: `{a: {[k]: $.x for k in ['b']}, x: 1}`},
	{code: `{a: 1, b:: 2, c::: 3, d+: 4, e+:: 5, f+::: 6}`},
	{code: `{a: 1, 'a': 2}`, refuse: true},
	{code: `{a: 1, "b": 2, 'c': 3, @'d''': 4, |||
  e
|||: 5, [ 'f' ]: 6}`},
	{code: `{f(x, y=1): x + y, local l(z) = z, g: self.f(l(1))}`},
	{code: `{f(x)+: x}`, refuse: true},
	{code: `{f(x={a: $}): x, local g(y={b: $}) = y, h: g()}`},
	{code: `{local a = 1, local a = 2}`, refuse: true},
	{code: `{assert self.a > 0, assert self.a > 1 : 'small', a: 2}`},
	{code: `{a: 1} + {a+: super.a, b: 'a' in super, c: super['a'], d: 'a' in self}`},
	{code: `{a: 1} {b: $.a, c: {d: $.a}}`},
	{code: `$`, refuse: true},
	{code: `self`, refuse: true},
	{code: `super.a`, refuse: true},
	{code: `x`, refuse: true},
	{code: `{a: x}`, refuse: true},
	{code: `{[self.a]: 1}`, refuse: true},
	{code: `local o = {a: 1}; [o.a, o['a'], 'a' in o, o[::], o[1:], o[:2], o[1:2:3], o[::2], o[1::2]]`},
	{code: `local o = [1]; o[]`, refuse: true},
	{code: `local o = [1]; o[1:2:3:4]`, refuse: true},
	{code: `local o = [1]; o[":"]`},
	{code: `import 'a.libsonnet'`},
	{code: `importstr "a\u0041.txt"`},
	{code: `importbin @'a''b'`},
	{code: `import 'a' + 'b'`, refuse: true},
	{code: `import ('a')`, refuse: true},
	{code: "import |||\n  a\n|||", refuse: true},
	{code: `"a\"b\\c\/d\b\f\n\r\t\u00e9\u0000"`},
	{code: `'it''s'`, refuse: true},
	{code: `@"a""b"`},
	{code: `"\ud83d\ude00"`, refuse: true},
	{code: `"\x"`, refuse: true},
	{code: `"\u12"`, refuse: true},
	{code: "|||\n  a\n   b\n\n  c\n|||"},
	{code: "|||-\n  a\n|||"},
	{code: "|||\n\n\n  a\n |||"},
	{code: "|||  \t\n\ta\n|||"},
	{code: "|||\n\ta\n\t|||", refuse: true},
	{code: "|||\nno indent\n|||", refuse: true},
	{code: "|||\n  a\n", refuse: true},
	{code: `[0, 1.5, 1e3, 1E-3, 12.5e+2, 1_000, 1_0.2_5e1_0, 0.0]`},
	{code: `1_`, refuse: true},
	{code: `0_1`, refuse: true},
	{code: `1.`, refuse: true},
	{code: `1e`, refuse: true},
	{code: `01`, refuse: true},
	{code: "# comment\n// comment\n/* comment */ 1 /* multi\nline */ + /**/ 2 // end"},
	{code: `1 /* open`, refuse: true},
	{code: `1 +/* c */2`},
	{code: `std.length([1])`},
	{code: `$std.length([])`, refuse: true},
	{code: `local a = 1; a in {}`},
	{code: `{} tailstrict`, refuse: true},
	{code: `1 2`, refuse: true},
	{code: `(1`, refuse: true},
	{code: `function(x) x`},
	{code: `local f = function(x) x; f(1,)`},
	{code: `local f = function(x,) x; f(1 2)`, refuse: true},
	{code: `{a: 1,, b: 2}`, refuse: true},
	{code: `{a = 1}`, refuse: true},
	{code: `{a::-1}`, refuse: true},
	{code: `{a:: - 1}`},
	{code: `local é = 1; é`, refuse: true},
	{code: "\xff", refuse: true},
	{code: `{a: 1}.a`},
	{code: `[1][0]`},
	{code: `"a" % [1]`},
	{code: `{ local x = self.y, y: 1, z: x }`},
	{code: `{[k]: 1 for k in ['a'], b: 2}`, refuse: true},
	{code: `{a: 1 for k in ['a']}`, refuse: true},
	{code: `{[k]:: 1 for k in ['a']}`, refuse: true},
	{code: `{assert true, [k]: 1 for k in ['a']}`, refuse: true},
	{code: `local x = 1; x.y.z(1)(2){a: 1}[0]`},
	{code: `true && false || null == null`},
	{code: `a = 1`, refuse: true},
	{code: `1 $ 2`, refuse: true},
}

func TestCases(t *testing.T) {
	for i, c := range cases {
		name := fmt.Sprintf("case%d.jsonnet", i)
		refused := compare(t, name, c.code)
		if refused != c.refuse {
			_, err := File(name, c.code)
			t.Errorf("%s %q: refused = %v (%v), want %v", name, c.code, refused, err, c.refuse)
		}
	}
}

// FuzzParse checks that whatever this package accepts, go-jsonnet parses to the same tree.
func FuzzParse(f *testing.F) {
	for _, c := range cases {
		f.Add(c.code)
	}
	f.Fuzz(func(t *testing.T, code string) {
		compare(t, "fuzz.jsonnet", code)
	})
}
