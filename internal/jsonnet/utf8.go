package jsonnet

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// Jsonnet source and the text of importstr are Unicode: go-jsonnet turns every byte that is not
// valid UTF-8 into U+FFFD without a word, so a Latin-1 file imported with importstr would be
// rendered, and deployed, with its accented letters replaced. kforge refuses such files
// instead, naming the file and the place of the first bad byte; importbin, which is meant for
// bytes, still reads them.
//
// go-jsonnet asks the importer for a path without saying whether import, importstr or importbin
// wants it, so the importer reads the kind off the importing program: a file's own source, a
// snippet's code, or for ext code and top-level argument code (which import as "") that code.
// One limit remains: a program that imports the same path both with importbin and as text gets
// one answer for both, and the path counts as binary.

// utf8Position locates the first byte of data that is not valid UTF-8: its 1-based line, and its
// column counted in characters as go-jsonnet counts them (each invalid byte one character). ok
// is true, with zero line and column, when data is valid UTF-8.
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
			column++
		}
		i += size
	}
	return line, column, false
}

// invalidUTF8Message says why file (a path, or "the file" where the message is already
// located in it) cannot be read as text.
func invalidUTF8Message(file string, line, column int) string {
	return fmt.Sprintf("%s is not valid UTF-8 (line %d, character %d): Jsonnet reads code and importstr text as UTF-8 and would replace the bytes with U+FFFD; re-encode the file as UTF-8, or use importbin for binary data", file, line, column)
}

// binaryImports returns the paths the Jsonnet programs codes import with importbin. A program
// that does not parse contributes nothing: go-jsonnet reports its syntax error itself.
func binaryImports(name string, codes ...string) map[string]bool {
	paths := map[string]bool{}
	for _, code := range codes {
		if !strings.Contains(code, "importbin") {
			continue
		}
		node, err := gojsonnet.SnippetToAST(name, code)
		if err != nil {
			continue
		}
		collectImportBin(reflect.ValueOf(node), paths)
	}
	return paths
}

var (
	importBinType = reflect.TypeOf((*ast.ImportBin)(nil))
	sourceType    = reflect.TypeOf((*ast.Source)(nil))
	astPackage    = importBinType.Elem().PkgPath()
)

// collectImportBin adds the path of every importbin below v, an AST value, to into. It walks the
// AST by reflection, so that no kind of node (object asserts, default arguments, comprehension
// clauses) can hide one.
func collectImportBin(v reflect.Value, into map[string]bool) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			collectImportBin(v.Elem(), into)
		}
	case reflect.Pointer:
		if v.IsNil() || v.Type() == sourceType || v.Type().Elem().PkgPath() != astPackage {
			return
		}
		if v.Type() == importBinType {
			if file := v.Elem().FieldByName("File"); !file.IsNil() {
				into[file.Elem().FieldByName("Value").String()] = true
			}
			return
		}
		collectImportBin(v.Elem(), into)
	case reflect.Struct:
		for i := range v.NumField() {
			collectImportBin(v.Field(i), into)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collectImportBin(v.Index(i), into)
		}
	}
}
