package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/affected"
	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/project"
)

// Selection chooses the environments of a run.
type Selection struct {
	// WorkDir is the directory relative arguments and --changed-files are resolved against.
	WorkDir string
	// Args name environments: a directory, a main.jsonnet path, a name or a slug.
	Args []string
	// All selects every environment of the repository.
	All bool
	// Name picks inline environments by metadata.name (exact match beats substring).
	Name string
	// Since narrows the selection to the environments affected by what changed since this git
	// ref.
	Since string
	// ChangedFiles narrows the selection to the environments affected by these files.
	ChangedFiles []string
	// PoliciesMatter makes a change to the policies affect every environment (validate).
	PoliciesMatter bool
	// GoldenMatters makes a change to an environment's golden directory affect it (golden,
	// diff, validate).
	GoldenMatters bool
	// Single asks for exactly one environment (argocd-plugin generate, eval): a selection of
	// several, or of none, is a *NotOneError naming them.
	Single bool
	// Labels keeps the environments whose metadata.labels match this kubectl label selector
	// (-l/--selector, as in tk); nil keeps them all.
	Labels *environment.LabelSelector
	// Shard keeps one part of the environments selected by the fields above (--shard); the
	// zero Shard keeps them all.
	Shard Shard
	// Entrypoints lists entrypoints rather than environments (tool importers): an entrypoint
	// that fails to evaluate while inline environments are looked for stays selectable, by its
	// directory, instead of failing the run.
	Entrypoints bool
}

// NoEnvironmentsError is a run over every environment (--all) of a repository that has none: a
// CI job that renders or validates nothing must not pass silently.
type NoEnvironmentsError struct {
	// Dir is the repository root, relative to the working directory when inside it.
	Dir string
}

func (e *NoEnvironmentsError) Error() string {
	return "no environments found under " + e.Dir
}

// DisplayDir shows dir relative to wd when it is wd, below it or one of its ancestors (".."),
// else as it is.
func DisplayDir(wd, dir string) string {
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		return dir
	}
	for _, c := range strings.Split(filepath.ToSlash(rel), "/") {
		if c == ".." {
			continue
		}
		if strings.HasPrefix(rel, "..") {
			return dir
		}
		break
	}
	return rel
}

// FindProject locates the repository from the first argument that is an existing path
// (relative ones resolved against wd), else from wd.
func FindProject(wd string, args []string) (*project.Project, error) {
	start := wd
	for _, arg := range args {
		p := absPath(wd, arg)
		if _, err := os.Stat(p); err == nil {
			start = p
			break
		}
	}
	return project.Find(start)
}

// NotOneError is a selection of several environments, or none, for a command that works on
// exactly one.
type NotOneError struct {
	// Args are the environment arguments as given.
	Args []string
	// Names are the selected environments.
	Names []string
}

// Error implements error.
func (e *NotOneError) Error() string {
	what := strings.Join(e.Args, " ")
	if what == "" {
		what = "the selection"
	}
	if len(e.Names) == 0 {
		return fmt.Sprintf("%s selects no environment: name exactly one", what)
	}
	return fmt.Sprintf("%s selects %d environments (%s): name exactly one, with --name for inline environments", what, len(e.Names), strings.Join(e.Names, ", "))
}

// affectedOnly reports whether the selection is narrowed to affected environments.
func (s Selection) affectedOnly() bool { return s.Since != "" || len(s.ChangedFiles) > 0 }

// selectEnvironments resolves the environment arguments. When every argument is a path inside an
// environment, only those environments are loaded, as `tk show <path>` does, so a broken
// environment elsewhere does not stop this one. Otherwise (--all, names, slugs, directories
// holding several environments, or no argument with --since alone) the whole repository is
// discovered and filtered; discovered is then every environment found, else nil.
func (r *Run) selectEnvironments(ctx context.Context, sel Selection) (selected, discovered []environment.Environment, err error) {
	proj := r.renderer.project
	resolve := environment.PathResolver(proj, sel.WorkDir)
	if loaded, ok, err := r.loadByPath(ctx, resolve, sel.Args, sel.Name); ok || err != nil {
		if err != nil {
			return nil, nil, err
		}
		if sel.Name == "" {
			return sel.Labels.Filter(loaded), nil, nil
		}
		selected, err := environment.Select(loaded, nil, sel.Name, nil)
		return sel.Labels.Filter(selected), nil, err
	}
	all, err := r.renderer.listEnvironments(ctx, "", sel.Entrypoints)
	if err != nil {
		return nil, nil, err
	}
	selected, err = environment.Select(all, sel.Args, sel.Name, resolve)
	return sel.Labels.Filter(selected), all, err
}

// loadByPath loads the environments of args when every one is a path with an entrypoint; ok is
// false when some argument is not. Without name (--name), an entrypoint that defines several
// inline environments is a *environment.MultipleInlineError, as in tk.
func (r *Run) loadByPath(ctx context.Context, resolve environment.Resolver, args []string, name string) ([]environment.Environment, bool, error) {
	if len(args) == 0 {
		return nil, false, nil
	}
	proj := r.renderer.project
	paths := make([]string, len(args))
	for i, arg := range args {
		rel, _, ok := resolve(arg)
		if !ok {
			return nil, false, nil
		}
		if _, _, err := proj.Entrypoint(proj.Abs(rel)); err != nil {
			return nil, false, nil
		}
		paths[i] = proj.Abs(rel)
	}
	var envs []environment.Environment
	seen := map[string]bool{}
	for _, p := range paths {
		loaded, err := r.renderer.Load(ctx, p)
		if err != nil {
			return nil, true, err
		}
		// As in tk, an entrypoint defining several inline environments needs --name.
		if name == "" && len(loaded) > 1 {
			names := make([]string, len(loaded))
			for i, e := range loaded {
				names[i] = e.Name
			}
			slices.Sort(names)
			return nil, true, &environment.MultipleInlineError{Path: loaded[0].Entrypoint, Names: names}
		}
		for _, e := range loaded {
			if !seen[e.Name] {
				seen[e.Name] = true
				envs = append(envs, e)
			}
		}
	}
	return envs, true, nil
}

