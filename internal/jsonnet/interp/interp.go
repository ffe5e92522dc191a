package interp

import (
	"fmt"
	"strings"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
	"github.com/google/go-jsonnet/astgen"
)

// Importer resolves imports exactly as go-jsonnet's import cache does; *gojsonnet.VM is one.
// The evaluator asks it for the very ASTs go-jsonnet would evaluate, so parsing and
// everything done to parsed files (kforge's format rewrite, its JSON fast path) stay where
// they are.
type Importer interface {
	ImportAST(importedFrom, importedPath string) (ast.Node, string, error)
	ImportData(importedFrom, importedPath string) (string, string, error)
}

// Options configures one evaluation.
type Options struct {
	// MaxStack is go-jsonnet's VM.MaxStack.
	MaxStack int
	// ExtVars and ExtCode are the external variables, as strings and as code.
	ExtVars map[string]string
	ExtCode map[string]string
}

// Evaluator evaluates programs. It keeps what does not change between evaluations: the
// compiled standard library and the compiled code of every file it has seen (by AST root, so
// a file go-jsonnet parses again is compiled again). It is not safe for concurrent use.
type Evaluator struct {
	importer  Importer
	natives   map[string]*nativeFunc
	formatter Formatter
	std       *objectExpr
	compiled  map[ast.Node]expr
	// jsonDocs holds the value of each JSON document imported as text (JSONImporter), by
	// the name it was found under; nil when decodeJSON declined it.
	jsonDocs map[string]value
}

// Formatter renders std.format (and so the % operator on strings) in Go where that gives
// exactly what the standard library's Jsonnet implementation gives; where it declines, that
// implementation runs. Values reach it only when they are null, booleans, numbers or strings.
type Formatter interface {
	// Keys returns the mapping keys of str's directives, in order, or false when str cannot be
	// formatted with an object in Go.
	Keys(str string) ([]string, bool)
	// Format formats vals ([]any, one per directive, or map[string]any by mapping key).
	Format(str string, vals any) (string, bool)
}

// SetFormatter makes std.format use f. It must be called before the first evaluation.
func (ev *Evaluator) SetFormatter(f Formatter) { ev.formatter = f }

// nativeFunc is a go-jsonnet native function.
type nativeFunc struct {
	name   string
	params []ast.Identifier
	fn     func([]any) (any, error)
}

// New returns an Evaluator reading imports through importer and offering natives to
// std.native.
func New(importer Importer, natives []*gojsonnet.NativeFunction) *Evaluator {
	ev := &Evaluator{importer: importer, natives: map[string]*nativeFunc{}, compiled: map[ast.Node]expr{}, jsonDocs: map[string]value{}}
	for _, n := range natives {
		ev.natives[n.Name] = &nativeFunc{name: n.Name, params: n.Params, fn: n.Func}
	}
	return ev
}

// fileScope is the scope every file starts in: go-jsonnet binds std and $std.
func fileScope() *scope { return newScope(nil, "std", "$std") }

// stdObject compiles the standard library once: go-jsonnet's std.jsonnet with its Go
// builtins put in as hidden fields (they replace the Jsonnet definitions of the same name).
func (ev *Evaluator) stdObject() *objectExpr {
	if ev.std != nil {
		return ev.std
	}
	c := &compiler{}
	x, ok := c.compile(astgen.StdAst, newScope(nil, "$std"), true).(*objectExpr)
	if !ok || x.static == nil {
		unsupported("the standard library is not a plain object")
	}
	fields := make(map[string]*fieldDef, len(x.static)+100)
	for k, v := range x.static {
		fields[k] = v
	}
	for name, b := range builtinTable() {
		fields[name] = &fieldDef{hide: ast.ObjectFieldHidden, ready: &function{builtin: b}}
	}
	for _, name := range goBuiltinNames {
		if _, ok := fields[name]; !ok || fields[name].body != nil {
			fields[name] = &fieldDef{hide: ast.ObjectFieldHidden, ready: &function{builtin: declined(name)}}
		}
	}
	if ev.formatter != nil {
		if jsonnetFormat, ok := fields["format"]; ok && jsonnetFormat.body != nil {
			fields[jsonnetFormatField] = jsonnetFormat
			fields["format"] = &fieldDef{hide: jsonnetFormat.hide, ready: &function{builtin: formatBuiltin(ev.formatter)}}
		}
	}
	std := *x
	std.static = fields
	ev.std = &std
	return ev.std
}

