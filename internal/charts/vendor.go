package charts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"sigs.k8s.io/yaml"
)

// Options say how Vendor runs.
type Options struct {
	// Prune removes everything in the charts directory that no requirement vendors.
	Prune bool
	// Repositories, when not nil, replace the chartfile's repositories (Tanka's
	// --repository-config, for private repositories kept out of the chartfile).
	Repositories []Repo
	// PlainHTTP talks to OCI registries over plain HTTP instead of HTTPS.
	PlainHTTP bool
	// Log receives one line per step, as Tanka logs them; nil discards them.
	Log io.Writer
}

// Result says what Vendor did, in the order of the requirements.
type Result struct {
	// Pulled are the requirements downloaded in this run.
	Pulled []Requirement
	// Kept are the requirements whose vendored version was already right.
	Kept []Requirement
	// Pruned are the entries of the charts directory --prune removed (slash paths relative to
	// it).
	Pruned []string
}

// stagePrefix names the directories Vendor stages a pull in, inside the charts directory (so the
// final rename never crosses file systems). A run that is killed may leave one; the next run
// removes it.
const stagePrefix = ".kforge-pull-"

// Vendor makes the charts directory hold every required chart at its required version: a chart
// whose vendored Chart.yaml has the required version is left untouched (so a second run changes
// nothing on disk), any other is pulled, verified (the archive's digest against the repository's
// index or the registry's manifest; its name and version against the requirement), expanded into
// a staging directory and only then renamed into place. With Prune, entries no requirement
// vendors are removed.
func Vendor(ctx context.Context, f *File, opts Options) (*Result, error) {
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	repos := f.Repositories
	if opts.Repositories != nil {
		repos = opts.Repositories
	}
	dir := f.ChartsDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create charts directory: %w", err)
	}
	if err := removeStale(dir); err != nil {
		return nil, err
	}
	logf(log, "Vendoring...")
	fetcher := newFetcher(opts.PlainHTTP)
	res := &Result{}
	for _, r := range f.Requires {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		target := filepath.Join(dir, filepath.FromSlash(r.Dir()))
		have, err := vendoredVersion(target)
		if err != nil {
			return res, err
		}
		if have == r.Version {
			logf(log, "%s exists", r)
			res.Kept = append(res.Kept, r)
			continue
		}
		repo, ok := findRepo(repos, r.RepoName())
		if !ok {
			return res, &RequirementError{Req: r, Err: fmt.Errorf("repository %q is not defined (add it with `kforge tool charts add-repo %s URL`)", r.RepoName(), r.RepoName())}
		}
		archive, err := fetcher.fetch(repo, r)
		if err != nil {
			return res, &RequirementError{Req: r, Err: err}
		}
		if have != "" {
			logf(log, "Replacing %s (vendored version %s)", r, have)
		}
		if err := install(dir, target, archive); err != nil {
			return res, &RequirementError{Req: r, Err: err}
		}
		logf(log, "%s@%s downloaded", r.Chart, r.Version)
		res.Pulled = append(res.Pulled, r)
	}
	if opts.Prune {
		pruned, err := prune(dir, f.Requires, log)
		res.Pruned = pruned
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// RequirementError is a failure to vendor one requirement.
type RequirementError struct {
	// Req is the requirement.
	Req Requirement
	// Err is the cause.
	Err error
}

func (e *RequirementError) Error() string {
	return fmt.Sprintf("vendor %s@%s: %v", e.Req.Chart, e.Req.Version, e.Err)
}

func (e *RequirementError) Unwrap() error { return e.Err }

func logf(w io.Writer, format string, args ...any) {
	// Progress lines are best effort: a closed stderr must not fail the vendoring.
	_, _ = fmt.Fprintf(w, format+"\n", args...)
}

func findRepo(repos []Repo, name string) (Repo, bool) {
	for _, r := range repos {
		if r.Name == name {
			return r, true
		}
	}
	return Repo{}, false
}

// vendoredVersion is the version in target/Chart.yaml; "" when there is none (no directory, or
// a directory without Chart.yaml, which is then replaced as Tanka does).
func vendoredVersion(target string) (string, error) {
	data, err := os.ReadFile(filepath.Join(target, "Chart.yaml"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read vendored chart: %w", err)
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := yaml.Unmarshal(data, &meta); err != nil {
		return "", fmt.Errorf("%s: %w", filepath.Join(target, "Chart.yaml"), err)
	}
	return meta.Version, nil
}

// install expands archive into a staging directory inside dir, then swaps it in at target: the
// old chart (if any) is moved aside first and removed last, so an error leaves either the old
// chart or the new one, never a mix.
func install(dir, target string, archive *fetched) (err error) {
	stage, err := os.MkdirTemp(dir, stagePrefix)
	if err != nil {
		return fmt.Errorf("stage chart: %w", err)
	}
	defer func() {
		if rmErr := os.RemoveAll(stage); rmErr != nil && err == nil {
			err = fmt.Errorf("remove staging directory: %w", rmErr)
		}
	}()
	if err := chartutil.Expand(stage, bytes.NewReader(archive.data)); err != nil {
		return fmt.Errorf("expand chart archive: %w", err)
	}
	expanded := filepath.Join(stage, archive.name)
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return fmt.Errorf("create chart directory: %w", err)
	}
	old := filepath.Join(stage, ".old")
	hadOld := false
	if _, err := os.Lstat(target); err == nil {
		if err := os.Rename(target, old); err != nil {
			return fmt.Errorf("move old chart aside: %w", err)
		}
		hadOld = true
	}
	if err := os.Rename(expanded, target); err != nil {
		if hadOld {
			_ = os.Rename(old, target) // Best effort: put the old chart back.
		}
		return fmt.Errorf("move chart into place: %w", err)
	}
	return nil
}

// removeStale removes staging directories a killed run left behind.
func removeStale(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list charts directory: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagePrefix) {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("remove stale staging directory: %w", err)
			}
		}
	}
	return nil
}

// prune removes what no requirement vendors: top-level entries of dir that are no requirement's
// directory nor a parent of one, and, inside such parents, entries no requirement needs.
func prune(dir string, reqs []Requirement, log io.Writer) ([]string, error) {
	keep := map[string]bool{}    // directories vendored charts live in
	parents := map[string]bool{} // directories holding vendored charts deeper down
	for _, r := range reqs {
		d := filepath.ToSlash(filepath.Clean(filepath.FromSlash(r.Dir())))
		keep[d] = true
		for p := d; strings.Contains(p, "/"); {
			p = p[:strings.LastIndex(p, "/")]
			parents[p] = true
		}
	}
	var pruned []string
	var walk func(rel string) error
	walk = func(rel string) error {
		entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("list charts directory: %w", err)
		}
		for _, e := range entries {
			name := e.Name()
			if rel != "" {
				name = rel + "/" + name
			}
			switch {
			case keep[name]:
			case parents[name] && e.IsDir():
				if err := walk(name); err != nil {
					return err
				}
			default:
				kind := "file"
				if e.IsDir() {
					kind = "directory"
				}
				logf(log, "Pruning %s: %s", kind, name)
				if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
					return fmt.Errorf("prune %s: %w", name, err)
				}
				pruned = append(pruned, name)
			}
		}
		return nil
	}
	err := walk("")
	slices.Sort(pruned)
	return pruned, err
}
