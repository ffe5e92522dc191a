package jsonnet

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// fodderType is the type of go-jsonnet's formatting fodder, which jsonAST leaves out.
var fodderType = reflect.TypeOf(ast.Fodder(nil))

// astComparison compares ASTs; sources remembers the pairs of *ast.Source already found equal
// (every node points at its file's source).
type astComparison struct {
	sources map[[2]*ast.Source]bool
}

// difference returns where two ASTs first differ, ignoring fodder, as a path below the root
// and the two values, or "" when they are equal. Pointers are compared by what they point to.
func (c *astComparison) difference(a, b reflect.Value) string {
	if a.Type() != b.Type() {
		return fmt.Sprintf(": type %s against %s", a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Interface, reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf(": nil %v against %v", a.IsNil(), b.IsNil())
			}
			return ""
		}
		if a.Type() == sourceType {
			pair := [2]*ast.Source{a.Interface().(*ast.Source), b.Interface().(*ast.Source)}
			if c.sources[pair] {
				return ""
			}
			if d := c.difference(a.Elem(), b.Elem()); d != "" {
				return d
			}
			c.sources[pair] = true
			return ""
		}
		return c.difference(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).Type == fodderType {
				continue
			}
			if d := c.difference(a.Field(i), b.Field(i)); d != "" {
				return "." + a.Type().Field(i).Name + d
			}
		}
		return ""
	case reflect.Slice:
		if a.Type() == fodderType {
			return ""
		}
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf(": nil slice %v against %v", a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf(": length %d against %d", a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := c.difference(a.Index(i), b.Index(i)); d != "" {
				return "[" + strconv.Itoa(i) + "]" + d
			}
		}
		return ""
	default:
		if !a.Equal(b) {
			return fmt.Sprintf(": %#v against %#v", a.Interface(), b.Interface())
		}
		return ""
	}
}

// differs is where two nodes differ (astComparison.difference), prefixed with "root".
func differs(got, want ast.Node) string {
	c := &astComparison{sources: map[[2]*ast.Source]bool{}}
	if d := c.difference(reflect.ValueOf(&got).Elem(), reflect.ValueOf(&want).Elem()); d != "" {
		return "root" + d
	}
	return ""
}

func TestASTDifferenceNoticesChanges(t *testing.T) {
	text := `{"a": [1, {"b": "c"}]}`
	for name, change := range map[string]func(*ast.DesugaredObject){
		"context": func(o *ast.DesugaredObject) {
			s := "other"
			o.Fields[0].Body.(*ast.Array).Elements[1].Expr.(*ast.DesugaredObject).Fields[0].Body.(*ast.LiteralString).Ctx = &s
		},
		"location":  func(o *ast.DesugaredObject) { o.Fields[0].LocRange.End.Column++ },
		"free vars": func(o *ast.DesugaredObject) { o.FreeVars = nil },
		"locals":    func(o *ast.DesugaredObject) { o.Locals = ast.LocalBinds{} },
		"source":    func(o *ast.DesugaredObject) { o.LocRange.File = &ast.Source{Lines: []string{"x"}} },
	} {
		got, _ := jsonAST("x.json", text)
		want, _ := gojsonnet.SnippetToAST("x.json", text)
		if d := differs(got, want); d != "" {
			t.Fatalf("%s: equal trees differ: %s", name, d)
		}
		change(got.(*ast.DesugaredObject))
		if differs(got, want) == "" {
			t.Errorf("%s: the change went unnoticed", name)
		}
	}
}

// checkJSONAST fails when jsonAST declines text or builds anything but go-jsonnet's AST.
func checkJSONAST(t *testing.T, name, text string) {
	t.Helper()
	want, err := gojsonnet.SnippetToAST(name, text)
	if err != nil {
		t.Fatalf("%s: go-jsonnet: %v", name, err)
	}
	got, ok := jsonAST(name, text)
	if !ok {
		t.Fatalf("%s: jsonAST declined %q", name, abbreviate(text))
	}
	if d := differs(got, want); d != "" {
		t.Fatalf("%s: %s\ninput %q", name, d, abbreviate(text))
	}
}

// abbreviate shortens long inputs in messages.
func abbreviate(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

func TestJSONASTMatchesGoJsonnet(t *testing.T) {
	cases := []string{
		`{}`, `[]`, `""`, `0`, `-0`, `1`, `-1.5e-3`, `2E+10`, `0.5`, `true`, `false`, `null`,
		"{\n  \"a\": [1, -2.5e3, \"x\\u00e9\\n\", true, false, null, {}],\n  \"b\": {\"c\": \"d\"}\n}\n",
		`[{"a": {"b": [{"c": []}]}}, [[[]]], {"$": "self", "x": [{"y": 1}]}]`,
		`{"esc": "\" \\ \/ \b \f \n \r \t \u0000 \u001f \u00ff \u20ac \uFFFF"}`,
		"{\r\n\t\"crlf\" : [ 1 ,2 ] \r\n}",
		"  \n\n  [\n\n]  \n\n",
		`{"unicode key é": "日本語", "emoji": "😀"}`,
		`{"a": {"a": {"a": {}}}, "b": [{}, {"c": [{}]}]}`,
		`[[[[["deep"]]]], {"k": [[{"m": [-1]}]]}]`,
		`"no newline at the end"`,
		"[1]\n",
	}
	for i, c := range cases {
		checkJSONAST(t, "case"+strconv.Itoa(i)+".json", c)
	}
}

func TestJSONASTMatchesGoJsonnetOnGeneratedDocuments(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 7))
	for i := range 400 {
		doc := generateJSON(r, 0)
		var text []byte
		switch i % 3 {
		case 0:
			text, _ = json.Marshal(doc)
		case 1:
			text, _ = json.MarshalIndent(doc, "", "  ")
		default:
			text, _ = json.MarshalIndent(doc, "\t", "\t")
			text = append(text, '\n')
		}
		checkJSONAST(t, "vendor/gen/doc"+strconv.Itoa(i)+".json", string(text))
	}
}

