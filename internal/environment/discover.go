package environment

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/project"
)

// EvalFunc evaluates a repository-relative entrypoint and returns its JSON
// output. Discovery uses it on inline candidates; for them the evaluator
// should make `import 'tk'` fail, as Tanka does, since the environment is
// only known after evaluation.
type EvalFunc func(entrypoint string) ([]byte, error)

// Discovery is the result of the static part of discovery.
type Discovery struct {
	// Static are the environments with a spec.json, sorted by Slug.
	Static []Environment
	// InlineCandidates are the repository-relative main.jsonnet files whose
	// directory has no spec.json, sorted; evaluating them may yield inline
	// environments.
	InlineCandidates []string
}

// skipDir reports whether discovery must not descend into the directory at
// rel (repository-relative) named name: vendor directories, node_modules,
// .git and the golden directory.
func skipDir(cfg project.Config, rel, name string) bool {
	switch name {
	case "vendor", "node_modules", ".git":
		return true
	}
	return rel == cfg.Vendor || rel == cfg.Golden
}

// Discover lists the environments below dir (repository-relative; "" or "."
// for the whole repository) without evaluating anything: the static ones are
// parsed, the inline candidates only listed. It never descends into vendor
// directories (the configured one and any named vendor), node_modules, .git
// or the golden directory; dir itself is walked whatever its name. All
// spec.json errors are returned together.
func Discover(p *project.Project, dir string) (Discovery, error) {
	var d Discovery
	dir = path.Clean(filepath.ToSlash(dir))
	if dir == "" {
		dir = "."
	}
	fi, err := os.Stat(p.Abs(dir))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return d, fmt.Errorf("discover environments in %s: no such directory", dir)
		}
		return d, fmt.Errorf("discover environments in %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return d, fmt.Errorf("discover environments in %s: not a directory", dir)
	}
	var entries []string
	start := p.Abs(dir)
	err = filepath.WalkDir(start, func(abs string, de fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("walk %s: %w", p.Rel(abs), fsutil.WithoutPath(err))
		}
		rel := p.Rel(abs)
		if de.IsDir() {
			if abs != start && skipDir(p.Config, rel, de.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if de.Name() != project.DefaultEntrypoint {
			return nil
		}
		if isFile(abs) {
			entries = append(entries, rel)
		}
		return nil
	})
	if err != nil {
		return d, fmt.Errorf("discover environments in %s: %w", dir, err)
	}
	slices.Sort(entries)
	var errs []error
	for _, entry := range entries {
		base := path.Dir(entry)
		if !isFile(p.Abs(path.Join(base, SpecFile))) {
			d.InlineCandidates = append(d.InlineCandidates, entry)
			continue
		}
		env, err := loadStatic(p, base, entry)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d.Static = append(d.Static, env)
	}
	if len(errs) > 0 {
		return d, errors.Join(errs...)
	}
	sortEnvs(d.Static)
	return d, nil
}

// maxSpecBytes bounds spec.json: an environment's description is small.
const maxSpecBytes = 1 << 20

// readRepoFile reads the repository-relative file rel below root. It must be a regular file of at most limit bytes whose path, links followed, stays
// inside root: a named pipe or device is never opened (reading could block forever), and a link
// never makes kforge read a file outside the repository, whose content would show in errors,
// warnings or the environment.
func readRepoFile(root, rel string, limit int64) ([]byte, error) {
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	resolved, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fsutil.WithoutPath(err)
	}
	if r, err := filepath.Rel(root, resolved); err != nil || !filepath.IsLocal(r) {
		return nil, errors.New("a symbolic link leading outside the repository is not read")
	}
	fi, err := os.Stat(resolved)
	if err != nil {
		return nil, fsutil.WithoutPath(err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", fsutil.FileType(fi.Mode()))
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%d bytes, more than the %d a %s may have", fi.Size(), limit, path.Base(rel))
	}
	f, err := os.Open(resolved)
	if err != nil {
		return nil, fsutil.WithoutPath(err)
	}
	defer func() { _ = f.Close() }() // opened for reading: Close has nothing to report
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fsutil.WithoutPath(err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("more than the %d bytes a %s may have", limit, path.Base(rel))
	}
	return data, nil
}

// isFile reports whether abs exists and is not a directory (symbolic links
// followed).
func isFile(abs string) bool {
	fi, err := os.Stat(abs)
	return err == nil && !fi.IsDir()
}

// loadStatic reads base/spec.json and builds the static environment whose
// entrypoint is entry.
func loadStatic(p *project.Project, base, entry string) (Environment, error) {
	file := path.Join(base, SpecFile)
	data, err := readRepoFile(p.Root, file, maxSpecBytes)
	if err != nil {
		return Environment{}, fmt.Errorf("read %s: %w", file, err)
	}
	dec, prob := decodeSpec(data, false)
	if prob != nil {
		se := &SpecError{File: file, Field: prob.field, Message: prob.message}
		if prob.offset >= 0 {
			se.Line, se.Column = lineCol(data, prob.offset)
		}
		return Environment{}, se
	}
	env := Environment{
		Name:       base,
		Dir:        base,
		Entrypoint: entry,
		Spec:       dec.spec,
		envsDir:    p.Config.Environments,
	}
	for _, w := range dec.warnings {
		env.Warnings = append(env.Warnings, file+": "+w)
	}
	if n := dec.spec.Metadata.Name; n != "" && n != base {
		env.Warnings = append(env.Warnings, fmt.Sprintf("%s: metadata.name %q is ignored: a static environment is named after its directory, %s", file, n, base))
	}
	if ns := dec.spec.Metadata.Namespace; ns != "" && ns != entry {
		env.Warnings = append(env.Warnings, fmt.Sprintf("%s: metadata.namespace %q is ignored: Tanka sets it to the entrypoint, %s", file, ns, entry))
	}
	env.Spec.Metadata.Name = base
	env.Spec.Metadata.Namespace = entry
	if _, err := labelValues(env.Spec); err != nil {
		return Environment{}, &SpecError{File: file, Field: "spec.tankaEnvLabelFromFields", Message: err.Error()}
	}
	return env, nil
}

