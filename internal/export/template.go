package export

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/kforge/kforge/internal/golden"
)

// DefaultFormat is Tanka's default export file name template.
const DefaultFormat = "{{.apiVersion}}.{{.kind}}-{{or .metadata.name .metadata.generateName}}"

// slashFunc is the function appended to every printing action of a name template: it turns
// "/" in values into "-", so that only "/" written in the template text makes directories.
const slashFunc = "kforgeNoSlash"

// nameTemplate turns a manifest into an export file path, the way `tk export --format` does.
type nameTemplate struct {
	tmpl *template.Template
	ext  string
}

// newNameTemplate parses format (Go text/template over the manifest object, with `env`
// returning the environment object, as in Tanka) and the extension without its dot.
//
// Like Tanka, "/" written in the template text separates directories while "/" in values
// becomes "-"; a missing field prints "<no value>". Instead of Tanka's placeholder-character
// trick kforge rewrites the parsed template so that every printing action ends in a function
// that replaces "/", which also holds when a value contains Tanka's placeholder character.
// Tanka registers all of sprig; kforge provides the functions name templates use: lower,
// upper, trim, trimPrefix, trimSuffix, replace and default, with sprig's argument order.
func newNameTemplate(format, ext string) (*nameTemplate, error) {
	if format == "" {
		format = DefaultFormat
	}
	if ext == "" {
		ext = "yaml"
	}
	if strings.ContainsAny(ext, "/\\\x00") || strings.HasPrefix(ext, ".") {
		return nil, fmt.Errorf("parse extension %q: must be a plain suffix such as yaml", ext)
	}
	t, err := template.New("format").Funcs(nameFuncs()).Parse(format)
	if err != nil {
		return nil, fmt.Errorf("parse format: %w", err)
	}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			noSlashInValues(tt.Root)
		}
	}
	return &nameTemplate{tmpl: t, ext: ext}, nil
}

// name executes the template for one manifest of environment env and returns the clean,
// validated relative path of its file.
func (n *nameTemplate) name(obj, env map[string]any, resource string) (string, error) {
	n.tmpl.Funcs(template.FuncMap{"env": func() map[string]any { return env }})
	var buf bytes.Buffer
	if err := n.tmpl.Execute(&buf, obj); err != nil {
		return "", fmt.Errorf("execute format for %s: %w", resource, err)
	}
	raw := buf.String()
	if strings.Trim(raw, "/") == "" {
		return "", &golden.PathError{Path: raw, Resource: resource, Reason: "format produced an empty name"}
	}
	p := path.Clean(strings.TrimLeft(raw+"."+n.ext, "/"))
	if err := golden.ValidatePath(p, resource); err != nil {
		return "", err
	}
	return p, nil
}

// noSlashInValues appends slashFunc to the pipeline of every action that prints a value.
func noSlashInValues(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			noSlashInValues(c)
		}
	case *parse.ActionNode:
		if len(n.Pipe.Decl) == 0 {
			ident := parse.NewIdentifier(slashFunc).SetPos(n.Pos)
			n.Pipe.Cmds = append(n.Pipe.Cmds, &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos, Args: []parse.Node{ident}})
		}
	case *parse.IfNode:
		noSlashInValues(n.List)
		noSlashInValues(n.ElseList)
	case *parse.RangeNode:
		noSlashInValues(n.List)
		noSlashInValues(n.ElseList)
	case *parse.WithNode:
		noSlashInValues(n.List)
		noSlashInValues(n.ElseList)
	}
}

// nameFuncs are the functions available in name templates.
func nameFuncs() template.FuncMap {
	return template.FuncMap{
		slashFunc: func(v any) string {
			if v == nil {
				return "<no value>"
			}
			return strings.ReplaceAll(fmt.Sprint(v), "/", "-")
		},
		"env":        func() map[string]any { return nil },
		"lower":      strings.ToLower,
		"upper":      strings.ToUpper,
		"trim":       strings.TrimSpace,
		"trimPrefix": func(prefix, s string) string { return strings.TrimPrefix(s, prefix) },
		"trimSuffix": func(suffix, s string) string { return strings.TrimSuffix(s, suffix) },
		"replace":    func(from, to, s string) string { return strings.ReplaceAll(s, from, to) },
		"default": func(def any, v ...any) any {
			if len(v) == 0 || v[0] == nil || v[0] == "" {
				return def
			}
			return v[0]
		},
	}
}
