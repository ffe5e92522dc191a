package affected

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/google/go-jsonnet/ast"
	"github.com/google/go-jsonnet/formatter"

	"github.com/kforge/kforge/internal/jsonnet"
)

// chartFile marks a directory as a Helm chart.
const chartFile = "Chart.yaml"

// callsHelm matches a file that may call helmTemplate: the native function itself, or a wrapper
// method such as tanka-util's helm.template(...).
var callsHelm = regexp.MustCompile(`helmTemplate|\.template\s*\(`)

// literals returns stringLiterals of the file, remembered by content like Imports.
func (s *Scanner) literals(name string, src []byte) []string {
	sum := sha256.Sum256(src)
	s.mu.Lock()
	lits, ok := s.strings[sum]
	s.mu.Unlock()
	if ok {
		return lits
	}
	lits = stringLiterals(name, src)
	s.mu.Lock()
	s.strings[sum] = lits
	s.mu.Unlock()
	return lits
}

// chartReads returns what rendering the Helm charts that files (repository-relative Jsonnet
// files under root) may name reads: in every file that may call helmTemplate (callsHelm), for
// every string literal that, taken relative to its
// file's directory as helmTemplate takes its chart argument, names a directory holding
// Chart.yaml (or a packaged .tgz chart), every file below it and the listing of every
// directory (jsonnet.DirRead). A static read set cannot follow std.native('helmTemplate'),
// whose reads are only known when it runs; this covers charts named by a literal in the
// calling file, as Tanka's helm.template(name, './charts/x', ...) does.
func (s *Scanner) chartReads(root string, files []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		if jsonnet.IsDirRead(f) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil || !callsHelm.Match(data) {
			continue
		}
		for _, lit := range s.literals(f, data) {
			dir := path.Join(path.Dir(f), lit)
			if seen[dir] || !isLocal(dir) {
				continue
			}
			seen[dir] = true
			reads, err := chartTree(root, dir)
			if err != nil {
				return nil, err
			}
			out = append(out, reads...)
		}
	}
	sort.Strings(out)
	return out, nil
}

// chartTree lists the files and directory listings of the chart at dir, or nothing when dir
// is not a chart.
func chartTree(root, dir string) ([]string, error) {
	abs := filepath.Join(root, filepath.FromSlash(dir))
	info, err := os.Stat(abs)
	if err != nil {
		return nil, nil
	}
	if !info.IsDir() {
		if path.Ext(dir) == ".tgz" {
			return []string{dir}, nil
		}
		return nil, nil
	}
	if _, err := os.Stat(filepath.Join(abs, chartFile)); err != nil {
		return nil, nil
	}
	var out []string
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out = append(out, jsonnet.DirRead(rel))
		} else {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return out, nil
}

// stringLiterals returns the values of the string literals in the Jsonnet file name (content
// src) that could be a relative path; nil when it does not parse.
func stringLiterals(name string, src []byte) []string {
	node, _, err := formatter.SnippetToRawAST(name, string(src))
	if err != nil {
		return nil
	}
	var out []string
	walkAST(node, func(n any) bool {
		lit, ok := n.(*ast.LiteralString)
		if !ok {
			return true
		}
		if s, ok := importPath(lit); ok && s != "" && len(s) < 4096 {
			out = append(out, s)
		}
		return false
	})
	return out
}
