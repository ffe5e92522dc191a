package interp

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// result is one program's outcome under one evaluator.
type result struct {
	out     string
	err     error
	decline *Decline
}

// testNatives are native functions the differential tests offer both evaluators.
func testNatives() []*gojsonnet.NativeFunction {
	return []*gojsonnet.NativeFunction{
		{Name: "jsonToString", Params: ast.Identifiers{"x"}, Func: func(a []any) (any, error) {
			var b strings.Builder
			writeJSON(&b, a[0], false, "")
			return b.String(), nil
		}},
		{Name: "nativeError", Params: ast.Identifiers{}, Func: func([]any) (any, error) {
			return nil, errors.New("native function error")
		}},
		{Name: "echo", Params: ast.Identifiers{"x"}, Func: func(a []any) (any, error) { return a[0], nil }},
	}
}

func newTestVM(jpath ...string) *gojsonnet.VM {
	vm := gojsonnet.MakeVM()
	vm.Importer(&gojsonnet.FileImporter{JPaths: jpath})
	for _, n := range testNatives() {
		vm.NativeFunction(n)
	}
	vm.ExtVar("var1", "test")
	vm.ExtCode("var2", "{x: 1, y: std.thisFile}")
	return vm
}

var testOpts = Options{MaxStack: 500, ExtVars: map[string]string{"var1": "test"}, ExtCode: map[string]string{"var2": "{x: 1, y: std.thisFile}"}}

// both evaluates code (as the file name) with go-jsonnet and with the interp evaluator.
func both(t *testing.T, name, code string) (want, got result) {
	t.Helper()
	node, err := gojsonnet.SnippetToAST(name, code)
	if err != nil {
		// A static error: go-jsonnet reports it before any evaluation.
		return result{err: err}, result{err: err, decline: &Decline{Runtime: true, Reason: err.Error()}}
	}
	vm := newTestVM(filepath.Dir(name))
	want.out, want.err = vm.Evaluate(node)

	node2, err := gojsonnet.SnippetToAST(name, code)
	if err != nil {
		t.Fatal(err)
	}
	ev := New(newTestVM(filepath.Dir(name)), testNatives())
	v, err := ev.Evaluate(node2, testOpts)
	if err != nil {
		got.err = err
		errors.As(err, &got.decline)
		return want, got
	}
	var b strings.Builder
	writeJSON(&b, v, true, "")
	b.WriteByte('\n')
	got.out = b.String()
	return want, got
}

// checkSame fails when the interp evaluator produced a value go-jsonnet did not produce.
// It returns whether the evaluator declined.
func checkSame(t *testing.T, name, code string) (declined bool) {
	t.Helper()
	want, got := both(t, name, code)
	if got.err != nil {
		if got.decline == nil || got.decline.Internal {
			t.Errorf("%s: interp error that is not a decline: %v", name, got.err)
		}
		if want.err == nil && got.decline != nil && got.decline.Runtime {
			t.Errorf("%s: interp failed (%v) where go-jsonnet succeeded", name, got.err)
		}
		return true
	}
	if want.err != nil {
		t.Errorf("%s: interp succeeded where go-jsonnet failed with %v\ninterp: %.300s", name, want.err, got.out)
		return false
	}
	if want.out != got.out {
		t.Errorf("%s: outputs differ\n%s", name, firstDiff(want.out, got.out))
	}
	return false
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n go-jsonnet: " + al[i] + "\n interp:     " + bl[i]
		}
	}
	return "lengths differ: " + itoa(len(al)) + " vs " + itoa(len(bl)) + " lines"
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	var buf [20]byte
	return string(appendNumber(buf[:0], float64(i)))
}

// goJsonnetDir is the go-jsonnet module directory (its testdata is the differential corpus).
func goJsonnetDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/google/go-jsonnet").Output()
	if err != nil {
		t.Fatalf("go list go-jsonnet: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// TestGoJsonnetTestdata evaluates every program of go-jsonnet's own test suite with both
// evaluators: wherever go-jsonnet succeeds the interp evaluator must give the same text or
// decline, and wherever go-jsonnet fails the interp evaluator must decline.
func TestGoJsonnetTestdata(t *testing.T) {
	dir := filepath.Join(goJsonnetDir(t), "testdata")
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonnet"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no go-jsonnet testdata in %s: %v", dir, err)
	}
	var served, declined int
	var reasons = map[string]int{}
	for _, f := range files {
		code, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, got := both(t, f, string(code))
		if want.err == nil && got.decline != nil && !got.decline.Runtime {
			reasons[got.decline.Reason]++
		}
		if checkSame(t, f, string(code)) {
			declined++
		} else {
			served++
		}
	}
	t.Logf("%d programs: %d served, %d declined", len(files), served, declined)
	for r, n := range reasons {
		t.Logf("declined (go-jsonnet succeeded) %dx: %s", n, r)
	}
}
