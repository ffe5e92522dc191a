package environment

import (
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kforge/kforge/internal/project"
)

// Resolver maps an environment argument to the repository-relative slash
// path it names and tells whether that is a directory; ok is false when the
// argument names no existing path inside the repository.
type Resolver func(arg string) (rel string, isDir bool, ok bool)

// PathResolver resolves arguments as paths relative to cwd first, then
// relative to the repository root; absolute arguments as they are. Only
// existing paths inside the repository resolve.
func PathResolver(p *project.Project, cwd string) Resolver {
	return func(arg string) (string, bool, bool) {
		var tries []string
		if filepath.IsAbs(arg) {
			tries = []string{arg}
		} else {
			tries = []string{filepath.Join(cwd, arg), filepath.Join(p.Root, arg)}
		}
		for _, t := range tries {
			fi, err := os.Stat(t)
			if err != nil || !p.Contains(t) {
				continue
			}
			return p.Rel(t), fi.IsDir(), true
		}
		return "", false, false
	}
}

// Select picks environments from all (as returned by List).
//
// Without args every environment is a candidate. Each arg adds the
// environments it names, tried in this order: a path (through resolve, which
// may be nil): an entrypoint file selects the environments it defines, a
// directory those whose base is it or below it, else the nearest environment
// above it; then a static environment's Tanka name ("environments/prod");
// then a Slug ("prod", "inline/prod-eu"); then an inline environment's
// metadata.name. An arg naming nothing is a *SelectError listing the
// available environments.
//
// A non-empty name then picks among the inline candidates by metadata.name:
// exact matches win over substring matches; several matches of the winning
// kind are a *SelectError listing them, none a *SelectError listing the
// available inline environments. Static candidates are dropped when name is
// given, since --name addresses inline environments.
//
// The result keeps the order of all and holds each environment once.
func Select(all []Environment, args []string, name string, resolve Resolver) ([]Environment, error) {
	picked := make([]bool, len(all))
	if len(args) == 0 {
		for i := range picked {
			picked[i] = true
		}
	}
	for _, arg := range args {
		idx, reason := matchArg(all, arg, resolve)
		if len(idx) == 0 {
			return nil, &SelectError{Arg: strconv.Quote(arg), Reason: reason, Candidates: available(all)}
		}
		for _, i := range idx {
			picked[i] = true
		}
	}
	var out []Environment
	for i, e := range all {
		if picked[i] {
			out = append(out, e)
		}
	}
	if name == "" {
		return out, nil
	}
	return byName(out, name)
}

// matchArg returns the indexes of the environments arg names, or a reason
// why it names none.
func matchArg(all []Environment, arg string, resolve Resolver) ([]int, string) {
	var reason string
	if resolve != nil {
		if rel, isDir, ok := resolve(arg); ok {
			if idx := matchPath(all, rel, isDir); len(idx) > 0 {
				return idx, ""
			}
			if isDir {
				reason = rel + " holds no environment and is inside none"
			} else {
				reason = rel + " is not the entrypoint of any environment"
			}
		}
	}
	clean := strings.TrimSuffix(filepath.ToSlash(arg), "/")
	for _, match := range []func(e Environment) bool{
		func(e Environment) bool { return !e.Inline && e.Name == clean },
		func(e Environment) bool { return e.Slug() == clean },
		func(e Environment) bool { return e.Inline && e.Name == clean },
	} {
		var idx []int
		for i, e := range all {
			if match(e) {
				idx = append(idx, i)
			}
		}
		if len(idx) > 0 {
			return idx, ""
		}
	}
	return nil, reason
}

// matchPath selects by a repository-relative path: a file selects the
// environments whose entrypoint it is; a directory those whose base is it or
// lies below it, else the environments of the nearest base above it.
func matchPath(all []Environment, rel string, isDir bool) []int {
	var idx []int
	if !isDir {
		for i, e := range all {
			if e.Entrypoint == rel {
				idx = append(idx, i)
			}
		}
		return idx
	}
	for i, e := range all {
		if rel == "." || e.Dir == rel || strings.HasPrefix(e.Dir, rel+"/") {
			idx = append(idx, i)
		}
	}
	if len(idx) > 0 {
		return idx
	}
	if rel == "." {
		return nil
	}
	for d := path.Dir(rel); ; d = path.Dir(d) {
		for i, e := range all {
			if e.Dir == d {
				idx = append(idx, i)
			}
		}
		if len(idx) > 0 || d == "." {
			return idx
		}
	}
}

// byName picks inline environments by metadata.name.
func byName(envs []Environment, name string) ([]Environment, error) {
	var inline, exact, partial []Environment
	for _, e := range envs {
		if !e.Inline {
			continue
		}
		inline = append(inline, e)
		switch {
		case e.Name == name:
			exact = append(exact, e)
		case strings.Contains(e.Name, name):
			partial = append(partial, e)
		}
	}
	arg := "--name " + strconv.Quote(name)
	for _, set := range [][]Environment{exact, partial} {
		switch len(set) {
		case 0:
			continue
		case 1:
			return set, nil
		default:
			return nil, &SelectError{Arg: arg, Ambiguous: true, Candidates: describeAll(set)}
		}
	}
	if len(inline) == 0 {
		return nil, &SelectError{Arg: arg, Reason: "--name selects inline environments and none of the selected environments is inline"}
	}
	return nil, &SelectError{Arg: arg, Candidates: describeAll(inline)}
}

// available lists every environment for an error message.
func available(all []Environment) []string {
	out := make([]string, 0, len(all))
	for _, e := range all {
		out = append(out, e.Slug())
	}
	return out
}

func describeAll(envs []Environment) []string {
	out := make([]string, 0, len(envs))
	for _, e := range envs {
		out = append(out, describe(e))
	}
	return out
}
