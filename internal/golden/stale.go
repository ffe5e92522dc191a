package golden

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kforge/kforge/internal/atomicfile"
	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/termtext"
)

// StaleReport lists what [RemoveStale] did. Paths are repository-relative.
type StaleReport struct {
	// Removed are directories of environments that no longer exist, and leftovers of
	// interrupted runs, that were deleted.
	Removed []string
	// Ignored are directories that are not environments any more but hold something that is
	// not kforge output, so they were left alone; each entry is "<dir>: <reason>".
	Ignored []string
}

// ValidateSlugs checks environment directory names relative to the golden root: each must be a
// safe relative path (see [ValidatePath]) without ".kforge-", and none may lie inside another,
// since an update of the outer one would replace the inner one.
func ValidateSlugs(slugs []string) error {
	sorted := append([]string(nil), slugs...)
	sort.Strings(sorted)
	for i, s := range sorted {
		if reason := pathProblem(s); reason != "" {
			return fmt.Errorf("invalid environment directory %q: %s", s, reason)
		}
		if strings.Contains(s, ".kforge-") {
			return fmt.Errorf("invalid environment directory %q: names containing \".kforge-\" are reserved", s)
		}
		for _, o := range sorted[i+1:] {
			if o == s {
				return fmt.Errorf("environment directory %q is used twice", s)
			}
			if strings.HasPrefix(o, s+"/") {
				return fmt.Errorf("environment directory %q lies inside environment directory %q", o, s)
			}
		}
	}
	return nil
}

// RemoveStale deletes, below the golden root goldenDir (repository-relative, under root), the
// directories of environments that are not in keep (environment directory names relative to
// goldenDir, e.g. "prod" or "inline/team-a"). A directory is removed only when it looks like
// kforge output: nothing in it but regular .yaml files with top-level apiVersion and kind (or
// nothing at all). Anything else — plain files in the golden root, hidden entries, directories
// holding other files or symbolic links — is never touched; such directories are reported as
// ignored. Leftovers of interrupted runs of environments not in keep are removed too. Each
// directory is renamed to a hidden name before it is deleted, so a crash never leaves half of
// one visible.
func RemoveStale(root, goldenDir string, keep []string) (StaleReport, error) {
	var rep StaleReport
	t := Target{Root: root, Dir: goldenDir}
	if err := t.check(); err != nil {
		return rep, err
	}
	if err := ValidateSlugs(keep); err != nil {
		return rep, fmt.Errorf("remove stale environments: %w", err)
	}
	ok, err := checkChain(t)
	if err != nil || !ok {
		return rep, err
	}
	kept, inside := owners(keep)
	s := staleRun{base: t.osPath(), shown: goldenDir, keep: kept, inside: inside, rep: &rep}
	if err := s.visit("."); err != nil {
		return rep, err
	}
	sort.Strings(rep.Removed)
	sort.Strings(rep.Ignored)
	return rep, nil
}

// owners returns the set of environment directories keep and the set of directories that
// contain one of them: what is neither, below the golden root, is stale.
func owners(keep []string) (kept, inside map[string]bool) {
	kept, inside = map[string]bool{}, map[string]bool{}
	for _, k := range keep {
		kept[k] = true
		for d := path.Dir(k); d != "."; d = path.Dir(d) {
			inside[d] = true
		}
	}
	return kept, inside
}

// Stale lists, sorted, the directories below the golden root goldenDir (repository-relative,
// under root) that belong to no environment in keep: the directories [RemoveStale] removes, or
// leaves alone as ignored when they hold something kforge did not write. Hidden entries
// (leftovers of interrupted runs among them) are not listed. A missing golden root holds nothing
// stale.
func Stale(root, goldenDir string, keep []string) ([]string, error) {
	kept, inside := owners(keep)
	var stale []string
	var visit func(rel string) error
	visit = func(rel string) error {
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(goldenDir), filepath.FromSlash(rel)))
		if rel == "." && errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path.Join(goldenDir, rel), err)
		}
		for _, e := range entries {
			slug := path.Join(rel, e.Name())
			switch {
			case strings.HasPrefix(e.Name(), "."), !e.IsDir(), kept[slug]:
			case inside[slug]:
				if err := visit(slug); err != nil {
					return err
				}
			default:
				stale = append(stale, path.Join(goldenDir, slug))
			}
		}
		return nil
	}
	if err := visit("."); err != nil {
		return nil, err
	}
	sort.Strings(stale)
	return stale, nil
}

