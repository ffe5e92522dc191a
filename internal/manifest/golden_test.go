package manifest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

func TestGoldenPlatform(t *testing.T) {
	dir := filepath.Join("testdata", "platform")
	output, err := os.ReadFile(filepath.Join(dir, "output.json"))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Extract(output, Settings{
		Namespace:     "default",
		InjectLabels:  map[string]string{"tanka.dev/environment": "0123456789abcdef0123456789abcdef0123456789abcdef"},
		DefaultLabels: map[string]string{"app.kubernetes.io/managed-by": "kforge", "app.kubernetes.io/name": "default-name"},
	})
	if err != nil {
		t.Fatal(err)
	}

	var stream bytes.Buffer
	if err := WriteStream(&stream, ms); err != nil {
		t.Fatal(err)
	}
	testfs.Golden(t, filepath.Join(dir, "stream.yaml"), stream.Bytes())

	var list bytes.Buffer
	if err := WriteJSON(&list, ms); err != nil {
		t.Fatal(err)
	}
	testfs.Golden(t, filepath.Join(dir, "list.json"), list.Bytes())

	names, err := FileNames(ms)
	if err != nil {
		t.Fatal(err)
	}
	var files bytes.Buffer
	for i, m := range ms {
		fmt.Fprintf(&files, "%s\t%s\t%s\n", names[i], m.ID(), m.Path)
	}
	testfs.Golden(t, filepath.Join(dir, "files.txt"), files.Bytes())
}
