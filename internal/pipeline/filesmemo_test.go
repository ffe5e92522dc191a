package pipeline

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/kforge/kforge/internal/golden"
)

func TestFilesMemoEncoding(t *testing.T) {
	tests := []struct {
		name     string
		files    []golden.File
		warnings []string
	}{
		{name: "empty"},
		{name: "warnings only", warnings: []string{"duplicate resource a", ""}},
		{name: "files", files: []golden.File{
			{Path: "apps/deployment-a.yaml", Content: []byte("apiVersion: apps/v1\nkind: Deployment\n"), Resource: "apps/Deployment/apps/a", Kind: "Deployment"},
			{Path: "secret-s.yaml", Content: []byte("kind: Secret\n"), Resource: "v1/Secret/default/s", Kind: "Secret", Secret: true},
			{Path: "empty.yaml", Content: []byte{}},
		}, warnings: []string{"w"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := encodeFilesMemo(tt.files, tt.warnings)
			files, warnings, ok := decodeFilesMemo(data)
			if !ok {
				t.Fatalf("decodeFilesMemo(encodeFilesMemo(...)) failed")
			}
			if len(files) != len(tt.files) || len(warnings) != len(tt.warnings) {
				t.Fatalf("got %d files and %d warnings, want %d and %d", len(files), len(warnings), len(tt.files), len(tt.warnings))
			}
			for i := range files {
				if !reflect.DeepEqual(files[i], tt.files[i]) {
					t.Errorf("file %d = %+v, want %+v", i, files[i], tt.files[i])
				}
			}
			for i := range warnings {
				if warnings[i] != tt.warnings[i] {
					t.Errorf("warning %d = %q, want %q", i, warnings[i], tt.warnings[i])
				}
			}
			// Every truncation, and any extra byte, is rejected.
			for n := range len(data) {
				if _, _, ok := decodeFilesMemo(data[:n]); ok {
					t.Errorf("a memo truncated to %d of %d bytes decoded", n, len(data))
				}
			}
			if _, _, ok := decodeFilesMemo(append(bytes.Clone(data), 0)); ok {
				t.Error("a memo with a trailing byte decoded")
			}
			// Contents are slices of the memo whose capacity ends with them: appending to one
			// never writes into the next.
			for i, f := range files {
				if cap(f.Content) != len(f.Content) {
					t.Errorf("file %d: content capacity %d beyond its length %d", i, cap(f.Content), len(f.Content))
				}
			}
		})
	}
}

// FuzzFilesMemo: decoding never panics, and whatever decodes survives a round trip (the
// bytes may differ: a uvarint may have been written longer than needed).
func FuzzFilesMemo(f *testing.F) {
	f.Add(encodeFilesMemo([]golden.File{{Path: "a.yaml", Content: []byte("a: 1\n"), Resource: "v1/ConfigMap/x/a", Kind: "ConfigMap", Secret: true}}, []string{"w"}))
	f.Add([]byte{0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		files, warnings, ok := decodeFilesMemo(data)
		if !ok {
			return
		}
		files2, warnings2, ok := decodeFilesMemo(encodeFilesMemo(files, warnings))
		if !ok || !reflect.DeepEqual(files2, files) || !reflect.DeepEqual(warnings2, warnings) {
			t.Fatalf("round trip of %x: %v, %+v %q; want %+v %q", data, ok, files2, warnings2, files, warnings)
		}
	})
}
