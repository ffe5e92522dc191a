package jsonnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// tankaEnvExtVar is the external variable Tanka binds to the environment object.
const tankaEnvExtVar = "tanka.dev/environment"

// FileRead is one file an evaluation read.
type FileRead struct {
	// Path is repository-relative, slash separated.
	Path string
	// SHA256 is the lower-case hex sha256 of the file's content.
	SHA256 string
}

// Result is the output of one evaluation.
type Result struct {
	// JSON is the manifested output, as go-jsonnet prints it (with a trailing newline).
	JSON string
	// Reads lists every file the evaluation read, sorted by Path: the evaluated file, every
	// import, importstr and importbin target (and, for a symlink, the file it leads to), and
	// files bound with Options.AddFile that the evaluation used.
	Reads []FileRead
}

// VM evaluates Jsonnet inside one repository with one configuration. It is the single
// factory for evaluations in kforge.
//
// go-jsonnet caches evaluated imports inside its own VM and would not ask the importer again,
// which would make the recorded reads of a second evaluation incomplete. So every
// EvaluateFile/EvaluateSnippet call runs on a fresh go-jsonnet VM with a fresh importer,
// while file contents (and their hashes) are cached in the VM and read from disk once.
// A VM is safe for concurrent use; files are assumed not to change during its lifetime.
type VM struct {
	*sandbox
	jpath    []string
	maxStack int
	extVars  map[string]string
	extCode  map[string]string
	tlaVars  map[string]string
	tlaCode  map[string]string
	tk       *gojsonnet.Contents
	traceOut io.Writer
	// nativeFormat routes std.format and % to Go where that is exact (format_rewrite.go).
	nativeFormat bool
	// formatCalls counts the calls of the Go formatter and the ones it declined.
	formatCalls formatStats
}

// NewVM validates opts and returns a VM. Maps in opts are copied.
func NewVM(opts Options) (*VM, error) {
	sb, err := newSandbox(opts.Root)
	if err != nil {
		return nil, fmt.Errorf("create jsonnet vm: %w", err)
	}
	vm := &VM{
		sandbox:  sb,
		maxStack: opts.MaxStack,
		extVars:  copyMap(opts.ExtVars),
		extCode:  copyMap(opts.ExtCode),
		tlaVars:  copyMap(opts.TLAVars),
		tlaCode:  copyMap(opts.TLACode),
		traceOut: opts.TraceOut,

		nativeFormat: !opts.DisableNativeFormat,
	}
	if vm.maxStack == 0 {
		vm.maxStack = DefaultMaxStack
	}
	if vm.maxStack < 0 {
		return nil, fmt.Errorf("create jsonnet vm: max stack must be positive, got %d", opts.MaxStack)
	}
	if vm.traceOut == nil {
		vm.traceOut = io.Discard
	}
	for _, d := range opts.JPath {
		clean := path.Clean(filepath.ToSlash(d))
		if d == "" || !isLocal(clean) {
			return nil, fmt.Errorf("create jsonnet vm: jpath entry %q must be a directory inside the repository (repository-relative)", d)
		}
		vm.jpath = append(vm.jpath, clean)
	}
	if err := checkDisjoint("external variable", vm.extVars, vm.extCode); err != nil {
		return nil, fmt.Errorf("create jsonnet vm: %w", err)
	}
	if err := checkDisjoint("top-level argument", vm.tlaVars, vm.tlaCode); err != nil {
		return nil, fmt.Errorf("create jsonnet vm: %w", err)
	}
	if opts.TkEnv != nil {
		if !json.Valid(opts.TkEnv) {
			return nil, errors.New("create jsonnet vm: the value of import 'tk' is not valid JSON")
		}
		c := gojsonnet.MakeContentsRaw(append([]byte(nil), opts.TkEnv...))
		vm.tk = &c
		_, isStr := vm.extVars[tankaEnvExtVar]
		_, isCode := vm.extCode[tankaEnvExtVar]
		if !isStr && !isCode {
			vm.extCode[tankaEnvExtVar] = "(import 'tk').env"
		}
	}
	return vm, nil
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func checkDisjoint(what string, str, code map[string]string) error {
	var both []string
	for k := range str {
		if _, ok := code[k]; ok {
			both = append(both, k)
		}
	}
	if len(both) > 0 {
		sort.Strings(both)
		return fmt.Errorf("%s %q is given both as a string and as code", what, both[0])
	}
	return nil
}

// EvaluateFile evaluates the repository-relative (or absolute, inside Root) Jsonnet file p.
// Errors are *Error.
func (vm *VM) EvaluateFile(p string) (Result, error) {
	rel, err := vm.relPath(p)
	if err != nil {
		return Result{}, &Error{Kind: KindSandbox, Message: fmt.Sprintf("evaluate: %v", err)}
	}
	imp := newImporter(vm)
	entry, lerr := imp.loadEntry(rel)
	if lerr != nil {
		return Result{}, lerr
	}
	node, err := gojsonnet.SnippetToAST(rel, entry.contents.String())
	if err != nil {
		return Result{}, imp.convertError(err, rel, vm.maxStack)
	}
	return vm.run(imp, node, rel)
}

// EvaluateSnippet evaluates code as if it were the repository-relative file filename: its
// relative imports start from filename's directory and errors name it. filename need not
// exist; "" means "<snippet>" at the root. Errors are *Error.
func (vm *VM) EvaluateSnippet(filename, code string) (Result, error) {
	if filename == "" {
		filename = "<snippet>"
	}
	clean := path.Clean(filepath.ToSlash(filename))
	if !isLocal(clean) || filepath.IsAbs(filename) {
		return Result{}, &Error{Kind: KindSandbox, Message: fmt.Sprintf("evaluate snippet: %s is outside the repository root", filepath.Base(filename))}
	}
	imp := newImporter(vm)
	node, err := gojsonnet.SnippetToAST(clean, code)
	if err != nil {
		return Result{}, imp.convertError(err, clean, vm.maxStack)
	}
	return vm.run(imp, node, clean)
}

// run evaluates node on a fresh go-jsonnet VM wired to imp.
func (vm *VM) run(imp *importer, node ast.Node, file string) (Result, error) {
	g := gojsonnet.MakeVM()
	g.MaxStack = vm.maxStack
	g.SetTraceOut(vm.traceOut)
	g.Importer(imp)
	for k, v := range vm.extVars {
		g.ExtVar(k, v)
	}
	for k, v := range vm.extCode {
		g.ExtCode(k, v)
	}
	for k, v := range vm.tlaVars {
		g.TLAVar(k, v)
	}
	for k, v := range vm.tlaCode {
		g.TLACode(k, v)
	}
	for _, f := range nativeFunctions() {
		g.NativeFunction(f)
	}
	if vm.nativeFormat {
		g.NativeFunction(nativeFormatFunction(&vm.formatCalls))
		g.NativeFunction(nativeFormatPlanFunction())
		imp.format = newFormatHook(g)
		node = imp.format.rewriter.rewriteRoot(node)
	}
	out, err := g.Evaluate(node)
	if err != nil {
		return Result{}, imp.convertError(err, file, vm.maxStack)
	}
	return Result{JSON: out, Reads: imp.sortedReads()}, nil
}
