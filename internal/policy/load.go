// Package policy evaluates Rego policies against rendered environments with
// the OPA Go SDK, in process.
//
// Policies are loaded and compiled once per run ([Load]): Rego v1, METADATA
// annotations processed, strict mode, and a capability set without network,
// clock, randomness or environment built-ins. Two styles of package are
// understood:
//
//   - kforge style: packages under data.kforge put findings
//     {"msg", "resource": {apiVersion, kind, namespace, name}} into the partial
//     sets deny (errors) and warn (warnings). Each rule body carries a METADATA
//     block (title, description, custom.id, custom.severity) that names the
//     finding it produces. Such a package sees one environment at a time:
//     {environment: {name, tier, labels, namespace}, resources: [...], previous: [...]}.
//   - conftest style: any other package selected by Options.Namespaces (default
//     "main") that defines deny, violation or warn rules, optionally suffixed
//     with _<name>. It sees one manifest at a time, exactly as conftest does,
//     including exception rules and data.conftest.file.
//
// Every finding is traced back to the rule body that produced it: before
// compiling, each reporting rule body is copied under a private name, so the
// engine can query the bodies one by one while the policies' own rules (and
// their tests) stay untouched. Both query shapes are prepared once and shared
// by every environment; [Engine.Evaluate] is safe for concurrent use.
package policy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/kforge/kforge/internal/finding"
)

// DefaultTimeout bounds one environment's evaluation when Options.Timeout is zero.
const DefaultTimeout = time.Minute

// DefaultNamespace is the conftest package evaluated when Options.Namespaces is empty.
const DefaultNamespace = "main"

// Options configures [Load].
type Options struct {
	// Root is the absolute repository root. Relative policy and data paths are
	// resolved against it, and every path in rules, findings and errors is
	// made relative to it. Empty means the working directory, paths as given.
	Root string
	// Namespaces selects the conftest-style packages to evaluate (conftest's
	// --namespace); empty means ["main"]. Packages under kforge are always evaluated.
	Namespaces []string
	// AllNamespaces evaluates every conftest-style package (conftest's --all-namespaces).
	AllNamespaces bool
	// Timeout bounds the evaluation of one environment; zero means
	// DefaultTimeout, a negative value means no limit.
	Timeout time.Duration
	// RegoVersion is the syntax the policies are written in: RegoV1 (or empty) or RegoV0.
	RegoVersion string
	// Builtin is the built-in policy pack (policies.FS), loaded with the directories unless
	// one of them declares one of its packages (a repository carrying its own copy of the
	// pack); nil loads none.
	Builtin fs.FS
	// Settings disable rules, override severities, map environments to tiers and waive
	// findings (kforge.yaml `policy`).
	Settings Settings
	// Given maps an absolute policy or data path to the name the user gave it; a path outside
	// Root (and anything below it) is shown by that name rather than as ../../…. A path outside
	// Root without one is shown absolute.
	Given map[string]string
}

// Engine holds compiled policies and the prepared queries that evaluate them.
// It is immutable after Load and safe for concurrent use.
type Engine struct {
	root    string
	given   map[string]string
	timeout time.Duration

	kforgeQuery *rego.PreparedEvalQuery
	kforgeRules []*reportingRule

	conftestQuery      *rego.PreparedEvalQuery
	conftestRules      []*reportingRule
	conftestExceptions int

	rules []finding.Rule
	byID  map[string]*finding.Rule

	// names turns the private names of copied rule bodies back into the
	// policy's own rule names in error messages.
	names *strings.Replacer

	// settings apply kforge.yaml's `policy` to findings and the catalogue.
	settings *settings
	// hygiene holds the ids of the hygiene rules (METADATA custom.hygiene: true): warnings
	// unless the environment's tier asks for them as errors.
	hygiene map[string]bool
	// builtin reports whether the built-in pack was loaded.
	builtin bool
	// dirs are the policy directories as reported (repository-relative when inside it).
	dirs []string
}

// Style names the two kinds of policy package the engine understands.
const (
	StyleKforge   = "kforge"
	StyleConftest = "conftest"
)

