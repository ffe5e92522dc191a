package jsonnet

import (
	"errors"
	"slices"
	"strings"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"github.com/kforge/kforge/internal/jsonnet/interp"
	"github.com/kforge/kforge/internal/jsonnet/parse"
)

// kforge's evaluator (internal/jsonnet/interp) is the first attempt at every file
// (Options.DisableInterp turns it off). It evaluates the ASTs kforge's parser
// (internal/jsonnet/parse) builds for the program and the Jsonnet files it imports (go-jsonnet's
// where that parser refuses a file), builds the values of imported JSON documents straight from
// their text, calls the same native functions, and writes its value as the text go-jsonnet
// would print. Whatever it does not serve is evaluated by go-jsonnet afresh: a program that
// fails (go-jsonnet then reports the error with its message and stack trace), one that uses
// something the evaluator leaves to go-jsonnet (std.trace, top-level arguments, a builtin it
// lacks), and nothing of the attempt is kept but the files go-jsonnet reads again.

// interpImporter resolves the imports of kforge's evaluator through go-jsonnet's import cache
// (so the importer, its sandbox, its read set and the JSON fast path stay where they are) and
// parses Jsonnet files with kforge's parser (internal/jsonnet/parse), once per file for the
// VM's life: a file's contents never change under one name (see sandbox). A file that parser
// refuses, and every JSON stand-in, is left to go-jsonnet's import cache.
type interpImporter struct {
	g   *gojsonnet.VM
	imp *importer
	// asts holds each parsed file by the name go-jsonnet found it under; nil when kforge's
	// parser refused it.
	asts map[string]ast.Node
}

// ImportAST implements interp.Importer.
func (w *interpImporter) ImportAST(importedFrom, importedPath string) (ast.Node, string, error) {
	contents, foundAt, err := w.g.ImportData(importedFrom, importedPath)
	if err != nil {
		return nil, "", err
	}
	if strings.HasPrefix(foundAt, jsonStandInPrefix) {
		return w.g.ImportAST(importedFrom, importedPath)
	}
	node, seen := w.asts[foundAt]
	if !seen {
		node = kforgeParse(foundAt, contents)
		w.asts[foundAt] = node
	}
	if node == nil {
		return w.g.ImportAST(importedFrom, importedPath)
	}
	return node, foundAt, nil
}

// ImportJSON implements interp.JSONImporter: the JSON files go-jsonnet would get as stand-ins.
func (w *interpImporter) ImportJSON(importedFrom, importedPath string) (string, string, bool) {
	return w.imp.jsonText(importedFrom, importedPath)
}

// ImportData implements interp.Importer.
func (w *interpImporter) ImportData(importedFrom, importedPath string) (string, string, error) {
	return w.g.ImportData(importedFrom, importedPath)
}

// kforgeParse is the AST kforge's parser builds for the Jsonnet text of filename, or nil when
// it refuses the text (go-jsonnet then parses it, and reports its errors).
func kforgeParse(filename, text string) ast.Node {
	node, err := parse.File(filename, text)
	if err != nil {
		return nil
	}
	return node
}

// interpOutcome is how an attempt of kforge's evaluator ended.
type interpOutcome int

const (
	// interpServed: the program's output is the attempt's.
	interpServed interpOutcome = iota
	// interpDeclined: go-jsonnet must evaluate the program (it may well succeed).
	interpDeclined
	// interpFailed: the program failed; go-jsonnet fails too and reports how.
	interpFailed
)

// runInterp evaluates node with kforge's evaluator. The caller has prepared g as for the
// normal evaluation.
func (e *engine) runInterp(cfg *config, node ast.Node) (string, interpOutcome) {
	if len(cfg.tlaVars) > 0 || len(cfg.tlaCode) > 0 {
		return "", interpDeclined
	}
	if e.interp == nil {
		// The sink's native too, so that std.native finds exactly what go-jsonnet finds.
		importer := &interpImporter{g: e.g, imp: e.imp, asts: map[string]ast.Node{}}
		e.interp = interp.New(importer, append(slices.Clip(e.natives), sinkFunction(e.sink)))
		if e.imp.format != nil {
			e.interp.SetFormatter(interpFormatter{stats: e.formatStats})
		}
	}
	out, err := e.interp.EvaluateText(node, interp.Options{MaxStack: cfg.maxStack, ExtVars: cfg.extVars, ExtCode: cfg.extCode})
	if err != nil {
		var d *interp.Decline
		if errors.As(err, &d) && d.Runtime {
			return "", interpFailed
		}
		return "", interpDeclined
	}
	return out, interpServed
}

// interpFormatter gives kforge's evaluator the Go formatter of native formatting (format.go).
type interpFormatter struct {
	// stats counts its calls with those of the rewritten code's.
	stats *formatStats
}

// Keys implements interp.Formatter.
func (interpFormatter) Keys(str string) ([]string, bool) {
	if !safeString(str) {
		return nil, false
	}
	pieces, ok := parseFormat(str)
	if !ok {
		return nil, false
	}
	codes, ok := objectCodes(pieces)
	if !ok {
		return nil, false
	}
	keys := make([]string, len(codes))
	for i, c := range codes {
		keys[i] = c.key
	}
	return keys, true
}

// Format implements interp.Formatter.
func (f interpFormatter) Format(str string, vals any) (string, bool) {
	f.stats.calls.Add(1)
	out, ok := f.format(str, vals)
	if !ok {
		f.stats.declined.Add(1)
	}
	return out, ok
}

func (f interpFormatter) format(str string, vals any) (string, bool) {
	switch v := vals.(type) {
	case []any:
		return nativeFormat([]any{str, v, false})
	case map[string]any:
		keys, ok := f.Keys(str)
		if !ok {
			return "", false
		}
		ordered := make([]any, len(keys))
		for i, k := range keys {
			if ordered[i], ok = v[k]; !ok {
				return "", false
			}
		}
		return nativeFormat([]any{str, ordered, true})
	}
	return "", false
}
