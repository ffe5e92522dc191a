package cli

import (
	"path"
	"strings"

	"github.com/kforge/kforge/internal/project"
)

// prefix is the path prefix of the github, sarif and markdown reports: --path-prefix when
// given (an empty value turns prefixing off), else where the report's root (wd when none was
// set) sits in its git work tree.
func (f *reportFlags) prefix(wd string) string {
	if f.pathPrefixFlag != nil && f.pathPrefixFlag.Changed {
		p := path.Clean("/" + strings.ReplaceAll(f.pathPrefix, `\`, "/"))
		return strings.TrimPrefix(p, "/")
	}
	root := f.root
	if root == "" {
		root = wd
	}
	return project.PathPrefix(root)
}

// reportFiles are the paths of the --report files, as given.
func (f *reportFlags) reportFiles() []string {
	var files []string
	for _, spec := range f.files {
		_, file, _ := strings.Cut(spec, "=")
		files = append(files, file)
	}
	return files
}
