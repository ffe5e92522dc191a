package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/remotecache"
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
	// url is --cache-url, the shared store behind the local cache; given empty, it turns off
	// one named by $KFORGE_CACHE_URL or kforge.yaml.
	url optionalString
	// write pushes what the run renders to the shared store (--cache-write).
	write bool
}

// cacheURLEnv is the environment variable naming the shared render cache.
const cacheURLEnv = "KFORGE_CACHE_URL"

// optionalString is a string flag that remembers whether it was given, so that an empty value
// can override a default from elsewhere.
type optionalString struct {
	value string
	set   bool
}

// String implements pflag.Value.
func (o *optionalString) String() string { return o.value }

// Set implements pflag.Value.
func (o *optionalString) Set(s string) error {
	o.value, o.set = s, true
	return nil
}

// Type implements pflag.Value.
func (o *optionalString) Type() string { return "url" }

func (f *cacheFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&f.dir, "cache-dir", "", "render cache directory (default $KFORGE_CACHE_DIR, else the user cache directory's kforge/)")
	fs.BoolVar(&f.off, "no-cache", false, "evaluate every environment, ignoring and not filling the render cache")
	fs.StringVar(&f.since, "since", "", "only environments affected by what changed since this git ref (committed, uncommitted and untracked)")
	fs.StringArrayVar(&f.changedFiles, "changed-files", nil, "only environments affected by these files (repeatable)")
	fs.Var(&f.url, "cache-url", "shared render cache behind the local one: oci://REGISTRY/REPOSITORY, oci+http://REGISTRY/REPOSITORY (plain HTTP) or file:///PATH "+
		"(default $"+cacheURLEnv+", else kforge.yaml's cacheURL; empty: none)")
	fs.BoolVar(&f.write, "cache-write", true, "push what this run renders to the shared render cache (false: only read it, e.g. in pull-request jobs)")
}

// affectedOnly reports whether the selection is narrowed to affected environments.
func (f *cacheFlags) affectedOnly() bool { return f.since != "" || len(f.changedFiles) > 0 }

// install wraps the evaluator of opts with the render cache and sets its memo, unless
// --no-cache. A cache directory that cannot be opened is a warning when it was asked for
// explicitly, and silently skipped otherwise (e.g. a read-only home directory in CI). The
// shared store comes from --cache-url, else $KFORGE_CACHE_URL, else configURL (kforge.yaml); a
// malformed URL is a usage error, a store that cannot be opened a warning.
func (f *cacheFlags) install(streams IOStreams, opts *pipeline.Options, targets []string, configURL string) (*cache.CachingEvaluator, error) {
	if f.off {
		return nil, nil
	}
	url, source := f.remoteURL(streams, configURL)
	var remote *remotecache.Store
	if url != "" {
		if _, err := remotecache.ParseURL(url); err != nil {
			return nil, usageErrorf("%s: %w", source, err)
		}
		r, err := remotecache.Open(url, remotecache.Options{})
		if err != nil {
			// Best effort, like every remote failure: the run goes on without it.
			_, _ = fmt.Fprintf(streams.ErrOut, "Warning: %v; continuing without it\n", err)
		} else {
			remote = r
		}
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
		return nil, nil
	}
	store, err := cache.Open(dir)
	if err != nil {
		if explicit || remote != nil {
			// Best effort: the run goes on without the cache whether or not stderr takes the warning.
			_, _ = fmt.Fprintf(streams.ErrOut, "Warning: render cache disabled: %v\n", err)
		}
		return nil, nil
	}
	if remote != nil {
		store = store.WithRemote(cache.RemoteOptions{
			Remote:   remote,
			ReadOnly: !f.write,
			// A warning has no error path: if stderr cannot take it, nothing else can either.
			Warn: func(msg string) { _ = streams.warn(msg) },
		})
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
	return ce, nil
}

// remoteURL is the shared store's URL and where it came from: --cache-url, else
// $KFORGE_CACHE_URL (when not empty), else kforge.yaml. --cache-url "" turns the store off.
func (f *cacheFlags) remoteURL(streams IOStreams, configURL string) (url, source string) {
	if f.url.set {
		return f.url.value, "--cache-url"
	}
	if v, ok := streams.lookupEnv(cacheURLEnv); ok && v != "" {
		return v, "$" + cacheURLEnv
	}
	return configURL, "kforge.yaml: cacheURL"
}
