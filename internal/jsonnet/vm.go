package jsonnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"
	"sync/atomic"
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
	// import, importstr and importbin target (and, for a symlink, the file it leads to), files
	// bound with Options.AddFile that the evaluation used, every file and directory listing
	// (DirRead, "dir/") of the Helm charts std.native('helmTemplate') rendered, and the files
	// std.native('kustomizeBuild') read.
	Reads []FileRead
	// Misses are the repository-relative paths std.native('kustomizeBuild') looked for in
	// vain (a file created there may change the result), sorted; the import search's misses
	// are not listed (internal/affected computes them from the imports).
	Misses []string
}

// VM evaluates Jsonnet inside one repository with one configuration. It is the single
// factory for evaluations in kforge.
//
// Every EvaluateFile/EvaluateSnippet call runs on a fresh go-jsonnet VM with a fresh importer,
// so nothing but file contents (read from disk once, with their hashes) is shared between
// calls. A VM is safe for concurrent use; files are assumed not to change during its
// lifetime. A Session evaluates the same way but keeps go-jsonnet's parsed files across
// evaluations.
type VM struct {
	*sandbox
	cfg *config
	// formatCalls counts the calls of the Go formatter and the ones it declined.
	formatCalls formatStats
	// sinkServed counts the evaluations the output sink served (sink.go).
	sinkServed atomic.Int64
	// interpServed counts the evaluations kforge's evaluator served (interp.go).
	interpServed atomic.Int64
}

// config is a validated Options: what one evaluation is configured with.
type config struct {
	jpath    []string
	maxStack int
	extVars  map[string]string
	extCode  map[string]string
	tlaVars  map[string]string
	tlaCode  map[string]string
	// yaml bounds std.native('parseYaml').
	yaml yamlLimits
	// tk is the JSON of `import 'tk'`; nil when it is not available.
	tk       []byte
	traceOut io.Writer
	// nativeFormat routes std.format and % to Go where that is exact (format_rewrite.go).
	nativeFormat bool
	// outputSink evaluates files through the output sink (sink.go).
	outputSink bool
	// fastJSON parses imported JSON files with jsonAST (jsonast.go).
	fastJSON bool
	// interp evaluates files with kforge's evaluator first (interp.go).
	interp bool
	// onSinkRetry is Options.OnSinkRetry.
	onSinkRetry func()
}

// NewVM validates opts and returns a VM. Maps in opts are copied.
func NewVM(opts Options) (*VM, error) {
	sb, err := newSandbox(opts.Root)
	if err != nil {
		return nil, fmt.Errorf("create jsonnet vm: %w", err)
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("create jsonnet vm: %w", err)
	}
	return &VM{sandbox: sb, cfg: cfg}, nil
}

// newConfig validates everything in opts but Root. Maps and TkEnv are copied.
func newConfig(opts Options) (*config, error) {
	cfg := &config{
		maxStack: opts.MaxStack,
		extVars:  copyMap(opts.ExtVars),
		extCode:  copyMap(opts.ExtCode),
		tlaVars:  copyMap(opts.TLAVars),
		tlaCode:  copyMap(opts.TLACode),
		traceOut: opts.TraceOut,

		nativeFormat: !opts.DisableNativeFormat,
		outputSink:   opts.OutputSink,
		fastJSON:     !opts.DisableJSONFastPath,
		interp:       !opts.DisableInterp,
		onSinkRetry:  opts.OnSinkRetry,
		yaml:         yamlLimits{maxBytes: opts.ParseYAMLMaxBytes, maxNodes: opts.ParseYAMLMaxNodes},
	}
	if cfg.maxStack == 0 {
		cfg.maxStack = DefaultMaxStack
	}
	if cfg.yaml.maxBytes == 0 {
		cfg.yaml.maxBytes = DefaultParseYAMLMaxBytes
	}
	if cfg.yaml.maxNodes == 0 {
		cfg.yaml.maxNodes = DefaultParseYAMLMaxNodes
	}
	switch {
	case cfg.maxStack < 0:
		return nil, fmt.Errorf("max stack must be positive, got %d", opts.MaxStack)
	case cfg.yaml.maxBytes < 0:
		return nil, fmt.Errorf("the parseYaml size limit must be positive, got %d", opts.ParseYAMLMaxBytes)
	case cfg.yaml.maxNodes < 0:
		return nil, fmt.Errorf("the parseYaml node limit must be positive, got %d", opts.ParseYAMLMaxNodes)
	}
	if cfg.traceOut == nil {
		cfg.traceOut = io.Discard
	}
	for _, d := range opts.JPath {
		clean := path.Clean(filepath.ToSlash(d))
		if d == "" || !isLocal(clean) {
			return nil, fmt.Errorf("jpath entry %q must be a directory inside the repository (repository-relative)", d)
		}
		cfg.jpath = append(cfg.jpath, clean)
	}
	if err := checkDisjoint("external variable", cfg.extVars, cfg.extCode); err != nil {
		return nil, err
	}
	if err := checkDisjoint("top-level argument", cfg.tlaVars, cfg.tlaCode); err != nil {
		return nil, err
	}
	if opts.TkEnv != nil {
		if !json.Valid(opts.TkEnv) {
			return nil, errors.New("the value of import 'tk' is not valid JSON")
		}
		cfg.tk = append([]byte(nil), opts.TkEnv...)
		_, isStr := cfg.extVars[tankaEnvExtVar]
		_, isCode := cfg.extCode[tankaEnvExtVar]
		if !isStr && !isCode {
			cfg.extCode[tankaEnvExtVar] = "(import 'tk').env"
		}
	}
	return cfg, nil
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
	e := newEngine(vm.sandbox, vm.cfg.nativeFormat, &vm.formatCalls)
	res, err := e.evaluateFile(vm.cfg, p)
	vm.sinkServed.Add(int64(e.sinkServed))
	vm.interpServed.Add(int64(e.interpServed))
	return res, err
}

// EvaluateSnippet evaluates code as if it were the repository-relative file filename: its
// relative imports start from filename's directory and errors name it. filename need not
// exist; "" means "<snippet>" at the root. Errors are *Error.
func (vm *VM) EvaluateSnippet(filename, code string) (Result, error) {
	return newEngine(vm.sandbox, vm.cfg.nativeFormat, &vm.formatCalls).evaluateSnippet(vm.cfg, filename, code)
}