// changed lists the files named by ChangedFiles and Since, repository-relative. A directory in
// ChangedFiles stands for every file below it.
func (s Selection) changed(ctx context.Context, r *Renderer) ([]string, error) {
	var out []string
	for _, file := range s.ChangedFiles {
		files, err := ExpandDir(absPath(s.WorkDir, file))
		if err != nil {
			return nil, fmt.Errorf("--changed-files %s: %w", file, err)
		}
		for _, f := range files {
			out = append(out, r.project.Rel(f))
		}
	}
	if s.Since != "" {
		files, err := affected.ChangedSince(ctx, r.project.Root, s.Since)
		if err != nil {
			return nil, fmt.Errorf("files changed since %s: %w", s.Since, err)
		}
		out = append(out, files...)
	}
	return out, nil
}

// selectAffected narrows r.envs to those whose inputs include a changed file. PoliciesMatter
// makes a change to the policies select every environment, GoldenMatters a change to an
// environment's golden directory select it. ce, when not nil, knows the files each
// environment's last evaluation read; the others' imports are followed.
func (r *Run) selectAffected(ctx context.Context, s Selection, ce *cache.CachingEvaluator) (affected.Selection, error) {
	changed, err := s.changed(ctx, r.renderer)
	if err != nil {
		return affected.Selection{}, err
	}
	scanner := affected.NewScanner()
	// natives remembers which files mention a native function that reads files.
	natives := map[string]bool{}
	envs := make([]affected.Env, 0, len(r.envs))
	for _, env := range r.envs {
		opts := r.renderer.EvalOptions(env)
		e := affected.Env{Name: env.Name, Dir: env.Dir, JPath: opts.JPath, MissesKnown: true}
		if s.GoldenMatters {
			e.Extra = []string{r.renderer.GoldenTarget(env).Dir}
		}
		known := false
		if ce != nil {
			if entry, ok, err := ce.Lookup(opts, env.Entrypoint); err == nil && ok {
				e.Reads, e.Misses, known = readPaths(entry), entry.Misses, true
			}
		}
		if !known {
			code := make([]string, 0, len(opts.ExtCode)+len(opts.TLACode))
			for _, c := range opts.ExtCode {
				code = append(code, c)
			}
			for _, c := range opts.TLACode {
				code = append(code, c)
			}
			reads, misses, err := affected.ReadSet(scanner, r.renderer.project.Root, opts.JPath, env.Entrypoint, code)
			if err != nil {
				// Its render will report the problem: select it.
				e.Reads, e.MissesKnown = changed, false
			} else {
				e.Reads, e.Misses = reads, misses
				if err := r.addNativeReads(ctx, env, &e, natives); err != nil {
					// Its render will report the problem: select it.
					e.Reads, e.MissesKnown = changed, false
				}
			}
		}
		envs = append(envs, e)
	}
	sel := affected.Select(changed, envs, affected.Rules{Global: affected.GlobalPaths(r.renderer.project.Config, s.PoliciesMatter)})
	keep := map[string]bool{}
	for _, name := range sel.Envs {
		keep[name] = true
	}
	var kept []environment.Environment
	for _, env := range r.envs {
		if sel.All || keep[env.Name] {
			kept = append(kept, env)
		}
	}
	r.envs = kept
	return sel, nil
}

// addNativeReads completes the static read set of e when its files call a native function that
// reads files no import names (kustomizeBuild): it evaluates env, through the render cache when
// there is one (which then holds the entry for the next selection), and adds what the
// evaluation read and probed in vain. natives is affected.CallsFileNatives' memo for the run.
func (r *Run) addNativeReads(ctx context.Context, env environment.Environment, e *affected.Env, natives map[string]bool) error {
	uses, err := affected.CallsFileNatives(r.renderer.project.Root, e.Reads, natives)
	if err != nil || !uses {
		return err
	}
	res, err := r.renderer.Evaluate(ctx, env)
	if err != nil {
		return err
	}
	for _, f := range res.Reads {
		e.Reads = append(e.Reads, f.Path)
	}
	e.Misses = append(e.Misses, res.Misses...)
	return nil
}

// readPaths lists the files of a cache entry's reads.
func readPaths(e cache.Entry) []string {
	out := make([]string, len(e.Reads))
	for i, r := range e.Reads {
		out[i] = r.Path
	}
	return out
}

// ExpandDir returns every file below p when p is a directory (symbolic links not followed, in
// lexical order), else p itself, whether it exists or not (a deleted file is a change too).
func ExpandDir(p string) ([]string, error) {
	fi, err := os.Stat(p)
	if err != nil || !fi.IsDir() {
		return []string{p}, nil
	}
	var out []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list files: %w", fsutil.WithoutPath(err))
	}
	return out, nil
}