// Expand evaluates the inline candidates of d with eval and returns the
// static and inline environments together, sorted by Slug. A candidate whose
// output holds no environment object is not an environment and is dropped,
// as Tanka's `env list` drops it. Two environments with the same Slug are a
// *DuplicateError.
func Expand(p *project.Project, d Discovery, eval EvalFunc) ([]Environment, error) {
	return expand(p, d, eval, false)
}

// ExpandEntrypoints is Expand for commands that need entrypoints rather than environments
// (`tool importers`, which like tk's counts every main.jsonnet): a candidate that fails to
// evaluate, or whose output holds no environment, is kept as one environment named after its
// directory, with no spec, instead of failing or being dropped, so that a broken environment
// elsewhere (one importing a deleted file, say) does not hide the others' importers.
func ExpandEntrypoints(p *project.Project, d Discovery, eval EvalFunc) ([]Environment, error) {
	return expand(p, d, eval, true)
}

func expand(p *project.Project, d Discovery, eval EvalFunc, entrypoints bool) ([]Environment, error) {
	all := slices.Clone(d.Static)
	if len(d.InlineCandidates) > 0 && eval == nil {
		return nil, fmt.Errorf("expand inline environments in %s: no evaluator given", d.InlineCandidates[0])
	}
	for _, entry := range d.InlineCandidates {
		out, err := eval(entry)
		var envs []Environment
		if err == nil {
			envs, err = FromOutput(p, entry, out)
		}
		if entrypoints && (err != nil || len(envs) == 0) {
			// Not (or not yet) an environment, but an entrypoint all the same.
			base := path.Dir(entry)
			all = append(all, Environment{Name: base, Dir: base, Entrypoint: entry, envsDir: p.Config.Environments})
			continue
		}
		if err != nil {
			var specErr *SpecError
			if errors.As(err, &specErr) {
				return nil, err
			}
			return nil, fmt.Errorf("evaluate %s for inline environments: %w", entry, err)
		}
		all = append(all, envs...)
	}
	sortEnvs(all)
	if err := checkDuplicates(all); err != nil {
		return nil, err
	}
	return all, nil
}

// List discovers every environment below dir (see Discover) and expands the
// inline candidates with eval (see Expand).
func List(p *project.Project, dir string, eval EvalFunc) ([]Environment, error) {
	d, err := Discover(p, dir)
	if err != nil {
		return nil, err
	}
	return Expand(p, d, eval)
}

// Load resolves one path the way `tk show <path>` does: pathArg (a directory
// or an entrypoint file, absolute or relative to the working directory)
// gives a base and an entrypoint (see project.Project.Entrypoint); a base
// holding spec.json is one static environment, otherwise the entrypoint is
// evaluated and must hold at least one inline environment. Unlike Discover,
// Load accepts entrypoints not named main.jsonnet.
func Load(p *project.Project, pathArg string, eval EvalFunc) ([]Environment, error) {
	base, entry, err := p.Entrypoint(pathArg)
	if err != nil {
		return nil, err
	}
	if isFile(p.Abs(path.Join(base, SpecFile))) {
		env, err := loadStatic(p, base, entry)
		if err != nil {
			return nil, err
		}
		return []Environment{env}, nil
	}
	if eval == nil {
		return nil, fmt.Errorf("load inline environments from %s: no evaluator given", entry)
	}
	out, err := eval(entry)
	if err != nil {
		return nil, fmt.Errorf("evaluate %s for inline environments: %w", entry, err)
	}
	envs, err := FromOutput(p, entry, out)
	if err != nil {
		return nil, err
	}
	if len(envs) == 0 {
		return nil, fmt.Errorf("load %s: no %s and no inline environment in its output", entry, SpecFile)
	}
	sortEnvs(envs)
	if err := checkDuplicates(envs); err != nil {
		return nil, err
	}
	return envs, nil
}

// sortEnvs orders environments by Slug, then entrypoint.
func sortEnvs(envs []Environment) {
	slices.SortStableFunc(envs, func(a, b Environment) int {
		return cmp.Or(cmp.Compare(a.Slug(), b.Slug()), cmp.Compare(a.Entrypoint, b.Entrypoint))
	})
}

// checkDuplicates rejects environments sharing a Slug; envs must be sorted.
func checkDuplicates(envs []Environment) error {
	for i := 1; i < len(envs); i++ {
		if envs[i].Slug() == envs[i-1].Slug() {
			return &DuplicateError{Slug: envs[i].Slug(), First: describe(envs[i-1]), Second: describe(envs[i])}
		}
	}
	return nil
}

// describe names an environment for messages: "environments/prod" for a
// static one, "prod-eu (environments/inline/main.jsonnet)" for an inline one.
func describe(e Environment) string {
	if e.Inline {
		return fmt.Sprintf("%s (%s)", e.Name, e.Entrypoint)
	}
	return e.Name
}
