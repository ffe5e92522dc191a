package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// modulePath is the module's import path; the table in docs/architecture.md names packages
// relative to it and imports relative to internal/.
const modulePath = "github.com/kforge/kforge/"

// TestArchitectureImportTable compares the package table of docs/architecture.md with the
// imports `go list` reports, so that the map of the code stays true: every package of cmd/ and
// internal/ is in the table, with exactly the kforge packages its non-test code imports.
func TestArchitectureImportTable(t *testing.T) {
	root := filepath.Join("..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := parseImportTable(t, string(doc))

	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./cmd/...", "./internal/...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	actual := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], modulePath)
		imports := []string{}
		for _, imp := range fields[1:] {
			if rest, ok := strings.CutPrefix(imp, modulePath+"internal/"); ok {
				imports = append(imports, rest)
			}
		}
		sort.Strings(imports)
		actual[pkg] = imports
	}

	for pkg, imports := range actual {
		want, ok := documented[pkg]
		if !ok {
			t.Errorf("docs/architecture.md: package %s is missing from the table (it imports %v)", pkg, imports)
			continue
		}
		if !reflect.DeepEqual(want, imports) {
			t.Errorf("docs/architecture.md: %s imports %v, the table says %v", pkg, imports, want)
		}
	}
	for pkg := range documented {
		if _, ok := actual[pkg]; !ok {
			t.Errorf("docs/architecture.md: the table lists %s, which does not exist", pkg)
		}
	}
}

// parseImportTable reads the rows of the package table: "| `pkg` | stage | job | imports |",
// imports being backquoted names relative to internal/ or "—" for none.
func parseImportTable(t *testing.T, doc string) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(line, "| `cmd/") && !strings.HasPrefix(line, "| `internal/") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 4 {
			t.Fatalf("docs/architecture.md: want 4 columns in %q", line)
		}
		pkg := strings.Trim(strings.TrimSpace(cells[0]), "`")
		imports := []string{}
		if list := strings.TrimSpace(cells[3]); list != "—" {
			for _, name := range strings.Split(list, ",") {
				imports = append(imports, strings.Trim(strings.TrimSpace(name), "`"))
			}
		}
		sort.Strings(imports)
		if _, dup := rows[pkg]; dup {
			t.Fatalf("docs/architecture.md: %s is listed twice", pkg)
		}
		rows[pkg] = imports
	}
	if len(rows) == 0 {
		t.Fatal("docs/architecture.md: no package table found")
	}
	return rows
}
