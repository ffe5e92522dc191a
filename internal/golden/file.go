package golden

import (
	"fmt"
	"path"
	"path/filepath"
)

// File is one rendered resource as it is stored in an environment's directory.
type File struct {
	// Path is the slash path relative to the environment directory,
	// e.g. "apps/deployment-order-service.yaml".
	Path string
	// Content is the file's bytes: the canonical YAML of one resource.
	Content []byte
	// Resource identifies the resource, e.g. "apps/Deployment/apps/order-service". Files read
	// from disk or git get it from their content (see [ReadDir]).
	Resource string
	// Kind is the resource's kind, e.g. "Deployment".
	Kind string
	// Secret marks a Secret: its data and stringData values are masked in every diff.
	Secret bool
}

// Target names one environment's directory, on disk and for humans.
type Target struct {
	// Root is the directory Dir is relative to, normally the absolute repository root. Empty
	// means Dir is a path as the user typed it (relative to the working directory or absolute).
	Root string
	// Dir is the environment's directory: a clean slash path relative to Root, e.g.
	// "golden/prod". It appears in messages and in diff headers (a/golden/prod/...).
	Dir string
	// Env is the environment as commands accept it, e.g. "prod"; it is used in the hint that
	// says how to fix drift. Empty means the last element of Dir.
	Env string
}

// EnvName returns Env, or the last element of Dir when Env is empty.
func (t Target) EnvName() string {
	if t.Env != "" {
		return t.Env
	}
	return path.Base(t.Dir)
}

// osPath returns the on-disk path of the target directory.
func (t Target) osPath() string {
	if t.Root == "" {
		return filepath.FromSlash(t.Dir)
	}
	return filepath.Join(t.Root, filepath.FromSlash(t.Dir))
}

// Display joins the target directory and an environment-relative path for messages and diff
// headers, e.g. "golden/prod/apps/x.yaml".
func (t Target) Display(rel string) string {
	if rel == "" || rel == "." {
		return t.Dir
	}
	return path.Join(t.Dir, rel)
}

// check validates Dir: with a Root it must be a clean relative path below it.
func (t Target) check() error {
	if t.Dir == "" {
		return fmt.Errorf("check target: empty directory")
	}
	if t.Root == "" {
		return nil
	}
	if reason := pathProblem(t.Dir); reason != "" {
		return fmt.Errorf("check target %q: %s", t.Dir, reason)
	}
	return nil
}

// Tree is the content of an environment directory as found on disk or in git.
type Tree struct {
	// Files are the .yaml files, sorted by Path.
	Files []File
	// Unexpected lists what does not belong in an environment directory, sorted by Path.
	Unexpected []Unexpected
}

// Unexpected is an entry of an environment directory that is not a golden YAML file.
type Unexpected struct {
	// Path is relative to the environment directory; directories end with "/".
	Path string
	// Reason says what the entry is, e.g. "not a .yaml file" or "symbolic link".
	Reason string
}

// Changes lists what an [Update] did to an environment directory. Paths are relative to it
// and sorted.
type Changes struct {
	// Added are files that did not exist.
	Added []string
	// Changed are files whose content or mode was rewritten.
	Changed []string
	// Removed are files of resources that are gone, and unexpected entries that were deleted.
	Removed []string
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Added) == 0 && len(c.Changed) == 0 && len(c.Removed) == 0
}

// Count is the number of changed paths.
func (c Changes) Count() int { return len(c.Added) + len(c.Changed) + len(c.Removed) }
