package affected

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/project"
)

// SpecFile is the file that makes a directory a static Tanka environment.
const SpecFile = "spec.json"

// Env is what Select knows about one environment.
type Env struct {
	// Name identifies the environment in the Selection (the Tanka name).
	Name string
	// Dir is the environment's base directory, repository-relative: a change to Dir/spec.json
	// selects it.
	Dir string
	// JPath is the environment's import search path (repository-relative), used to decide
	// whether an unknown file could shadow one of its imports when Misses are not known.
	JPath []string
	// Reads are the repository-relative files the environment's evaluation reads in the
	// current tree (jsonnet.Result.Reads paths, a render-cache entry's Reads, or Dependencies),
	// and the directories whose listing it read (jsonnet.IsDirRead: a file added to or removed
	// from one of them selects it).
	Reads []string
	// Misses are the paths its import search probed in vain (render-cache entry Misses or
	// Scanner.Misses); they count only when MissesKnown is set.
	Misses []string
	// MissesKnown tells that Misses is complete. Without it, a Jsonnet file that no
	// environment reads and that lies where this environment's imports are searched selects
	// it, since it may now shadow (or, deleted, have shadowed) one of its imports.
	MissesKnown bool
	// Extra lists more repository-relative files or directories whose change selects the
	// environment, e.g. its golden directory for golden check.
	Extra []string
}

// Rules are the changes that select every environment.
type Rules struct {
	// Global lists repository-relative files and directories: a change to one of them, or to
	// anything under one of them, selects every environment. See GlobalPaths.
	Global []string
	// BinaryChanged tells that the kforge binary differs from the one that recorded the read
	// sets (its version or build), which selects every environment.
	BinaryChanged bool
}

// GlobalPaths are the inputs that are not Jsonnet files but shape every environment's result:
// kforge.yaml, tkrc.yaml, jsonnetfile.json, jsonnetfile.lock.json, go.mod and go.sum, plus
// the policy directories of cfg when withPolicies is set (for validate).
func GlobalPaths(cfg project.Config, withPolicies bool) []string {
	out := []string{
		project.ConfigFile, project.TkrcFile, project.JsonnetFile, "jsonnetfile.lock.json",
		"go.mod", "go.sum",
	}
	if withPolicies {
		for _, d := range cfg.Policies {
			out = append(out, cleanPath(d))
		}
	}
	return out
}

// Selection is the outcome of Select.
type Selection struct {
	// All tells that every environment is selected because of Reason.
	All bool
	// Reason explains All, e.g. "kforge.yaml changed"; empty otherwise.
	Reason string
	// Envs are the names of the selected environments, in the order they were given.
	Envs []string
	// Because maps each selected environment to the changed files that selected it (empty
	// when All is set).
	Because map[string][]string
}

// Select returns the environments that changed (repository-relative paths of files added,
// modified or deleted) may affect. An environment is selected when a changed file is one it
// reads, its spec.json, under one of its Extra paths, one of its Misses, or (Misses unknown) a
// .jsonnet, .libsonnet or .json file that no environment reads below one of the directories
// its imports are searched in. A change to a Global path, or BinaryChanged, selects all.
func Select(changed []string, envs []Env, rules Rules) Selection {
	all := func(reason string) Selection {
		s := Selection{All: true, Reason: reason, Because: map[string][]string{}}
		for _, e := range envs {
			s.Envs = append(s.Envs, e.Name)
		}
		return s
	}
	if rules.BinaryChanged {
		return all("the kforge binary changed")
	}
	files := make([]string, 0, len(changed))
	for _, c := range changed {
		c = cleanPath(c)
		if c != "." && c != "" && !slices.Contains(files, c) {
			files = append(files, c)
		}
	}
	for _, f := range files {
		for _, g := range rules.Global {
			if under(f, cleanPath(g)) {
				return all(fmt.Sprintf("%s changed", f))
			}
		}
	}
	readers := map[string]bool{}
	for _, e := range envs {
		for _, r := range e.Reads {
			readers[cleanPath(r)] = true
		}
	}
	sel := Selection{Because: map[string][]string{}}
	for _, e := range envs {
		m := newMatcher(e)
		var why []string
		for _, f := range files {
			if m.owns(f) || (!readers[f] && m.mayShadow(f)) {
				why = append(why, f)
			}
		}
		if len(why) > 0 {
			sel.Envs = append(sel.Envs, e.Name)
			sel.Because[e.Name] = why
		}
	}
	return sel
}

// matcher answers Select's questions for one environment.
type matcher struct {
	env   Env
	reads map[string]bool
	// dirs are the directories whose listing the environment read (jsonnet.DirRead).
	dirs   []string
	misses map[string]bool
	extra  []string
	search []string
}

func newMatcher(e Env) *matcher {
	m := &matcher{env: e, reads: map[string]bool{}, misses: map[string]bool{}}
	for _, r := range e.Reads {
		if jsonnet.IsDirRead(r) {
			// A directory listing: adding or removing a file in it changes it.
			m.dirs = appendUnique(m.dirs, cleanPath(r))
			continue
		}
		r = cleanPath(r)
		m.reads[r] = true
		m.search = appendUnique(m.search, path.Dir(r))
	}
	for _, x := range e.Misses {
		m.misses[cleanPath(x)] = true
	}
	m.extra = append(m.extra, path.Join(cleanPath(e.Dir), SpecFile))
	for _, x := range e.Extra {
		m.extra = append(m.extra, cleanPath(x))
	}
	for _, d := range e.JPath {
		m.search = appendUnique(m.search, cleanPath(d))
	}
	return m
}

// owns reports whether f is an input the environment is known to use.
func (m *matcher) owns(f string) bool {
	if m.reads[f] || (m.env.MissesKnown && m.misses[f]) || slices.Contains(m.dirs, path.Dir(f)) {
		return true
	}
	for _, x := range m.extra {
		if under(f, x) {
			return true
		}
	}
	return false
}

// mayShadow reports whether f, a file no environment reads, could change what one of the
// environment's imports resolves to, when its misses are not known: a Jsonnet or JSON file
// below a directory its imports are searched in.
func (m *matcher) mayShadow(f string) bool {
	if m.env.MissesKnown {
		return false
	}
	switch path.Ext(f) {
	case ".jsonnet", ".libsonnet", ".json":
	default:
		return false
	}
	for _, d := range m.search {
		if under(f, d) {
			return true
		}
	}
	return false
}

// under reports whether the clean slash path f is dir or lies below it ("." holds everything).
func under(f, dir string) bool {
	return dir == "." || f == dir || strings.HasPrefix(f, dir+"/")
}

func cleanPath(p string) string {
	return path.Clean(filepath.ToSlash(p))
}

func appendUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}