// reportingRule is one rule body whose results become findings.
type reportingRule struct {
	style    string
	pkg      string // package without "data."
	name     string // the policy's rule name: deny, warn, deny_foo, violation_bar
	binding  string // query variable holding the body's results
	ref      ast.Ref
	rule     finding.Rule // catalogue entry for this body
	hygiene  bool         // METADATA custom.hygiene: an opinion, a warning unless the tier is strict
	excepted string       // conftest: query variable of the exception check for this rule name
}

// Load reads the built-in pack (Options.Builtin) and every .rego file under dirs (recursively, tests included, hidden
// directories skipped), the data.json/data.yaml files among them and the
// dataFiles, compiles them once and prepares the queries Evaluate runs.
//
// Data files found in a policy directory are mounted under data by their
// subdirectory, as `opa eval -d` does: policies/data.json at the root of data,
// policies/canary/data.json under data.canary. Each file in dataFiles is
// mounted at the root. Overlapping values are an error naming both files.
//
// A policy that does not parse or compile yields [Errors] of KindCompile, one
// per problem, each naming the .rego file and line and the rule by the name
// the policy gives it. A policy directory that does not exist, or holds no
// .rego file but holds data files, is a KindLoad error naming it. No policy at all gives an
// engine that finds nothing.
func Load(ctx context.Context, dirs []string, dataFiles []string, opts Options) (*Engine, error) {
	version, err := ParseRegoVersion(opts.RegoVersion)
	if err != nil {
		return nil, &Error{Kind: KindLoad, Message: err.Error(), Err: err}
	}
	caps, removed := capabilities()
	e := &Engine{root: opts.Root, given: opts.Given, timeout: opts.Timeout}
	if e.timeout == 0 {
		e.timeout = DefaultTimeout
	}

	policyPaths := make([]string, len(dirs))
	for i, d := range dirs {
		policyPaths[i] = e.abs(d)
		e.dirs = append(e.dirs, e.rel(policyPaths[i]))
	}
	if err := e.checkDirs(dirs, policyPaths); err != nil {
		return nil, err
	}
	paths := slices.Clone(policyPaths)
	for _, p := range dataFiles {
		paths = append(paths, e.abs(p))
	}
	if err := e.checkFiles(policyPaths, paths[len(policyPaths):]); err != nil {
		return nil, err
	}
	result, err := loadFiles(paths, version, caps)
	if err != nil {
		return nil, e.loadError(err)
	}
	if err := e.checkModules(dirs, policyPaths, result.Modules); err != nil {
		return nil, err
	}

	modules := result.ParsedModules()
	documents := result.Documents
	if opts.Builtin != nil {
		bm, bd, err := e.loadBuiltin(opts.Builtin, caps)
		if err != nil {
			return nil, err
		}
		if !sharesPackage(modules, bm) {
			e.builtin = true
			maps.Copy(modules, bm)
			if documents, err = mergeDocuments(documents, bd); err != nil {
				return nil, err
			}
		}
	}
	e.settings = newSettings(opts.Settings, documents)
	plan, err := e.plan(modules, opts)
	if err != nil {
		return nil, err
	}
	e.names = privateNames(plan)

	compiler := ast.NewCompiler().
		WithStrict(strictFor(version)).
		WithCapabilities(caps).
		WithEnablePrintStatements(false)
	compiler.Compile(modules)
	if compiler.Failed() {
		return nil, e.compileErrors(compiler.Errors, removed)
	}
	if err := e.describe(compiler, plan); err != nil {
		return nil, err
	}

	store := inmem.NewFromObjectWithOpts(documents, inmem.OptReturnASTValuesOnRead(true))
	if len(e.kforgeRules) > 0 {
		pq, err := e.prepare(ctx, compiler, store, caps, kforgeQuery(e.kforgeRules))
		if err != nil {
			return nil, e.compileErrors(err, removed)
		}
		e.kforgeQuery = pq
	}
	if len(e.conftestRules) > 0 {
		pq, err := e.prepare(ctx, compiler, store, caps, e.conftestQueryText())
		if err != nil {
			return nil, e.compileErrors(err, removed)
		}
		e.conftestQuery = pq
	}
	e.catalogue()
	return e, nil
}