// goBuiltinNames lists every function go-jsonnet v0.22 implements in Go. Those builtinTable
// lacks are declined: calling one leaves the evaluation to go-jsonnet.
var goBuiltinNames = []string{
	"id", "extVar", "length", "toString", "escapeStringJson", "trace", "makeArray", "flatMap",
	"join", "reverse", "filter", "foldl", "foldr", "member", "remove", "removeAt", "range",
	"primitiveEquals", "equals", "objectFieldsEx", "objectHasEx", "objectRemoveKey", "type",
	"char", "codepoint", "ceil", "floor", "sqrt", "hypot", "sin", "cos", "tan", "asin", "acos",
	"atan", "atan2", "log", "exp", "mantissa", "exponent", "round", "isEven", "isOdd",
	"isInteger", "isDecimal", "pow", "modulo", "md5", "sha1", "sha256", "sha512", "sha3", "xnor",
	"xor", "lstripChars", "rstripChars", "stripChars", "substr", "splitLimit", "splitLimitR",
	"strReplace", "isEmpty", "equalsIgnoreCase", "trim", "base64Decode", "base64DecodeBytes",
	"parseInt", "parseJson", "parseYaml", "manifestJsonEx", "manifestTomlEx", "manifestYamlDoc",
	"base64", "encodeUTF8", "decodeUTF8", "sort", "minArray", "maxArray", "native", "sum", "avg",
	"contains", "isNull", "$objectFlatMerge", "$flatMapArray",
}

// declined is a builtin this evaluator does not implement.
func declined(name string) *builtin {
	return &builtin{name: name, declined: true}
}

// compileFile compiles the AST of a file (or of external code, file ""), once.
func (ev *Evaluator) compileFile(node ast.Node, file string) expr {
	if x, ok := ev.compiled[node]; ok {
		return x
	}
	c := &compiler{file: file}
	x := c.compile(node, fileScope(), true)
	ev.compiled[node] = x
	return x
}

// Evaluate evaluates the program node (a file's AST, as go-jsonnet parsed it) and returns
// its value as go-jsonnet's manifestJSON gives it. A program whose value is a function is
// called without arguments, as go-jsonnet calls a top-level function when there are no
// top-level arguments. The error is a *Decline.
func (ev *Evaluator) Evaluate(node ast.Node, opts Options) (out any, err error) {
	err = ev.run(node, opts, func(m *machine, v value) { out = m.manifest(v) })
	return out, err
}

// EvaluateText is Evaluate returning the text go-jsonnet's evaluation prints for the value
// (serializeJSON: three-space indentation, sorted keys, a final newline), written while the
// value is manifested rather than from a manifested copy.
func (ev *Evaluator) EvaluateText(node ast.Node, opts Options) (text string, err error) {
	err = ev.run(node, opts, func(m *machine, v value) {
		var b strings.Builder
		m.writeManifest(&b, v, "")
		b.WriteByte('\n')
		text = b.String()
	})
	return text, err
}

// run evaluates the program node and hands its value to out; a *Decline (from out too) is the
// error.
func (ev *Evaluator) run(node ast.Node, opts Options, out func(m *machine, v value)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			d, ok := r.(*Decline)
			if !ok {
				// A fault of this evaluator: go-jsonnet evaluates the program instead.
				d = &Decline{Reason: fmt.Sprintf("internal error: %v", r), Internal: true}
			}
			err = d
		}
	}()
	m := &machine{
		cfg:         ev,
		limit:       opts.MaxStack,
		files:       map[string]*thunk{},
		importsSeen: map[[2]string]importEntry{},
		extVars:     map[string]*thunk{},
	}
	if m.limit <= 0 {
		m.limit = 500
	}
	stdCode := ev.stdObject()
	root := &env{vars: make([]value, 1)}
	stdObj := stdCode.eval(m, root).(*object)
	root.vars[0] = stdObj
	m.std = stdObj
	for name, v := range opts.ExtVars {
		m.extVars[name] = &thunk{val: validString(v)}
	}
	for name, code := range opts.ExtCode {
		m.extVars[name] = ev.extCode(m, name, code)
	}
	program := ev.compileFile(node, node.Loc().FileName)
	f := m.push(false)
	v := program.eval(m, m.fileEnv(node.Loc().FileName))
	m.pop(f)
	if fn, ok := v.(*function); ok {
		v = m.call(fn, nil, nil, false)
	}
	out(m, v)
	return nil
}

