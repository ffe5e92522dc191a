package manifest

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// checkGolden compares got with the golden file; with -update it rewrites
// the file, only when the content changed.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(path)
	if *update {
		if err == nil && bytes.Equal(want, got) {
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatalf("read golden file: %v (run go test -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (run go test -update and review the diff)\ngot:\n%s", path, got)
	}
}

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
	checkGolden(t, filepath.Join(dir, "stream.yaml"), stream.Bytes())

	var list bytes.Buffer
	if err := WriteJSON(&list, ms); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join(dir, "list.json"), list.Bytes())

	names, err := FileNames(ms)
	if err != nil {
		t.Fatal(err)
	}
	var files bytes.Buffer
	for i, m := range ms {
		fmt.Fprintf(&files, "%s\t%s\t%s\n", names[i], m.ID(), m.Path)
	}
	checkGolden(t, filepath.Join(dir, "files.txt"), files.Bytes())
}
