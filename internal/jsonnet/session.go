package jsonnet

import (
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"github.com/kforge/kforge/internal/jsonnet/interp"
)

// Session evaluates many times in one repository, each time with its own Options (search
// path, `import 'tk'`, external variables, top-level arguments, stack limit), and keeps what
// does not depend on them: file contents and go-jsonnet's parsed, format-rewritten ASTs. The
// lib/ and vendor files shared by environments are therefore read, parsed and rewritten once
// per Session instead of once per evaluation.
//
// Every evaluation gives exactly what a fresh VM (NewVM with the same Options) gives: the same
// output bytes, the same errors and the same Result.Reads. go-jsonnet's cache of evaluated
// imports is emptied before each evaluation, so every import is resolved again, against that
// evaluation's search path, and recorded; only ASTs are reused, and go-jsonnet keys them by
// the resolved path, whose contents never change within a Session.
//
// A Session is not safe for concurrent use: give each goroutine its own. Files are assumed
// not to change during its lifetime (it caches their contents), so use a Session for one run
// and drop it.
type Session struct {
	sb *sandbox
	// engines are the go-jsonnet VMs, created on first use: [0] with native formatting,
	// [1] without (the rewritten ASTs differ).
	engines [2]*engine
	// formatCalls counts the calls of the Go formatter and the ones it declined.
	formatCalls formatStats
}

// NewSession returns a Session for the repository at root, an absolute path. Its errors are
// those of NewVM for the same root.
func NewSession(root string) (*Session, error) {
	sb, err := newSandbox(root)
	if err != nil {
		return nil, fmt.Errorf("create jsonnet vm: %w", err)
	}
	return &Session{sb: sb}, nil
}

// Root is the repository root the Session evaluates in, cleaned: Options.Root of every
// evaluation must name it.
func (s *Session) Root() string { return s.sb.root }

// EvaluateFile evaluates the repository-relative (or absolute, inside the root) Jsonnet file p
// with opts, as NewVM(opts) followed by EvaluateFile(p) would. opts.Root must be the
// Session's root. Errors about opts read as NewVM's; evaluation errors are *Error.
func (s *Session) EvaluateFile(opts Options, p string) (Result, error) {
	e, cfg, err := s.engine(opts)
	if err != nil {
		return Result{}, err
	}
	return e.evaluateFile(cfg, p)
}

// EvaluateSnippet evaluates code as if it were the file filename with opts, as NewVM(opts)
// followed by EvaluateSnippet(filename, code) would. opts.Root must be the Session's root.
// Errors about opts read as NewVM's; evaluation errors are *Error.
func (s *Session) EvaluateSnippet(opts Options, filename, code string) (Result, error) {
	e, cfg, err := s.engine(opts)
	if err != nil {
		return Result{}, err
	}
	return e.evaluateSnippet(cfg, filename, code)
}

// Evaluate is EvaluateSnippet when code is not empty and EvaluateFile of filename otherwise:
// the convention of kforge's evaluators (Evaluator).
func (s *Session) Evaluate(opts Options, filename, code string) (Result, error) {
	if code != "" {
		return s.EvaluateSnippet(opts, filename, code)
	}
	return s.EvaluateFile(opts, filename)
}

// engine validates opts and returns the engine that evaluates with them.
func (s *Session) engine(opts Options) (*engine, *config, error) {
	if opts.Root == "" || !filepath.IsAbs(opts.Root) {
		return nil, nil, errors.New("create jsonnet vm: repository root must be an absolute path")
	}
	if filepath.Clean(opts.Root) != s.sb.root {
		return nil, nil, errors.New("create jsonnet vm: Options.Root is not the root of the jsonnet session")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, nil, fmt.Errorf("create jsonnet vm: %w", err)
	}
	i := 0
	if !cfg.nativeFormat {
		i = 1
	}
	if s.engines[i] == nil || s.engines[i].broken {
		s.engines[i] = newEngine(s.sb, cfg.nativeFormat, &s.formatCalls)
	}
	return s.engines[i], cfg, nil
}

// engine is one go-jsonnet VM with its importer, evaluating one program at a time. A VM
// uses a new engine for every evaluation, a Session keeps one.
type engine struct {
	sb  *sandbox
	g   *gojsonnet.VM
	imp *importer
	// yaml holds the parseYaml limits of the evaluation under way; the native function
	// reads them at each call.
	yaml *yamlLimits
	// entries caches the ASTs (rewritten for native formatting when it is on) of the files
	// evaluated as programs, by repository-relative path.
	entries map[string]parsedEntry
	// tk gives each distinct value of `import 'tk'` its own contents and name: go-jsonnet
	// requires one content per name.
	tk map[string]*tkImport
	// broken is set when go-jsonnet crashed: its caches may be inconsistent.
	broken bool
	// sink receives the program's value on the fast path of evaluateFile (sink.go).
	sink *outputSink
	// sinkServed counts the evaluations the fast path served.
	sinkServed int
	// natives are the native functions registered with g.
	natives []*gojsonnet.NativeFunction
	// formatStats counts the Go formatter's calls.
	formatStats *formatStats
	// interp is kforge's evaluator over g's parsed files (interp.go), made on first use.
	interp *interp.Evaluator
	// interpServed counts the evaluations it served.
	interpServed int
}