// extCode is the thunk of external code: parsed as go-jsonnet parses it (no file name, so its
// imports are relative to the root), evaluated with std.thisFile "<extvar:name>".
func (ev *Evaluator) extCode(m *machine, name, code string) *thunk {
	diag := "<extvar:" + name + ">"
	node, err := gojsonnet.SnippetToAST(diag, code)
	if err != nil {
		return &thunk{code: &errorConstExpr{msg: err.Error()}, env: &env{}}
	}
	return &thunk{code: ev.compileFile(node, ""), env: m.fileEnv(diag)}
}

// fileEnv is the environment a file starts in: std (with std.thisFile) as std and $std.
func (m *machine) fileEnv(file string) *env {
	this := readyObject(map[string]value{"thisFile": file}, ast.ObjectFieldHidden)
	std := extend(m.std, this)
	return &env{vars: []value{std, std}}
}

type importExpr struct{ from, path string }

func (x *importExpr) eval(m *machine, _ *env) value {
	key := [2]string{x.from, x.path}
	ent, ok := m.importsSeen[key]
	if !ok {
		ent, ok = m.importJSON(x.from, x.path)
	}
	if !ok {
		node, foundAt, err := m.cfg.importer.ImportAST(x.from, x.path)
		if err != nil {
			fail("%v", err)
		}
		th := m.files[foundAt]
		if th == nil {
			th = &thunk{code: m.cfg.compileFile(node, node.Loc().FileName), env: m.fileEnv(foundAt)}
			m.files[foundAt] = th
		}
		ent = importEntry{foundAt: foundAt, th: th}
		m.importsSeen[key] = ent
	}
	return m.force(ent.th)
}

// importJSON imports a JSON document as its value when the importer hands it over as text
// (JSONImporter) and decodeJSON takes it; the value is built once per file for the
// evaluator's life, as compiled code is.
func (m *machine) importJSON(from, path string) (importEntry, bool) {
	ji, ok := m.cfg.importer.(JSONImporter)
	if !ok {
		return importEntry{}, false
	}
	text, foundAt, ok := ji.ImportJSON(from, path)
	if !ok {
		return importEntry{}, false
	}
	th := m.files[foundAt]
	if th == nil {
		v, seen := m.cfg.jsonDocs[foundAt]
		if !seen {
			v, _ = decodeJSON(text)
			m.cfg.jsonDocs[foundAt] = v
		}
		if v == nil {
			return importEntry{}, false
		}
		th = &thunk{val: v}
		m.files[foundAt] = th
	}
	ent := importEntry{foundAt: foundAt, th: th}
	m.importsSeen[[2]string{from, path}] = ent
	return ent, true
}

type importStrExpr struct{ from, path string }

func (x *importStrExpr) eval(m *machine, _ *env) value {
	s, _, err := m.cfg.importer.ImportData(x.from, x.path)
	if err != nil {
		fail("%v", err)
	}
	return validString(s)
}

type importBinExpr struct{ from, path string }

func (x *importBinExpr) eval(m *machine, _ *env) value {
	s, _, err := m.cfg.importer.ImportData(x.from, x.path)
	if err != nil {
		fail("%v", err)
	}
	out := make([]value, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = float64(s[i])
	}
	return &array{elems: out}
}

// callNative calls a native function as go-jsonnet does: every argument manifested, the
// result converted back.
func (m *machine) callNative(f *nativeFunc, slots []value) value {
	args := make([]any, len(slots))
	for i, s := range slots {
		args[i] = m.manifest(m.force(s))
	}
	r, err := callGo(f, args)
	if err != nil {
		fail("%v", err)
	}
	return fromJSON(r)
}

func callGo(f *nativeFunc, args []any) (r any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("native function %q panicked: %v", f.name, p)
		}
	}()
	return f.fn(args)
}

// fromJSON is go-jsonnet's jsonToValue.
func fromJSON(v any) value {
	switch v := v.(type) {
	case nil:
		return null
	case bool:
		return v
	case float64:
		return checkNumber(v)
	case int:
		return checkNumber(float64(v))
	case int8:
		return checkNumber(float64(v))
	case int16:
		return checkNumber(float64(v))
	case int32:
		return checkNumber(float64(v))
	case int64:
		return checkNumber(float64(v))
	case string:
		return validString(v)
	case []any:
		out := make([]value, len(v))
		for i, el := range v {
			out[i] = fromJSON(el)
		}
		return &array{elems: out}
	case map[string]any:
		fields := make(map[string]value, len(v))
		for k, el := range v {
			fields[k] = fromJSON(el)
		}
		return readyObject(fields, ast.ObjectFieldInherit)
	}
	fail("Not a json type: %#+v", v)
	return nil
}