// abs resolves a relative policy or data path against the root.
func (e *Engine) abs(p string) string {
	if e.root != "" && !filepath.IsAbs(p) {
		return filepath.Join(e.root, p)
	}
	return p
}

// checkDirs reports every policy path that does not exist, by the name the
// caller gave it (repository-relative when it lies under the root).
func (e *Engine) checkDirs(dirs, paths []string) error {
	var errs Errors
	for i, p := range paths {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, &Error{Kind: KindLoad, Message: fmt.Sprintf("policy directory %s does not exist", e.rel(dirs[i])), Err: err})
		}
	}
	if len(errs) > 0 {
		return errs.simplify()
	}
	return nil
}

// checkModules reports every policy directory from which no .rego file was
// loaded although it holds files (hidden subdirectories are skipped), so
// that a mistaken --policy directory is not silently ignored. An empty
// directory is no policy, not an error.
func (e *Engine) checkModules(dirs, paths []string, modules map[string]*loader.RegoFile) error {
	var errs Errors
	for i, p := range paths {
		found := false
		for _, m := range modules {
			if within(p, m.Name) {
				found = true
				break
			}
		}
		if !found && holdsFiles(p) {
			errs = append(errs, &Error{Kind: KindLoad, Message: "no .rego files in " + e.rel(dirs[i])})
		}
	}
	if len(errs) > 0 {
		return errs.simplify()
	}
	return nil
}

// holdsFiles reports whether dir holds a file outside hidden directories: a directory of files
// without a policy is a mistake (a wrong path), where an empty directory is merely no policy.
func holdsFiles(dir string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if err == nil && !d.IsDir() {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// within reports whether file is dir itself or lies below it.
func within(dir, file string) bool {
	r, err := filepath.Rel(dir, file)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

// policyFileFilter keeps .rego files and files named data.json, data.yaml or
// data.yml below the given paths, and skips hidden directories. Paths given
// directly (depth 0) are always loaded.
func policyFileFilter(_ string, info os.FileInfo, depth int) bool {
	if depth == 0 {
		return false
	}
	name := info.Name()
	if info.IsDir() {
		return strings.HasPrefix(name, ".")
	}
	switch {
	case strings.HasSuffix(name, ".rego"):
		return false
	case name == "data.json", name == "data.yaml", name == "data.yml":
		return false
	}
	return true
}

// prepare compiles one query against the shared compiler and store.
func (e *Engine) prepare(ctx context.Context, c *ast.Compiler, store storage.Store, caps *ast.Capabilities, query string) (*rego.PreparedEvalQuery, error) {
	pq, err := rego.New(
		rego.Query(query),
		rego.Compiler(c),
		rego.Store(store),
		rego.StoreReadAST(true),
		rego.Capabilities(caps),
		rego.StrictBuiltinErrors(true),
		rego.SetRegoVersion(ast.RegoV1),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, err
	}
	return &pq, nil
}

// rel makes a loaded path repository-relative and slash-separated.
func (e *Engine) rel(p string) string {
	if p == "" {
		return ""
	}
	if e.root != "" && filepath.IsAbs(p) {
		// Only a path under the root is shown relative to it: one outside (--policy
		// ~/conftest-policies) is shown as the user gave it, not as ../../home/….
		if r, err := filepath.Rel(e.root, p); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(r)
		}
		if name, ok := e.givenName(p); ok {
			return name
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// givenName is the name the user gave p, or the directory holding it, when Options.Given has one.
func (e *Engine) givenName(p string) (string, bool) {
	p = filepath.Clean(p)
	for abs, name := range e.given {
		abs = filepath.Clean(abs)
		if p == abs {
			return filepath.ToSlash(name), true
		}
		if rest, ok := strings.CutPrefix(p, abs+string(filepath.Separator)); ok {
			return path.Join(filepath.ToSlash(name), filepath.ToSlash(rest)), true
		}
	}
	return "", false
}

// relText rewrites absolute paths under the root inside a message.
func (e *Engine) relText(s string) string {
	if e.root == "" {
		return s
	}
	return strings.ReplaceAll(s, filepath.Clean(e.root)+string(filepath.Separator), "")
}
