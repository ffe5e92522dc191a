package manifest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/yamlemit"
)

// TestYAMLFastPathGolden re-encodes every manifest of the reference environments (the golden/
// tree) with internal/yamlemit and with yaml.v2: every one must take the fast path and give
// yaml.v2's bytes, which are also the golden file's.
func TestYAMLFastPathGolden(t *testing.T) {
	root := filepath.Join("..", "..", "golden")
	count := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		ms, err := ParseYAML(data, path)
		if err != nil {
			return err
		}
		var stream []byte
		for i, m := range ms {
			want, err := m.yamlV2()
			if err != nil {
				return err
			}
			got, ok := yamlemit.Append(nil, m.Object)
			switch {
			case !ok:
				t.Errorf("%s: yamlemit declined %s", path, m.ID())
			case !bytes.Equal(got, want):
				t.Errorf("%s: %s differs from yaml.v2:\n%s\nwant:\n%s", path, m.ID(), got, want)
			}
			if i > 0 {
				stream = append(stream, "---\n"...)
			}
			stream = append(stream, want...)
			count++
		}
		if !bytes.Equal(stream, data) {
			t.Errorf("%s: yaml.v2 does not reproduce the golden file", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count == 0 {
		t.Fatalf("no manifests under %s", root)
	}
	t.Logf("%d manifests", count)
}
