package drift_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/golden/goldentest"
	"github.com/kforge/kforge/internal/report"
)

// TestCompareMasksSecrets checks that neither the diff nor the text report of a changed Secret
// shows its values.
func TestCompareMasksSecrets(t *testing.T) {
	secret := func(v string, flag bool) golden.File {
		return golden.File{
			Path:     "apps/secret-db.yaml",
			Content:  goldentest.ManifestYAML("v1", "Secret", "apps", "db", "stringData:\n  password: |\n    "+v+"\n    second-line\ntype: Opaque\n"),
			Resource: "core/Secret/apps/db",
			Secret:   flag,
		}
	}
	for _, flag := range []bool{true, false} {
		_, tgt := drift.NewRepo(t, drift.FilesMap([]golden.File{secret("old-password-value", false)}))
		d, err := drift.Compare(tgt, []golden.File{secret("new-password-value", flag)})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Entries) != 1 || !d.Entries[0].Masked {
			t.Fatalf("entries %+v, want one masked change", d.Entries)
		}
		diff := d.Entries[0].Diff
		for _, leak := range []string{"old-password-value", "new-password-value", "second-line"} {
			if strings.Contains(diff, leak) {
				t.Errorf("diff leaks %q:\n%s", leak, diff)
			}
		}
		want := "-  password: " + drift.MaskedOld + "\n+  password: " + drift.MaskedNew + "\n"
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff)
		}
		var buf bytes.Buffer
		if err := report.WriteDriftText(&buf, []drift.Drift{d}, report.DriftTextOptions{Hint: true}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "password-value") {
			t.Errorf("text report leaks the secret:\n%s", buf.String())
		}
	}
}
