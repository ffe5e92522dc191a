package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/affected"
	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
)

// cacheFlags control the render cache and the selection of environments affected by a change.
type cacheFlags struct {
	// dir is the cache directory; empty means $KFORGE_CACHE_DIR, else the user cache directory.
	dir string
	// off bypasses the cache.
	off bool
	// since selects the environments affected by what changed since this git ref.
	since string
	// changedFiles selects the environments affected by these files.
	changedFiles []string
}

func (f *cacheFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&f.dir, "cache-dir", "", "render cache directory (default $KFORGE_CACHE_DIR, else the user cache directory's kforge/)")
	fs.BoolVar(&f.off, "no-cache", false, "evaluate every environment, ignoring and not filling the render cache")
	fs.StringVar(&f.since, "since", "", "only environments affected by what changed since this git ref (committed, uncommitted and untracked)")
	fs.StringArrayVar(&f.changedFiles, "changed-files", nil, "only environments affected by these files (repeatable)")
}

// affectedOnly reports whether the selection is narrowed to affected environments.
func (f *cacheFlags) affectedOnly() bool { return f.since != "" || len(f.changedFiles) > 0 }

// install wraps r's evaluator with the render cache, unless --no-cache. A cache directory that
// cannot be opened is a warning when it was asked for explicitly, and silently skipped otherwise
// (e.g. a read-only home directory in CI).
func (f *cacheFlags) install(streams IOStreams, r *pipeline.Renderer, next pipeline.Evaluator, targets []string) *cache.CachingEvaluator {
	if f.off {
		return nil
	}
	dir, explicit := f.dir, f.dir != ""
	if !explicit {
		if d, ok := streams.lookupEnv("KFORGE_CACHE_DIR"); ok && d != "" {
			dir, explicit = d, true
		} else if d, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(d, "kforge")
		}
	}
	if dir == "" {
		return nil
	}
	store, err := cache.Open(dir)
	if err != nil {
		if explicit {
			fmt.Fprintf(streams.ErrOut, "Warning: render cache disabled: %v\n", err)
		}
		return nil
	}
	version := kforgeVersion()
	if exe, err := os.Executable(); err == nil {
		if id, err := cache.BuildID(exe); err == nil {
			version += " " + id
		}
	}
	ce := cache.NewEvaluator(next, store, version)
	r.SetEvaluator(ce)
	// The encoded files depend on the build (the encoder) and the target filters too.
	r.SetMemo(store, version+" targets="+strings.Join(targets, "\x00"))
	return ce
}

// changed lists the files named by --changed-files and --since, repository-relative.
func (f *cacheFlags) changed(ctx context.Context, proj *project.Project, wd string) ([]string, error) {
	var out []string
	for _, file := range f.changedFiles {
		out = append(out, proj.Rel(absPath(wd, file)))
	}
	if f.since != "" {
		files, err := affected.ChangedSince(ctx, proj.Root, f.since)
		if err != nil {
			return nil, fmt.Errorf("files changed since %s: %w", f.since, err)
		}
		out = append(out, files...)
	}
	return out, nil
}

// selectAffected narrows envs to those whose inputs include a changed file. withPolicies makes a
// change to the policies select every environment (validate), withGolden a change to an
// environment's golden directory select it (golden, diff).
func selectAffected(ctx context.Context, s *session, f *cacheFlags, wd string, withPolicies, withGolden bool) (affected.Selection, error) {
	changed, err := f.changed(ctx, s.project, wd)
	if err != nil {
		return affected.Selection{}, err
	}
	scanner := affected.NewScanner()
	envs := make([]affected.Env, 0, len(s.envs))
	for _, env := range s.envs {
		opts := s.renderer.EvalOptions(env)
		e := affected.Env{Name: env.Name, Dir: env.Dir, JPath: opts.JPath, MissesKnown: true}
		if withGolden {
			e.Extra = []string{s.renderer.GoldenTarget(env).Dir}
		}
		known := false
		if s.cache != nil {
			if entry, ok, err := s.cache.Lookup(opts, env.Entrypoint); err == nil && ok {
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
			reads, misses, err := affected.ReadSet(scanner, s.project.Root, opts.JPath, env.Entrypoint, code)
			if err != nil {
				// Its render will report the problem: select it.
				e.Reads, e.MissesKnown = changed, false
			} else {
				e.Reads, e.Misses = reads, misses
			}
		}
		envs = append(envs, e)
	}
	sel := affected.Select(changed, envs, affected.Rules{Global: affected.GlobalPaths(s.project.Config, withPolicies)})
	keep := map[string]bool{}
	for _, name := range sel.Envs {
		keep[name] = true
	}
	var kept []environment.Environment
	for _, env := range s.envs {
		if sel.All || keep[env.Name] {
			kept = append(kept, env)
		}
	}
	s.envs = kept
	return sel, nil
}

func readPaths(e cache.Entry) []string {
	out := make([]string, len(e.Reads))
	for i, r := range e.Reads {
		out[i] = r.Path
	}
	return out
}

// describeSelection says on stderr why environments were selected.
func describeSelection(streams IOStreams, sel affected.Selection, total int) {
	if sel.All {
		fmt.Fprintf(streams.ErrOut, "affected: all %d environments (%s)\n", total, sel.Reason)
		return
	}
	fmt.Fprintf(streams.ErrOut, "affected: %d of %d environments\n", len(sel.Envs), total)
	for _, name := range sel.Envs {
		fmt.Fprintf(streams.ErrOut, "  %s: %s\n", name, strings.Join(sel.Because[name], ", "))
	}
}
