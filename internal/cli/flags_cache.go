package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/pipeline"
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

// install wraps the evaluator of opts with the render cache and sets its memo, unless
// --no-cache. A cache directory that cannot be opened is a warning when it was asked for
// explicitly, and silently skipped otherwise (e.g. a read-only home directory in CI).
func (f *cacheFlags) install(streams IOStreams, opts *pipeline.Options, targets []string) *cache.CachingEvaluator {
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
			// Best effort: the run goes on without the cache whether or not stderr takes the warning.
			_, _ = fmt.Fprintf(streams.ErrOut, "Warning: render cache disabled: %v\n", err)
		}
		return nil
	}
	version := kforgeVersion()
	if exe, err := os.Executable(); err == nil {
		if id, err := cache.BuildID(exe); err == nil {
			version += " " + id
		}
	}
	ce := cache.NewEvaluator(opts.Evaluator, store, version)
	opts.Evaluator = ce
	// The encoded files depend on the build (the encoder) and the target filters too.
	opts.Memo, opts.MemoKey = store, version+" targets="+strings.Join(targets, "\x00")
	return ce
}
