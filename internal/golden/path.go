package golden

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// maxComponent is the longest file or directory name most file systems accept, in bytes.
const maxComponent = 255

// maxPath bounds a whole relative path, in bytes (PATH_MAX on Linux is 4096 for the full path).
const maxPath = 1024

// ValidatePath checks one environment-relative file path and returns a *PathError naming
// resource when it is not safe to write.
func ValidatePath(p, resource string) error {
	if reason := pathProblem(p); reason != "" {
		return &PathError{Path: p, Resource: resource, Reason: reason}
	}
	return nil
}

// ValidateFiles checks every File.Path with [ValidatePath] and that no two paths name the same
// file, also on file systems that ignore case or Unicode normalisation, and that no file path
// is also used as a directory. The error names the resources involved.
func ValidateFiles(files []File) error {
	v := NewValidator()
	for _, f := range files {
		if err := v.Add(f); err != nil {
			return err
		}
	}
	return nil
}

// collisions finds paths that would name the same file or directory on disk.
type collisions struct {
	fold  cases.Caser
	files map[string]owner // folded file path → first owner
	dirs  map[string]owner // folded directory path → first file below it
}

type owner struct{ path, resource string }

func newCollisions() *collisions {
	return &collisions{fold: cases.Fold(), files: map[string]owner{}, dirs: map[string]owner{}}
}

func (c *collisions) key(p string) string {
	return norm.NFC.String(c.fold.String(norm.NFC.String(p)))
}

func (c *collisions) add(p, resource string) error {
	k := c.key(p)
	clash := func(o owner, reason string) error {
		what := strconvQuote(o.path)
		if o.resource != "" {
			what += " of resource " + o.resource
		}
		return &PathError{Path: p, Resource: resource, Reason: reason + " " + what}
	}
	if o, ok := c.files[k]; ok {
		if o.path == p {
			return clash(o, "same path as")
		}
		return clash(o, "same file on case-insensitive file systems as")
	}
	if o, ok := c.dirs[k]; ok {
		return clash(o, "is a directory of")
	}
	me := owner{path: p, resource: resource}
	for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
		dk := c.key(dir)
		if o, ok := c.files[dk]; ok {
			return clash(o, "its directory "+strconvQuote(dir)+" is the file")
		}
		if o, ok := c.dirs[dk]; ok {
			if !strings.HasPrefix(o.path, dir+"/") {
				return clash(o, "its directory "+strconvQuote(dir)+" differs only in case from the directory of")
			}
			continue
		}
		c.dirs[dk] = me
	}
	c.files[k] = me
	return nil
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

// pathProblem returns why p is not a safe relative slash path, or "" when it is.
func pathProblem(p string) string {
	switch {
	case p == "":
		return "empty path"
	case len(p) > maxPath:
		return fmt.Sprintf("longer than %d bytes", maxPath)
	case strings.IndexByte(p, 0) >= 0:
		return "contains a NUL byte"
	case strings.IndexByte(p, '\\') >= 0:
		return "contains a backslash"
	case strings.HasPrefix(p, "/"):
		return "absolute path"
	case !utf8.ValidString(p):
		return "not valid UTF-8"
	case hasVolume(p):
		return "starts with a drive letter"
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return "contains a control character"
		}
	}
	for _, c := range strings.Split(p, "/") {
		switch {
		case c == "..":
			return `contains ".."`
		case c == "." || c == "":
			return "not clean (empty or \".\" component)"
		case len(c) > maxComponent:
			return fmt.Sprintf("component longer than %d bytes", maxComponent)
		case strings.HasPrefix(c, "."):
			return "hidden (dot) component: names starting with \".\" are reserved for kforge's bookkeeping"
		}
	}
	if path.Clean(p) != p {
		return "not clean"
	}
	return ""
}

// hasVolume reports a Windows drive prefix such as "C:".
func hasVolume(p string) bool {
	return len(p) >= 2 && p[1] == ':' && (p[0]|0x20) >= 'a' && (p[0]|0x20) <= 'z'
}
