package report

import (
	"path"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// withPathPrefix returns r with prefix (kforge's root relative to the git
// work tree's root, e.g. "deploy") joined to every repository-relative path
// its findings point at: their files and related locations and the
// environments' entrypoints. Code scanning, annotations and links resolve
// paths from the work tree's root.
func (r Report) withPathPrefix(prefix string) Report {
	if prefix == "" {
		return r
	}
	out := r
	out.Environments = slices.Clone(r.Environments)
	for i := range out.Environments {
		e := &out.Environments[i]
		e.Entrypoint = prefixPath(prefix, e.Entrypoint)
		e.Findings = slices.Clone(e.Findings)
		for j := range e.Findings {
			f := &e.Findings[j]
			f.File = prefixPath(prefix, f.File)
			if len(f.Related) > 0 {
				f.Related = slices.Clone(f.Related)
				for k := range f.Related {
					f.Related[k].File = prefixPath(prefix, f.Related[k].File)
				}
			}
		}
	}
	return out
}

// prefixPath joins prefix and p, a slash-separated path relative to kforge's
// root. Paths that are empty, absolute, a placeholder such as "<stdin>", or
// that lead out of the work tree once joined stay as they are.
func prefixPath(prefix, p string) string {
	if prefix == "" || p == "" || path.IsAbs(p) || strings.HasPrefix(p, "<") {
		return p
	}
	joined := path.Join(prefix, p)
	if joined == ".." || strings.HasPrefix(joined, "../") {
		return p
	}
	return joined
}

// sarifSrcRoot is the uriBaseId of every artifact location in SARIF: the root
// of the git work tree, which GitHub code scanning resolves to the checkout.
const sarifSrcRoot = "%SRCROOT%"

// sarifBaseIDs declares %SRCROOT% in the run's originalUriBaseIds. Its
// absolute URI is left out: it is where the checkout happens to be, and the
// report must render to the same bytes everywhere.
func sarifBaseIDs() map[string]sarif.ArtifactLocation {
	return map[string]sarif.ArtifactLocation{
		sarifSrcRoot: *sarif.NewArtifactLocation().WithDescription(sarif.NewTextMessage("The root of the git work tree; every artifact location is relative to it.")),
	}
}
