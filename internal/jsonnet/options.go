package jsonnet

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
)

// DefaultMaxStack is the stack limit used when Options.MaxStack is zero (go-jsonnet's and
// Tanka's default).
const DefaultMaxStack = 500

// Limits of std.native('parseYaml') used when the Options leave them zero.
const (
	// DefaultParseYAMLMaxBytes bounds the text one parseYaml call accepts (16 MiB).
	DefaultParseYAMLMaxBytes = 16 << 20
	// DefaultParseYAMLMaxNodes bounds the YAML nodes one parseYaml call may produce with
	// aliases and merge keys expanded, which stops "billion laughs" documents before they
	// are expanded.
	DefaultParseYAMLMaxNodes = 1_000_000
)

// Options configure a VM. The zero value of every field except Root is usable.
type Options struct {
	// Root is the absolute path of the repository root: the sandbox. Nothing outside it
	// (after following symlinks) is ever read.
	Root string
	// JPath lists the repository-relative directories searched, in this order, after the
	// importing file's own directory. For Tanka compatibility: base, <root>/lib,
	// <base>/vendor, <root>/vendor.
	JPath []string
	// ExtVars are external variables with string values (--ext-str, -V).
	ExtVars map[string]string
	// ExtCode are external variables whose values are Jsonnet code (--ext-code).
	ExtCode map[string]string
	// TLAVars are top-level arguments with string values (--tla-str, -A).
	TLAVars map[string]string
	// TLACode are top-level arguments whose values are Jsonnet code (--tla-code).
	TLACode map[string]string
	// MaxStack is the maximum number of Jsonnet stack frames; 0 means DefaultMaxStack.
	MaxStack int
	// TkEnv is the JSON value of `import 'tk'` ({"env": <environment>}); nil means the
	// evaluation is not rendering an environment and `import 'tk'` is an error. When set,
	// std.extVar('tanka.dev/environment') yields its env field too, as in Tanka.
	TkEnv []byte
	// TraceOut receives the output of std.trace; nil discards it.
	TraceOut io.Writer
	// DisableNativeFormat turns off native formatting: std.format and the string % operator
	// then run go-jsonnet's implementation written in Jsonnet everywhere. By default they are
	// served by a Go implementation whenever it is certain to give the same result, output or
	// error (see format.go and format_rewrite.go), at a small fraction of the cost.
	DisableNativeFormat bool
	// OutputSink evaluates files through kforge's output sink (sink.go) instead of letting
	// go-jsonnet write the output text: the same bytes, errors and trace output, with less
	// allocated at the end of the evaluation. Evaluation workers (internal/isolate) turn it on,
	// where it saves a collection of the whole heap; in a process that goes on to decode the
	// output it did not pay (docs/performance.md).
	OutputSink bool
	// DisableJSONFastPath makes go-jsonnet parse imported .json files itself. By default kforge
	// builds their AST in one pass over the JSON (jsonast.go), the same tree go-jsonnet builds
	// apart from formatting fodder, in a fraction of the time and memory.
	DisableJSONFastPath bool
	// DisableInterp evaluates with go-jsonnet alone. By default a file is first evaluated by
	// kforge's own evaluator (internal/jsonnet/interp), which gives go-jsonnet's output for
	// every program it serves in a fraction of the time; any program that fails, or uses
	// something that evaluator leaves to go-jsonnet, is then evaluated by go-jsonnet, which
	// reports its own error.
	DisableInterp bool
	// OnSinkRetry, when set, is called when the output sink's attempt failed and the normal
	// evaluation starts afresh (it reports the error with go-jsonnet's message and trace).
	// Evaluation workers use it to give that evaluation a whole --eval-timeout of its own.
	// It is not sent to workers (gob skips functions).
	OnSinkRetry func()
	// ParseYAMLMaxBytes is the largest text std.native('parseYaml') accepts; 0 means
	// DefaultParseYAMLMaxBytes.
	ParseYAMLMaxBytes int
	// ParseYAMLMaxNodes is the most YAML nodes one parseYaml call may produce, aliases and
	// merge keys expanded; 0 means DefaultParseYAMLMaxNodes.
	ParseYAMLMaxNodes int
}

// VarKind says which of the four variable maps a command-line value goes to.
type VarKind int

// The kinds of external variable and top-level argument.
const (
	// VarExtStr is an external variable with a string value (--ext-str, -V).
	VarExtStr VarKind = iota + 1
	// VarExtCode is an external variable holding Jsonnet code (--ext-code).
	VarExtCode
	// VarTLAStr is a top-level argument with a string value (--tla-str, -A).
	VarTLAStr
	// VarTLACode is a top-level argument holding Jsonnet code (--tla-code).
	VarTLACode
)

// String returns the flag name of the kind ("ext-str", "ext-code", "tla-str", "tla-code").
func (k VarKind) String() string {
	switch k {
	case VarExtStr:
		return "ext-str"
	case VarExtCode:
		return "ext-code"
	case VarTLAStr:
		return "tla-str"
	case VarTLACode:
		return "tla-code"
	default:
		return fmt.Sprintf("VarKind(%d)", int(k))
	}
}