type staleRun struct {
	base, shown  string
	keep, inside map[string]bool // kept slugs; directories that contain kept slugs
	rep          *StaleReport
}

// visit handles the entries of directory rel (relative to the golden root) under its lock.
func (s staleRun) visit(rel string) error {
	abs := filepath.Join(s.base, filepath.FromSlash(rel))
	shownDir := path.Join(s.shown, rel)
	lock, err := acquireLock(abs, lockTimeout)
	if err != nil {
		return fmt.Errorf("remove stale environments in %s: %w", shownDir, err)
	}
	defer lock.release()
	entries, err := os.ReadDir(abs)
	if err != nil {
		return fmt.Errorf("remove stale environments in %s: %w", shownDir, fsutil.OpWithoutPath(err))
	}
	for _, e := range entries {
		name := e.Name()
		slug := path.Join(rel, name)
		shown := path.Join(s.shown, slug)
		if strings.HasPrefix(name, ".") {
			env, ok := leftoverOf(name)
			if !ok || s.keep[path.Join(rel, env)] {
				continue
			}
			if err := os.RemoveAll(filepath.Join(abs, name)); err != nil {
				return fmt.Errorf("remove leftover %s: %w", shown, fsutil.OpWithoutPath(err))
			}
			s.rep.Removed = append(s.rep.Removed, shown)
			continue
		}
		if !e.IsDir() || s.keep[slug] {
			continue
		}
		if s.inside[slug] {
			if err := s.visit(slug); err != nil {
				return err
			}
			continue
		}
		if reason := NotOutput(filepath.Join(abs, name), ""); reason != "" {
			s.rep.Ignored = append(s.rep.Ignored, shown+": "+reason)
			continue
		}
		aside, err := reserveName(abs, "."+name+oldInfix)
		if err != nil {
			return fmt.Errorf("remove %s: %w", shown, err)
		}
		if err := os.Rename(filepath.Join(abs, name), aside); err != nil {
			return fmt.Errorf("remove %s: %w", shown, fsutil.OpWithoutPath(err))
		}
		if err := atomicfile.SyncDir(abs); err != nil {
			return fmt.Errorf("remove %s: %w", shown, err)
		}
		if err := os.RemoveAll(aside); err != nil {
			return fmt.Errorf("remove %s: %w", shown, fsutil.OpWithoutPath(err))
		}
		s.rep.Removed = append(s.rep.Removed, shown)
	}
	return nil
}

// leftoverOf returns the environment directory name of a staging or old tree name
// (".<env>.kforge-tmp-*" or ".<env>.kforge-old-*").
func leftoverOf(name string) (string, bool) {
	for _, infix := range []string{TempInfix, oldInfix} {
		if i := strings.LastIndex(name, infix); i > 1 {
			return name[1:i], true
		}
	}
	return "", false
}

// NotOutput returns why directory dir is not kforge output, or "" when it is: every entry below
// it is a directory or a regular, non-hidden .yaml file with top-level apiVersion and kind
// (and, when allowTop is not empty, a file of that name at its top, such as an export's
// manifest.json).
func NotOutput(dir, allowTop string) string {
	reason := ""
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case strings.HasPrefix(d.Name(), "."):
			reason = "holds hidden entry " + termtext.Quote(rel)
		case d.Type()&fs.ModeSymlink != 0:
			reason = "holds symbolic link " + termtext.Quote(rel)
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			reason = "holds special file " + termtext.Quote(rel)
		case allowTop != "" && rel == allowTop:
			return nil
		case !strings.HasSuffix(d.Name(), ".yaml"):
			reason = "holds " + termtext.Quote(rel) + ", which is not a .yaml file"
		default:
			content, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if len(content) > MaxFileSize || !isManifestText(content) {
				reason = "holds " + termtext.Quote(rel) + ", which is not a Kubernetes manifest"
			}
		}
		if reason != "" {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.SkipAll) {
		return "cannot be read: " + fsutil.OpWithoutPath(err).Error()
	}
	return reason
}

// isManifestText reports top-level "apiVersion:" and "kind:" lines.
func isManifestText(content []byte) bool {
	var api, kind bool
	for _, line := range bytes.Split(content, []byte("\n")) {
		api = api || bytes.HasPrefix(line, []byte("apiVersion:"))
		kind = kind || bytes.HasPrefix(line, []byte("kind:"))
	}
	return api && kind
}