// parsedEntry is the parsed program of one file.
type parsedEntry struct {
	// file is the sandbox entry the AST was parsed from.
	file *fileEntry
	// node and err are go-jsonnet's parse (goParsed), done only when needed.
	node     ast.Node
	err      error
	goParsed bool
	// rewritten is set once node is rewritten for native formatting.
	rewritten bool
	// kforge is the AST kforge's parser built (kforgeTried), nil when it refused the text.
	kforge      ast.Node
	kforgeTried bool
}

// goParse has go-jsonnet parse the program rel once.
func (p *parsedEntry) goParse(rel string) {
	if !p.goParsed {
		p.node, p.err = gojsonnet.SnippetToAST(rel, p.file.contents.String())
		p.goParsed = true
	}
}

// newEngine returns an engine reading through sb; stats counts its Go formatter calls.
func newEngine(sb *sandbox, nativeFormat bool, stats *formatStats) *engine {
	g := gojsonnet.MakeVM()
	imp := newImporter(sb)
	g.Importer(imp)
	imp.json = newJSONHook(g)
	limits := &yamlLimits{maxBytes: DefaultParseYAMLMaxBytes, maxNodes: DefaultParseYAMLMaxNodes}
	natives := nativeFunctions(limits)
	natives = append(natives, helmTemplateFunction(imp), kustomizeNative(sb, imp))
	if nativeFormat {
		natives = append(natives, nativeFormatFunction(stats), nativeFormatPlanFunction())
		imp.format = newFormatHook(g)
	}
	for _, f := range natives {
		g.NativeFunction(f)
	}
	sink := &outputSink{}
	g.NativeFunction(sinkFunction(sink))
	return &engine{sb: sb, g: g, imp: imp, yaml: limits, entries: map[string]parsedEntry{}, tk: map[string]*tkImport{}, sink: sink, natives: natives, formatStats: stats}
}

// evaluateFile implements VM.EvaluateFile and Session.EvaluateFile.
func (e *engine) evaluateFile(cfg *config, p string) (Result, error) {
	rel, err := e.sb.relPath(p)
	if err != nil {
		return Result{}, &Error{Kind: KindSandbox, Message: fmt.Sprintf("evaluate: %v", err)}
	}
	e.begin(cfg)
	entry, lerr := e.imp.loadEntry(rel)
	if lerr != nil {
		return Result{}, lerr
	}
	parsed, ok := e.entries[rel]
	if !ok || parsed.file != entry {
		parsed = parsedEntry{file: entry}
	}
	// kforge's evaluator takes the program as kforge's parser builds it; where that parser
	// refuses it (or kforge's evaluator is off), go-jsonnet parses it and reports its errors.
	if cfg.interp && !parsed.kforgeTried {
		parsed.kforge = kforgeParse(rel, entry.contents.String())
		parsed.kforgeTried = true
	}
	if !cfg.interp || parsed.kforge == nil {
		parsed.goParse(rel)
	}
	e.entries[rel] = parsed
	if parsed.err != nil {
		return Result{}, e.imp.convertError(parsed.err, rel, cfg.maxStack)
	}
	sinkFirst := cfg.outputSink
	if cfg.interp {
		program := parsed.kforge
		if program == nil {
			program = parsed.node
		}
		e.prepare(cfg)
		e.imp.format.deferRewrites()
		out, outcome := e.runInterp(cfg, program)
		if outcome == interpServed {
			e.interpServed++
			return Result{JSON: out, Reads: e.imp.sortedReads(), Misses: e.imp.sortedMisses()}, nil
		}
		// go-jsonnet evaluates afresh, as after the output sink's attempt, with the imported
		// files rewritten for native formatting as it would have found them (before the
		// importer forgets what the attempt read). A program that failed fails there too: the
		// sink would only fail once more.
		e.imp.format.flush()
		if outcome == interpFailed {
			sinkFirst = false
		}
		if cfg.onSinkRetry != nil {
			cfg.onSinkRetry()
		}
		e.begin(cfg)
		if _, lerr := e.imp.loadEntry(rel); lerr != nil {
			return Result{}, lerr
		}
	}
	node, err := e.rewrittenProgram(rel)
	if err != nil {
		return Result{}, e.imp.convertError(err, rel, cfg.maxStack)
	}
	if sinkFirst {
		e.prepare(cfg)
		out, ok := e.runSink(cfg, node)
		e.g.SetTraceOut(io.Discard)
		if ok {
			e.sinkServed++
			return Result{JSON: out, Reads: e.imp.sortedReads(), Misses: e.imp.sortedMisses()}, nil
		}
		// The normal evaluation starts afresh: what the fast path read, missed or refused is
		// forgotten, and the program's own file is recorded again.
		if cfg.onSinkRetry != nil {
			cfg.onSinkRetry()
		}
		e.begin(cfg)
		if _, lerr := e.imp.loadEntry(rel); lerr != nil {
			return Result{}, lerr
		}
	}
	return e.run(cfg, node, rel)
}