// maps returns the map the kind writes to and the map of the same namespace holding the
// other representation (string vs code), creating them as needed.
func (o *Options) maps(kind VarKind) (target, sibling map[string]string, err error) {
	ensure := func(m *map[string]string) map[string]string {
		if *m == nil {
			*m = make(map[string]string)
		}
		return *m
	}
	switch kind {
	case VarExtStr:
		return ensure(&o.ExtVars), o.ExtCode, nil
	case VarExtCode:
		return ensure(&o.ExtCode), o.ExtVars, nil
	case VarTLAStr:
		return ensure(&o.TLAVars), o.TLACode, nil
	case VarTLACode:
		return ensure(&o.TLACode), o.TLAVars, nil
	default:
		return nil, nil, fmt.Errorf("set variable: unknown kind %v", kind)
	}
}

// SetVar sets an external variable or top-level argument. A later value for the same name
// replaces an earlier one, also across the string and code forms, as with jsonnet's flags.
func (o *Options) SetVar(kind VarKind, name, value string) error {
	if name == "" {
		return fmt.Errorf("set %s: empty variable name", kind)
	}
	target, sibling, err := o.maps(kind)
	if err != nil {
		return err
	}
	delete(sibling, name)
	target[name] = value
	return nil
}

// ParseVar handles a flag value "name=value" (-V, --ext-str, --ext-code, -A, --tla-str,
// --tla-code). A bare "name" takes the value of the environment variable of that name, as in
// jsonnet and Tanka; lookupEnv (os.LookupEnv in the CLI) supplies it.
func (o *Options) ParseVar(kind VarKind, spec string, lookupEnv func(string) (string, bool)) error {
	name, value, hasValue := strings.Cut(spec, "=")
	if name == "" {
		return fmt.Errorf("parse --%s %q: expected name=value or name", kind, spec)
	}
	if !hasValue {
		var ok bool
		if lookupEnv != nil {
			value, ok = lookupEnv(name)
		}
		if !ok {
			return fmt.Errorf("parse --%s %q: no value given and environment variable %s is not set", kind, spec, name)
		}
	}
	return o.SetVar(kind, name, value)
}

// ParseVarFile handles a flag value "name=path" of --ext-str-file, --ext-code-file,
// --tla-str-file or --tla-code-file (kind names the variable kind); see AddFile.
func (o *Options) ParseVarFile(kind VarKind, spec string) error {
	name, file, ok := strings.Cut(spec, "=")
	if !ok || name == "" || file == "" {
		return fmt.Errorf("parse --%s-file %q: expected name=path", kind, spec)
	}
	return o.AddFile(kind, name, file)
}

// AddFile binds a variable to the content of a file inside the repository: a string for
// VarExtStr/VarTLAStr, Jsonnet code for VarExtCode/VarTLACode. file is absolute or
// repository-relative and must stay inside Root (symlinks included). The variable is stored
// as ExtCode/TLACode `importstr "<path>"` or `import "<path>"`, so the file goes through the
// sandboxed importer: it is recorded in Result.Reads and errors in it carry its own
// file:line. The file is checked now so a bad flag fails early.
func (o *Options) AddFile(kind VarKind, name, file string) error {
	if o.Root == "" {
		return fmt.Errorf("add --%s-file %s: Options.Root is not set", kind, name)
	}
	probe, err := newSandbox(o.Root)
	if err != nil {
		return fmt.Errorf("add --%s-file %s: %w", kind, name, err)
	}
	rel, err := probe.relPath(file)
	if err != nil {
		return fmt.Errorf("add --%s-file %s: %w", kind, name, err)
	}
	e := probe.file(rel)
	switch {
	case e.failMsg != "":
		return fmt.Errorf("add --%s-file %s: %s", kind, name, e.failMsg)
	case !e.exists:
		return fmt.Errorf("add --%s-file %s: %s: no such file", kind, name, rel)
	}
	quoted, err := json.Marshal(rel)
	if err != nil {
		return fmt.Errorf("add --%s-file %s: %w", kind, name, err)
	}
	switch kind {
	case VarExtStr:
		return o.SetVar(VarExtCode, name, "importstr "+string(quoted))
	case VarExtCode:
		return o.SetVar(VarExtCode, name, "import "+string(quoted))
	case VarTLAStr:
		return o.SetVar(VarTLACode, name, "importstr "+string(quoted))
	case VarTLACode:
		return o.SetVar(VarTLACode, name, "import "+string(quoted))
	default:
		return fmt.Errorf("add file variable %s: unknown kind %v", name, kind)
	}
}

// repoRelative turns an absolute path under root, or a relative path, into a clean
// repository-relative slash path; anything leaving the root is an error.
func repoRelative(root, p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("empty path")
	}
	if filepath.IsAbs(p) {
		rel, err := filepath.Rel(filepath.Clean(root), p)
		if err != nil || !isLocal(filepath.ToSlash(rel)) {
			return "", fmt.Errorf("%s is outside the repository root", filepath.Base(p))
		}
		p = rel
	}
	clean := path.Clean(filepath.ToSlash(p))
	if !isLocal(clean) {
		return "", fmt.Errorf("%s is outside the repository root", clean)
	}
	return clean, nil
}
