package pipeline

import (
	"context"
	"fmt"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/project"
)

// Renderer evaluates and extracts the environments of one project. It is built once, by
// NewRenderer, and is safe for concurrent use: Render may be called for several environments at
// once.
type Renderer struct {
	project   *project.Project
	base      jsonnet.Options
	targets   *manifest.Filter
	evaluator jsonnet.Evaluator

	// memo and memoKey let Files reuse encoded files (memo.go); nil without a cache.
	memo    Memo
	memoKey string

	// warn receives warnings found while rendering (identical duplicates), each once: warned
	// holds those already given.
	warn   func(msg string)
	warnMu sync.Mutex
	warned map[string]bool

	// inline caches the evaluation of each inline entrypoint, so a file defining several
	// environments is evaluated once (Tanka evaluates it once per environment, plus once).
	mu     sync.Mutex
	inline map[string]jsonnet.Result
}

// Options configure a Renderer.
type Options struct {
	// Project is the repository.
	Project *project.Project
	// Jsonnet holds the ext vars, top-level arguments, stack and parseYaml limits shared by every
	// environment (zero limits take kforge.yaml's); its Root, JPath and TkEnv are set per
	// environment.
	Jsonnet jsonnet.Options
	// Targets (nil for all) filters the manifests.
	Targets *manifest.Filter
	// Evaluator runs the evaluations, e.g. in child processes under time and memory limits, or
	// through the render cache; nil evaluates in this process (jsonnet.NewInProcess).
	Evaluator jsonnet.Evaluator
	// Memo, when not nil, makes Files reuse the encoded files of an output seen before (cache.Store
	// implements it).
	Memo Memo
	// MemoKey must capture every input of the encoding besides the output and the environment's
	// settings: the kforge build and the target filters.
	MemoKey string
	// Warn, when not nil, receives each warning found while rendering (an identical duplicate
	// kept once) the first time it is found in the run.
	Warn func(msg string)
}

// Rendered is one environment's output.
type Rendered struct {
	// Env is the environment.
	Env environment.Environment
	// Manifests are the extracted, sorted and filtered manifests.
	Manifests []*manifest.Manifest
	// Reads lists every file the evaluation read, the basis of cache keys and affected-environment
	// selection.
	Reads []jsonnet.FileRead
	// Output is the evaluated JSON the manifests were extracted from: the key of Memoize.
	Output []byte
}

// NewRenderer returns a Renderer for opts.Project.
func NewRenderer(opts Options) *Renderer {
	p, base := opts.Project, opts.Jsonnet
	base.Root = p.Root
	if base.MaxStack == 0 {
		base.MaxStack = p.Config.Limits.MaxStack
	}
	if base.ParseYAMLMaxBytes == 0 {
		base.ParseYAMLMaxBytes = int(p.Config.Limits.ParseYAMLMaxBytes)
	}
	if base.ParseYAMLMaxNodes == 0 {
		base.ParseYAMLMaxNodes = int(p.Config.Limits.ParseYAMLMaxNodes)
	}
	ev := opts.Evaluator
	if ev == nil {
		ev = jsonnet.NewInProcess()
	}
	return &Renderer{
		project: p, base: base, targets: opts.Targets, evaluator: ev,
		memo: opts.Memo, memoKey: opts.MemoKey, inline: map[string]jsonnet.Result{}, warn: opts.Warn,
		warned: map[string]bool{},
	}
}

// Project is the project the Renderer renders.
func (r *Renderer) Project() *project.Project { return r.project }

// Environments lists every environment of the project below dir, evaluating the entrypoints that
// may hold inline environments. An empty dir means the configured environments directory when it
// exists (so Go test data and other trees elsewhere are never taken for environments), else the
// whole repository.
func (r *Renderer) Environments(ctx context.Context, dir string) ([]environment.Environment, error) {
	return r.listEnvironments(ctx, dir, false)
}

// listEnvironments is Environments; with keepBroken an entrypoint that fails to evaluate is kept
// as an environment with no spec (environment.ExpandEntrypoints) instead of failing the list.
func (r *Renderer) listEnvironments(ctx context.Context, dir string, keepBroken bool) ([]environment.Environment, error) {
	if dir == "" {
		if fi, err := os.Stat(r.project.Abs(r.project.Config.Environments)); err == nil && fi.IsDir() {
			dir = r.project.Config.Environments
		}
	}
	d, err := environment.Discover(r.project, dir)
	if err != nil {
		return nil, fmt.Errorf("list environments: %w", err)
	}
	expand := environment.Expand
	if keepBroken {
		expand = environment.ExpandEntrypoints
	}
	envs, err := expand(r.project, d, r.inlineEvalFunc(ctx))
	if err != nil {
		return nil, fmt.Errorf("list environments: %w", err)
	}
	return envs, nil
}

// Load resolves one path to its environments the way `tk show <path>` does.
func (r *Renderer) Load(ctx context.Context, path string) ([]environment.Environment, error) {
	envs, err := environment.Load(r.project, path, r.inlineEvalFunc(ctx))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", r.project.Rel(path), err)
	}
	return envs, nil
}

// inlineEvalFunc binds ctx to evalInline for environment discovery.
func (r *Renderer) inlineEvalFunc(ctx context.Context) environment.EvalFunc {
	return func(entrypoint string) ([]byte, error) { return r.evalInline(ctx, entrypoint) }
}

