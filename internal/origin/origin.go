// Package origin points a value of an environment's output back at the Jsonnet that set it: the
// one literal, among the files the environment's evaluation read, that sets a field of that
// name to that value ("weight: 40" in environments/prod/main.jsonnet). It never guesses: a value
// set by no literal, or by several, has no origin.
package origin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
	"github.com/google/go-jsonnet/toolutils"

	"github.com/kforge/kforge/internal/jsonnet"
)

// Site is a place in a repository file: a slash path relative to the root and a 1-based line
// and column.
type Site struct {
	File   string
	Line   int
	Column int
}

// Index finds the literals of Jsonnet files. It parses each file once (per content) however
// many environments read it, and is safe for concurrent use.
type Index struct {
	root string

	mu    sync.Mutex
	files map[jsonnet.FileRead]*fileIndex
}

// New returns an Index of the files below root (the repository root that file reads are
// relative to).
func New(root string) *Index {
	return &Index{root: root, files: map[jsonnet.FileRead]*fileIndex{}}
}

// fileIndex is one file's literal fields by name. A file that is not Jsonnet (a YAML file read
// with importstr) or whose content is not what the evaluation read has no literals, only its
// text: a field name found in it makes every lookup of that name ambiguous.
type fileIndex struct {
	once       sync.Once
	fields     map[string][]literal
	text       string
	unreadable bool
}

// literal is one field whose body is a literal.
type literal struct {
	value        any // string, bool, nil or a float64
	line, column int
}

// SetAt returns the one place among reads where a field called name is set to a literal equal
// to value (a string, boolean, nil, or a number as json.Number or float64; numbers compare by
// value, so 40 matches 40.0). ok is false when no literal or several do, when value is not a
// scalar, or when a read file that is not Jsonnet mentions name.
func (x *Index) SetAt(reads []jsonnet.FileRead, name string, value any) (site Site, ok bool) {
	want, scalar := normalize(value)
	if !scalar || name == "" {
		return Site{}, false
	}
	found := 0
	for _, r := range reads {
		if jsonnet.IsDirRead(r.Path) {
			continue // a directory listing (a Helm chart's) sets no field
		}
		fi := x.file(r)
		if fi.unreadable {
			return Site{}, false
		}
		if fi.fields == nil {
			if strings.Contains(fi.text, name) {
				return Site{}, false
			}
			continue
		}
		for _, l := range fi.fields[name] {
			if l.value != want {
				continue
			}
			found++
			if found > 1 {
				return Site{}, false
			}
			site = Site{File: r.Path, Line: l.line, Column: l.column}
		}
	}
	return site, found == 1
}

// file returns the index of one read file, building it on first use.
func (x *Index) file(r jsonnet.FileRead) *fileIndex {
	x.mu.Lock()
	fi, ok := x.files[r]
	if !ok {
		fi = &fileIndex{}
		x.files[r] = fi
	}
	x.mu.Unlock()
	fi.once.Do(func() { fi.build(x.root, r) })
	return fi
}

// build reads and parses the file. A file that does not parse, or changed since it was read,
// keeps only its text; one that cannot be read is unreadable.
func (fi *fileIndex) build(root string, r jsonnet.FileRead) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(r.Path)))
	if err != nil {
		// Unreadable now: nothing can be said about it, so no lookup may trust the others.
		fi.unreadable = true
		return
	}
	fi.text = string(data)
	sum := sha256.Sum256(data)
	if r.SHA256 != "" && hex.EncodeToString(sum[:]) != r.SHA256 {
		return
	}
	node, err := gojsonnet.SnippetToAST(r.Path, fi.text)
	if err != nil {
		return
	}
	fi.fields = map[string][]literal{}
	walk(node, fi.fields)
}

// walk indexes every object field of the tree whose name and body are literals.
func walk(node ast.Node, into map[string][]literal) {
	if node == nil {
		return
	}
	if obj, ok := node.(*ast.DesugaredObject); ok {
		for _, f := range obj.Fields {
			name, ok := f.Name.(*ast.LiteralString)
			if !ok {
				continue
			}
			if v, ok := literalValue(f.Body); ok {
				into[name.Value] = append(into[name.Value], literal{value: v, line: f.LocRange.Begin.Line, column: f.LocRange.Begin.Column})
			}
		}
	}
	for _, c := range toolutils.Children(node) {
		walk(c, into)
	}
}

// literalValue is the value of a literal expression (a negated number included), normalized.
func literalValue(n ast.Node) (any, bool) {
	switch n := n.(type) {
	case *ast.LiteralString:
		return n.Value, true
	case *ast.LiteralBoolean:
		return n.Value, true
	case *ast.LiteralNull:
		return nil, true
	case *ast.LiteralNumber:
		return number(n.OriginalString)
	case *ast.Unary:
		if lit, ok := n.Expr.(*ast.LiteralNumber); ok && n.Op == ast.UopMinus {
			return number("-" + lit.OriginalString)
		}
	}
	return nil, false
}

// normalize turns an output value into the form literals are indexed in; ok is false for
// objects and arrays.
func normalize(v any) (any, bool) {
	switch v := v.(type) {
	case string, bool, nil:
		return v, true
	case float64:
		return v, true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case json.Number:
		return number(v.String())
	}
	return nil, false
}

// number parses a number for comparison by value.
func number(s string) (any, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, false
	}
	return f, true
}

// String renders the site as "file:line".
func (s Site) String() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }
