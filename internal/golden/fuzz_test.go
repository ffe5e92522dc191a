package golden

import (
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzValidatePath checks that every accepted path is local, clean and free of hidden parts.
func FuzzValidatePath(f *testing.F) {
	for _, s := range []string{"apps/x.yaml", "../x", "a//b", "/abs", "a\\b", ".x", "C:/x", "a/\x00", "ü/ß.yaml"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if ValidatePath(p, "") != nil {
			return
		}
		if !filepath.IsLocal(p) || path.Clean(p) != p || strings.HasPrefix(p, ".") || strings.Contains(p, "/.") {
			t.Fatalf("accepted unsafe path %q", p)
		}
	})
}
