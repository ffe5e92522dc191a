package parse

import (
	"os"
	"path/filepath"
	"testing"

	gojsonnet "github.com/google/go-jsonnet"
)

// BenchmarkParse parses the Jsonnet files of this repository, or those under
// $KFORGE_PARSE_CORPUS, with this package and with go-jsonnet's SnippetToAST, side by side:
//
//	KFORGE_PARSE_CORPUS=/path/to/repo go test ./internal/jsonnet/parse -run '^$' -bench Parse -benchmem
func BenchmarkParse(b *testing.B) {
	dir := os.Getenv("KFORGE_PARSE_CORPUS")
	if dir == "" {
		dir = "../../.."
	}
	t := &testing.T{}
	var names, texts []string
	var size int64
	for _, f := range jsonnetFiles(t, filepath.Clean(dir)) {
		text, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := gojsonnet.SnippetToAST(f, string(text)); err != nil {
			continue
		}
		names = append(names, f)
		texts = append(texts, string(text))
		size += int64(len(text))
	}
	b.Run("kforge", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for i, text := range texts {
				if _, err := File(names[i], text); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("go-jsonnet", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for i, text := range texts {
				if _, err := gojsonnet.SnippetToAST(names[i], text); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
