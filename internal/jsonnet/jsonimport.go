package jsonnet

import (
	"fmt"
	"reflect"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// Handing go-jsonnet the ASTs of imported JSON files.
//
// go-jsonnet parses every file it imports as code from the text the importer returns, and
// offers no way to give it a parsed file. VM.ImportAST, though, returns the very node its
// import cache will evaluate (format_rewrite.go rewrites files through it). So for a JSON
// file jsonAST builds, the importer returns, under a name of its own (jsonStandInPrefix + the
// file's path), a one-token document whose root has the type of the built root: go-jsonnet
// parses that in no time, and jsonHook overwrites the cached root with the built one before
// go-jsonnet evaluates it. The built nodes carry the real file's name and locations, so
// nothing the program can observe changes; the name of its own keeps the stand-in from ever
// being the text of an `importstr` of the same file (importer.jsonStandIn also leaves files
// that might importstr it to go-jsonnet).

// jsonStandInPrefix starts the names under which built JSON files reach go-jsonnet. Every
// other name the importer hands out is a repository-relative path inside the root (isLocal),
// which never starts with "../", or a "<tk>" name (isTkName), so no file can take one.
const jsonStandInPrefix = "../<json>/"

// jsonStandIn is how one JSON file reaches go-jsonnet: contents and foundAt as the importer
// returns them, and node, the AST jsonAST built, that replaces the contents' AST.
type jsonStandIn struct {
	contents gojsonnet.Contents
	foundAt  string
	node     ast.Node
}

// jsonStandIn builds (once) the stand-in of the entry at foundAt, or returns nil when it is not a
// JSON document jsonAST handles.
func (e *fileEntry) jsonStandIn(foundAt string) *jsonStandIn {
	e.jsonOnce.Do(func() {
		if !e.exists || e.badLine > 0 {
			return
		}
		node, ok := jsonAST(foundAt, e.contents.String())
		if !ok {
			return
		}
		e.json = &jsonStandIn{
			contents: gojsonnet.MakeContents(standInText(node)),
			foundAt:  jsonStandInPrefix + foundAt,
			node:     node,
		}
	})
	return e.json
}

// standInText is a document whose root node has the type of node, a root jsonAST builds.
func standInText(node ast.Node) string {
	switch node.(type) {
	case *ast.DesugaredObject:
		return "{}"
	case *ast.Array:
		return "[]"
	case *ast.LiteralString:
		return `""`
	case *ast.LiteralNumber:
		return "0"
	case *ast.Unary:
		return "-0"
	case *ast.LiteralBoolean:
		return "true"
	case *ast.LiteralNull:
		return "null"
	}
	panic(fmt.Sprintf("jsonnet: jsonAST built a root of type %T", node))
}

// jsonHook puts the built ASTs of JSON files into one VM's import cache, once per file.
type jsonHook struct {
	vm *gojsonnet.VM
	// done holds the stand-in names already installed.
	done map[string]bool
	// busy is set while the hook's own ImportAST call runs (it imports the file again).
	busy bool
}

// newJSONHook returns the hook for the VM g.
func newJSONHook(g *gojsonnet.VM) *jsonHook {
	return &jsonHook{vm: g, done: map[string]bool{}}
}

// install makes go-jsonnet parse standIn's text (importedPath imported from importedFrom, which
// the importer answers with standIn) and overwrites the root it cached with standIn's AST.
func (h *jsonHook) install(importedFrom, importedPath string, standIn *jsonStandIn) {
	if h.busy || h.done[standIn.foundAt] {
		return
	}
	h.done[standIn.foundAt] = true
	h.busy = true
	root, _, err := h.vm.ImportAST(importedFrom, importedPath)
	h.busy = false
	if err != nil {
		panic(fmt.Sprintf("jsonnet: go-jsonnet rejected the stand-in %q of %s: %v", standIn.contents.String(), standIn.foundAt, err))
	}
	dst, src := reflect.ValueOf(root), reflect.ValueOf(standIn.node)
	if dst.Type() != src.Type() {
		panic(fmt.Sprintf("jsonnet: the stand-in of %s parsed to %s, not %s", standIn.foundAt, dst.Type(), src.Type()))
	}
	dst.Elem().Set(src.Elem())
}