// generateJSON returns a random JSON value: nested objects and arrays, numbers of every form
// encoding/json writes, strings with escapes and multi-byte characters.
func generateJSON(r *rand.Rand, depth int) any {
	kind := r.IntN(9)
	if depth > 5 {
		kind = r.IntN(5)
	}
	switch kind {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return []float64{0, 1, -1, 0.5, -1e-7, 1e21, 123456789, -3.25e100, 5e-324}[r.IntN(9)] * float64(r.IntN(3)+1)
	case 3, 4:
		return generateString(r)
	case 5, 6:
		n := r.IntN(5)
		out := make([]any, n)
		for i := range out {
			out[i] = generateJSON(r, depth+1)
		}
		return out
	default:
		n := r.IntN(6)
		out := make(map[string]any, n)
		for range n {
			out[generateString(r)] = generateJSON(r, depth+1)
		}
		return out
	}
}

// generateString returns a short random string of characters that need escaping and others.
func generateString(r *rand.Rand) string {
	parts := []string{"a", "key", "\"", "\\", "/", "\n", "\t", "\x01", "é", "€", "😀", "<", "&", "\u2028", " "}
	var b strings.Builder
	for range r.IntN(6) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// TestJSONASTMatchesGoJsonnetOnRepositoryFiles compares every JSON file of the repository's
// Go packages that go-jsonnet parses (schemas, indexes, test data).
func TestJSONASTMatchesGoJsonnetOnRepositoryFiles(t *testing.T) {
	var files []string
	err := filepath.WalkDir("..", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gojsonnet.SnippetToAST(p, string(data)); err != nil {
			continue
		}
		if _, ok := jsonAST(p, string(data)); !ok {
			continue // declined files are checked by TestJSONASTDeclines' kinds
		}
		checkJSONAST(t, p, string(data))
		compared++
	}
	if compared < 20 {
		t.Fatalf("compared only %d JSON files of %d", compared, len(files))
	}
}

func TestJSONASTDeclines(t *testing.T) {
	for _, text := range []string{
		``, ` `, `{`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{a: 1}`, `'single'`, `01`, `1.`, `.5`, `-`,
		`1e`, `+1`, `1_000`, `0x10`, `[1 2]`, `{"a": 1} {}`, `// comment` + "\n1", `/* c */ 1`,
		`"raw` + "\n" + `newline"`, `"\x"`, `"\u12"`, `"\ud83d\ude00"`, `"\udc00"`, `{"a": 1, "a": 2}`,
		"\ufeff{}", "\"\xff\"", `truex`, `nulls`, `[true1]`, `NaN`, `Infinity`, `1 + 1`, `{"a": local x = 1; x}`,
		strings.Repeat("[", jsonASTMaxDepth+2) + strings.Repeat("]", jsonASTMaxDepth+2),
	} {
		if _, ok := jsonAST("x.json", text); ok {
			t.Errorf("jsonAST accepted %q", abbreviate(text))
		}
	}
	// Duplicate keys in a large object are found too.
	var b strings.Builder
	b.WriteString("{")
	for i := range 20 {
		fmt.Fprintf(&b, "%q: %d, ", "k"+strconv.Itoa(i), i)
	}
	b.WriteString(`"k3": 0}`)
	if _, ok := jsonAST("x.json", b.String()); ok {
		t.Error("jsonAST accepted a large object with a duplicate key")
	}
}

// FuzzJSONAST checks that whatever jsonAST accepts, go-jsonnet parses to the same AST.
func FuzzJSONAST(f *testing.F) {
	f.Add(`{"a": [1, -2.5e3, "x\u00e9", true, false, null, {}], "b": {"c": "d"}}`)
	f.Add("[\n  {\"k\": \"\\n\"},\n  -0.0e+1\n]\n")
	f.Add(`"\ud83d\ude00"`)
	f.Add(`{"a": 1, "a": 2}`)
	f.Fuzz(func(t *testing.T, text string) {
		got, ok := jsonAST("f.json", text)
		if !ok {
			return
		}
		want, err := gojsonnet.SnippetToAST("f.json", text)
		if err != nil {
			t.Fatalf("jsonAST accepted what go-jsonnet rejects (%v): %q", err, text)
		}
		if d := differs(got, want); d != "" {
			t.Fatalf("%s\ninput %q", d, text)
		}
	})
}
