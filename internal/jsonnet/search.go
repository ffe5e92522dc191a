package jsonnet

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
)

// TkImport is the path of Tanka's virtual import, `import 'tk'`: the evaluation serves it
// without reading a file, so it is never searched for.
const TkImport = "tk"

// SearchImport replays the search `import importedPath` makes in a file of the
// repository-relative slash directory dir ("." for the root, and for snippets, external
// variable and top-level argument code): dir first, then jpath in order, each directory once.
// It calls probe with every candidate path (repository-relative, clean, slash-separated) and
// stops at the first one probe reports found, or fails on. Candidates named like the pseudo
// files that serve `import 'tk'` (<tk>, <tk#2>, ...) are skipped: no file can take those
// names. importedPath must not be TkImport, which the caller serves itself.
//
// It returns the candidate found ("" when every one was probed in vain) and the directories
// searched, for a "not found" message. The error is probe's, unchanged, or an *Error for an
// import no search may make: an empty path (KindImport), an absolute one (KindSandbox), or one
// found nowhere inside the repository root while one of its candidates would have left it
// (KindSandbox). A candidate that leaves the root is skipped, never probed, and the search goes
// on, as Tanka's does: `import '../x.libsonnet'` in a file at the root of an import path may
// still resolve inside the repository through a later directory (<base>/vendor, say).
//
// This is the one definition of kforge's import search: the evaluation's importer resolves
// with it, and internal/affected replays it to know which files an import could pick up.
func SearchImport(dir, importedPath string, jpath []string, probe func(candidate string) (found bool, err error)) (string, []string, error) {
	if importedPath == "" {
		return "", nil, &Error{Kind: KindImport, Message: "import of an empty path"}
	}
	if path.IsAbs(importedPath) || filepath.IsAbs(importedPath) {
		return "", nil, &Error{Kind: KindSandbox,
			Message: fmt.Sprintf("import %q is outside the repository root (absolute paths are not allowed)", importedPath)}
	}
	dirs := make([]string, 0, 1+len(jpath))
	dirs = append(dirs, dir)
	for _, d := range jpath {
		if !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	escaped := false
	for _, d := range dirs {
		cand := path.Join(d, importedPath)
		if !isLocal(cand) {
			escaped = true
			continue
		}
		if isTkName(cand) {
			// Reserved for `import 'tk'`; a file of that name cannot share its identity.
			continue
		}
		found, err := probe(cand)
		if err != nil {
			return "", dirs, err
		}
		if found {
			return cand, dirs, nil
		}
	}
	if escaped {
		return "", dirs, &Error{Kind: KindSandbox,
			Message: fmt.Sprintf("import %q is outside the repository root", importedPath)}
	}
	return "", dirs, nil
}