// evalInline evaluates an entrypoint that may define inline environments. As in Tanka,
// `import 'tk'` is not available there, because no environment is known yet.
func (r *Renderer) evalInline(ctx context.Context, entrypoint string) ([]byte, error) {
	res, err := r.evaluateInline(ctx, entrypoint)
	if err != nil {
		return nil, err
	}
	return []byte(res.JSON), nil
}

func (r *Renderer) evaluateInline(ctx context.Context, entrypoint string) (jsonnet.Result, error) {
	r.mu.Lock()
	res, ok := r.inline[entrypoint]
	r.mu.Unlock()
	if ok {
		return res, nil
	}
	base, _, err := r.project.Entrypoint(r.project.Abs(entrypoint))
	if err != nil {
		return jsonnet.Result{}, err
	}
	opts := r.base
	opts.JPath = r.project.JPath(base)
	opts.TkEnv = nil
	res, err = r.evaluator.Evaluate(ctx, opts, entrypoint, "")
	if err != nil {
		return jsonnet.Result{}, err
	}
	r.mu.Lock()
	r.inline[entrypoint] = res
	r.mu.Unlock()
	return res, nil
}

// Evaluate returns the raw JSON output of env's entrypoint (for `kforge eval`), with
// `import 'tk'` bound for static environments. For an inline environment it is the
// environment's data.
func (r *Renderer) Evaluate(ctx context.Context, env environment.Environment) (jsonnet.Result, error) {
	if env.Inline {
		res, err := r.evaluateInline(ctx, env.Entrypoint)
		if err != nil {
			return jsonnet.Result{}, err
		}
		return jsonnet.Result{JSON: string(env.Data), Reads: res.Reads}, nil
	}
	return r.evaluator.Evaluate(ctx, r.staticOptions(env), env.Entrypoint, "")
}

// EvaluateExpression evaluates expr against the value of env's entrypoint, bound to `main`, as
// `tk eval -e` does: "foo.bar" yields main.foo.bar and "['a-b']" yields main['a-b']. An empty
// expr yields main itself: the whole output of the entrypoint, for inline environments too.
func (r *Renderer) EvaluateExpression(ctx context.Context, env environment.Environment, expr string) (jsonnet.Result, error) {
	opts := r.staticOptions(env)
	if env.Inline {
		opts.TkEnv = nil
	}
	access := "main"
	switch {
	case strings.HasPrefix(expr, "["):
		access += expr
	case expr != "":
		access += "." + expr
	}
	dir := path.Dir(env.Entrypoint)
	code := fmt.Sprintf("local main = (import %q);\n%s\n", path.Base(env.Entrypoint), access)
	if tlas := tlaNames(opts); len(tlas) > 0 {
		// As tk does, a function entrypoint gets the top-level arguments before expr sees it:
		// the snippet becomes a function of the same arguments that calls it with them.
		args := make([]string, len(tlas))
		for i, n := range tlas {
			args[i] = n + "=" + n
		}
		code = fmt.Sprintf("function(%s)\n  local imported = (import %q);\n  local main = if std.isFunction(imported) then imported(%s) else imported;\n  %s\n",
			strings.Join(tlas, ", "), path.Base(env.Entrypoint), strings.Join(args, ", "), access)
	}
	return r.evaluator.Evaluate(ctx, opts, path.Join(dir, "<eval>"), code)
}

// jsonnetIdent matches the names a Jsonnet function parameter may have.
var jsonnetIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// tlaNames lists the top-level argument names of opts, sorted; nil when one is not a Jsonnet
// identifier, since no function can take it by name.
func tlaNames(opts jsonnet.Options) []string {
	var names []string
	for n := range opts.TLAVars {
		names = append(names, n)
	}
	for n := range opts.TLACode {
		names = append(names, n)
	}
	for _, n := range names {
		if !jsonnetIdent.MatchString(n) {
			return nil
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// EvalOptions are the options env's entrypoint is evaluated with: for a static environment its
// jpath and `import 'tk'`; for an inline one the jpath of its base and no `import 'tk'`.
func (r *Renderer) EvalOptions(env environment.Environment) jsonnet.Options {
	opts := r.staticOptions(env)
	if env.Inline {
		opts.TkEnv = nil
	}
	return opts
}

func (r *Renderer) staticOptions(env environment.Environment) jsonnet.Options {
	opts := r.base
	opts.JPath = r.project.JPath(path.Dir(env.Entrypoint))
	opts.TkEnv = env.TkEnvJSON()
	return opts
}

// Render evaluates env and extracts its manifests.
func (r *Renderer) Render(ctx context.Context, env environment.Environment) (*Rendered, error) {
	res, err := r.Evaluate(ctx, env)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", env.Name, err)
	}
	ms, warnings, err := r.extract(env, res.JSON)
	if err != nil {
		return nil, err
	}
	r.warnOnce(warnings)
	return &Rendered{Env: env, Manifests: ms, Reads: res.Reads, Output: []byte(res.JSON)}, nil
}

// Settings are the extraction settings env's spec asks for: default namespace, Tanka's
// environment label and resource defaults.
func Settings(env environment.Environment) manifest.Settings {
	s := manifest.Settings{
		Namespace:          env.Spec.Spec.Namespace,
		DefaultLabels:      env.Spec.Spec.ResourceDefaults.Labels,
		DefaultAnnotations: env.Spec.Spec.ResourceDefaults.Annotations,
	}
	if env.Spec.Spec.InjectLabels {
		s.InjectLabels = map[string]string{"tanka.dev/environment": env.EnvLabel()}
	}
	return s
}
