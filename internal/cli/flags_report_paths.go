package cli

import (
	"path"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/project"
)

// pathPrefixFlag is --path-prefix: what reports read on GitHub put before the paths they give,
// so that code scanning, annotations and links, which resolve paths from the git work tree's
// root, find the files when kforge's root is a subdirectory of it (a monorepo's deploy/).
type pathPrefixFlag struct {
	// value is the flag's value; flag tells whether it was given.
	value string
	flag  *pflag.Flag
}

func (p *pathPrefixFlag) addFlag(fs *pflag.FlagSet, what string) {
	fs.StringVar(&p.value, "path-prefix", "", "prefix of every path in "+what+" (default: kforge's root relative to the git work tree's root, e.g. deploy; '' for none)")
	p.flag = fs.Lookup("path-prefix")
}

// resolve returns the prefix: --path-prefix when given (an empty value turns prefixing off),
// else where root, the directory the report's paths are relative to, sits in its git work tree.
func (p *pathPrefixFlag) resolve(root string) string {
	if p.flag != nil && p.flag.Changed {
		clean := path.Clean("/" + strings.ReplaceAll(p.value, `\`, "/"))
		return strings.TrimPrefix(clean, "/")
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