// rewrittenProgram returns the parsed program rel (e.entries holds it) rewritten for native
// formatting when that is on, parsing it with go-jsonnet and rewriting it the first time.
// kforge's evaluator takes the program as kforge's parser builds it; go-jsonnet takes this.
func (e *engine) rewrittenProgram(rel string) (ast.Node, error) {
	parsed := e.entries[rel]
	parsed.goParse(rel)
	if parsed.err != nil {
		return nil, parsed.err
	}
	if e.imp.format != nil && !parsed.rewritten {
		parsed.node = e.imp.format.rewriter.rewriteRoot(parsed.node)
		parsed.rewritten = true
	}
	e.entries[rel] = parsed
	return parsed.node, nil
}

// evaluateSnippet implements VM.EvaluateSnippet and Session.EvaluateSnippet.
func (e *engine) evaluateSnippet(cfg *config, filename, code string) (Result, error) {
	if filename == "" {
		filename = "<snippet>"
	}
	clean := path.Clean(filepath.ToSlash(filename))
	if !isLocal(clean) || filepath.IsAbs(filename) {
		return Result{}, &Error{Kind: KindSandbox, Message: fmt.Sprintf("evaluate snippet: %s is outside the repository root", filepath.Base(filename))}
	}
	e.begin(cfg)
	e.imp.program(clean, code)
	node, err := gojsonnet.SnippetToAST(clean, code)
	if err != nil {
		return Result{}, e.imp.convertError(err, clean, cfg.maxStack)
	}
	if e.imp.format != nil {
		node = e.imp.format.rewriter.rewriteRoot(node)
	}
	return e.run(cfg, node, clean)
}

// begin prepares the importer for an evaluation with cfg.
func (e *engine) begin(cfg *config) {
	var tk *tkImport
	if cfg.tk != nil {
		tk = e.tk[string(cfg.tk)]
		if tk == nil {
			tk = &tkImport{contents: gojsonnet.MakeContentsRaw(cfg.tk), foundAt: tkName(len(e.tk) + 1)}
			e.tk[string(cfg.tk)] = tk
		}
	}
	e.imp.begin(cfg.jpath, tk, cfg.fastJSON)
	e.imp.format.rewriteNow()
	for _, code := range cfg.extCode {
		e.imp.program("", code)
	}
	for _, code := range cfg.tlaCode {
		e.imp.program("", code)
	}
}

// run evaluates node with cfg. Setting the external variables empties go-jsonnet's cache of
// evaluated imports (ExtReset always does), so nothing evaluated before is reused: every
// import is resolved by the importer again and recorded in this evaluation's reads.
func (e *engine) run(cfg *config, node ast.Node, file string) (Result, error) {
	g := e.g
	e.prepare(cfg)
	g.SetTraceOut(cfg.traceOut)
	defer g.SetTraceOut(io.Discard)
	out, err := g.Evaluate(node)
	if err != nil {
		if strings.HasPrefix(err.Error(), "(CRASH)") {
			e.broken = true
		}
		return Result{}, e.imp.convertError(err, file, cfg.maxStack)
	}
	return Result{JSON: out, Reads: e.imp.sortedReads(), Misses: e.imp.sortedMisses()}, nil
}

// prepare configures the VM for an evaluation with cfg, except its trace output.
func (e *engine) prepare(cfg *config) {
	g := e.g
	g.MaxStack = cfg.maxStack
	*e.yaml = cfg.yaml
	g.ExtReset()
	g.TLAReset()
	for k, v := range cfg.extVars {
		g.ExtVar(k, v)
	}
	for k, v := range cfg.extCode {
		g.ExtCode(k, v)
	}
	for k, v := range cfg.tlaVars {
		g.TLAVar(k, v)
	}
	for k, v := range cfg.tlaCode {
		g.TLACode(k, v)
	}
}
