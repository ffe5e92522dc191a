package charts

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Init writes Tanka's initial chartfile into dir; it refuses to overwrite an existing one.
func Init(dir string) (string, error) {
	path := filepath.Join(dir, Filename)
	if _, err := os.Lstat(path); err == nil {
		return path, fmt.Errorf("chartfile at '%s' already exists. Aborting", path)
	}
	return path, Save(path, New())
}

// SkippedError says that some of the arguments of add or add-repo were not added; the log says
// why for each.
type SkippedError struct {
	// N is how many were skipped.
	N int
	// What is "Chart(s)" or "Repo(s)".
	What string
}

func (e *SkippedError) Error() string {
	return fmt.Sprintf("%d %s were skipped. Please check above logs for details", e.N, e.What)
}

// AddRequirements adds the charts (repo/chart@version[:directory]) to f and saves it. An argument
// that does not parse or is already required is skipped with a log line, the others are still
// added (as Tanka does), and the result is a *SkippedError.
func AddRequirements(f *File, args []string, log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	logf(log, "Adding %d Charts ...", len(args))
	next := f.Chartfile
	next.Requires = append([]Requirement(nil), f.Requires...)
	if next.Requires == nil {
		next.Requires = []Requirement{}
	}
	skipped := 0
	for _, a := range args {
		r, err := ParseRequirement(a)
		if err == nil && next.HasRequirement(r) {
			err = fmt.Errorf("already exists")
		}
		if err != nil {
			logf(log, "Skipping %s: %v.", a, err)
			skipped++
			continue
		}
		next.Requires = append(next.Requires, r)
		logf(log, "OK: %s", a)
	}
	if err := next.Validate(); err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	if err := Save(f.Path, next); err != nil {
		return err
	}
	f.Chartfile = next
	if skipped > 0 {
		return &SkippedError{N: skipped, What: "Chart(s)"}
	}
	return nil
}

// AddRepo adds a repository to f and saves it. A repository whose name is taken or is not made
// of letters, digits, _ and - is skipped with a log line and the result is a *SkippedError.
func AddRepo(f *File, repo Repo, log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	var reason string
	switch {
	case f.HasRepo(repo.Name):
		reason = "already exists"
	case !ValidRepoName(repo.Name):
		reason = "invalid name. cannot contain any special characters"
	}
	if reason != "" {
		logf(log, "Skipping %s: %s.", repo.Name, reason)
		return &SkippedError{N: 1, What: "Repo(s)"}
	}
	next := f.Chartfile
	next.Repositories = append(append([]Repo(nil), f.Repositories...), repo)
	if err := Save(f.Path, next); err != nil {
		return err
	}
	f.Chartfile = next
	logf(log, "OK: %s", repo.Name)
	return nil
}
