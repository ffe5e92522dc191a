package jsonnet

import (
	"fmt"
	"unicode/utf8"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
	"github.com/google/go-jsonnet/toolutils"
)

// Jsonnet source and the text of importstr are Unicode: go-jsonnet turns every byte that is not
// valid UTF-8 into U+FFFD without a word, so a Latin-1 file imported with importstr would be
// rendered, and deployed, with its accented letters replaced. kforge refuses such files
// instead, naming the file and the place of the first bad byte; importbin, which is meant for
// bytes, still reads them.

// utf8Position describes where data stops being valid UTF-8: 1-based line and column (in
// bytes), and ok false. It returns ok true for valid UTF-8.
func utf8Position(data []byte) (line, column int, ok bool) {
	if utf8.Valid(data) {
		return 0, 0, true
	}
	line, column = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return line, column, false
		}
		if data[i] == '\n' {
			line, column = line+1, 1
		} else {
			column += size
		}
		i += size
	}
	return line, column, false
}

// invalidUTF8Message says why file (a path, or "the file" where the message is already
// located in it) cannot be read as text.
func invalidUTF8Message(file string, line, column int) string {
	return fmt.Sprintf("%s is not valid UTF-8 (line %d, byte %d of the line): Jsonnet reads code and importstr text as UTF-8 and would replace the bytes with U+FFFD; re-encode the file as UTF-8, or use importbin for binary data", file, line, column)
}

// importsBinary reports whether the Jsonnet file e (at rel) imports path with importbin.
// Files that do not parse report false: go-jsonnet reports their syntax error itself.
func (e *fileEntry) importsBinary(rel, path string) bool {
	e.binaryOnce.Do(func() {
		node, err := gojsonnet.SnippetToAST(rel, e.contents.String())
		if err != nil {
			return
		}
		e.binaryImports = map[string]bool{}
		collectImportBin(node, e.binaryImports)
	})
	return e.binaryImports[path]
}

// collectImportBin adds the path of every importbin below node to into.
func collectImportBin(node ast.Node, into map[string]bool) {
	if n, ok := node.(*ast.ImportBin); ok && n.File != nil {
		into[n.File.Value] = true
	}
	for _, c := range toolutils.Children(node) {
		collectImportBin(c, into)
	}
}
