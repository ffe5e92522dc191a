package lib

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-jsonnet/formatter"
	"github.com/google/go-jsonnet/linter"
)

// TestJsonnetUnitTests runs lib/tests/*_test.jsonnet: evaluating a file runs its `pass`
// cases (assert chains); every `fail` case must fail with its expected message.
func TestJsonnetUnitTests(t *testing.T) {
	root := repoRoot(t)
	files, err := filepath.Glob(filepath.Join(root, "lib", "tests", "*_test.jsonnet"))
	if err != nil || len(files) == 0 {
		t.Fatalf("find lib/tests/*_test.jsonnet: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		file := "lib/tests/" + filepath.Base(f)
		t.Run(strings.TrimSuffix(filepath.Base(f), ".jsonnet"), func(t *testing.T) {
			out, err := evaluateFile(root, file, "lib", "vendor-jsonnet")
			if err != nil {
				t.Fatalf("evaluate %s: %v", file, err)
			}
			var suite struct {
				Pass map[string]bool `json:"pass"`
				Fail map[string]struct {
					Expect string `json:"expect"`
				} `json:"fail"`
			}
			if err := json.Unmarshal([]byte(out), &suite); err != nil {
				t.Fatalf("decode %s: %v", file, err)
			}
			if len(suite.Pass) == 0 {
				t.Errorf("%s has no pass cases", file)
			}
			for name, ok := range suite.Pass {
				if !ok {
					t.Errorf("%s: pass case %s evaluated to false", file, name)
				}
			}
			names := make([]string, 0, len(suite.Fail))
			for name := range suite.Fail {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				want := suite.Fail[name].Expect
				t.Run(name, func(t *testing.T) {
					if want == "" {
						t.Fatalf("fail case %s has no expected message", name)
					}
					snippet := "std.manifestJson((import '" + file + "').fail['" + name + "'].value)"
					out, err := newVM(root, ".", "lib", "vendor-jsonnet").EvaluateAnonymousSnippet(file+":"+name, snippet)
					if err == nil {
						t.Fatalf("fail case %s evaluated to %s, want an error containing %q", name, out, want)
					}
					if !strings.Contains(err.Error(), want) {
						t.Errorf("fail case %s: error %q does not contain %q", name, firstLine(err.Error()), want)
					}
				})
			}
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestJsonnetFormatting holds every Jsonnet file of lib/, environments/ and policies/ to
// jsonnetfmt's defaults (2-space indent, single quotes): `jsonnetfmt --test` must pass.
func TestJsonnetFormatting(t *testing.T) {
	root := repoRoot(t)
	for _, file := range jsonnetFiles(t, root, "lib", "environments", "policies") {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			t.Fatalf("read %s: %v", file, err)
		}
		formatted, err := formatter.Format(file, string(data), formatter.DefaultOptions())
		if err != nil {
			t.Errorf("format %s: %v", file, err)
			continue
		}
		if formatted != string(data) {
			t.Errorf("%s is not jsonnetfmt-clean: run jsonnetfmt -i %s", file, file)
		}
	}
}

// TestJsonnetLint runs the go-jsonnet linter (unused variables, unknown variables and fields,
// type errors it can prove) over every Jsonnet file.
func TestJsonnetLint(t *testing.T) {
	root := repoRoot(t)
	for _, file := range jsonnetFiles(t, root, "lib", "environments", "policies") {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			t.Fatalf("read %s: %v", file, err)
		}
		jpath := []string{"lib", "vendor-jsonnet"}
		if strings.HasPrefix(file, "environments/") {
			jpath = append([]string{filepath.ToSlash(filepath.Dir(file))}, jpath...)
		}
		var out bytes.Buffer
		if linter.LintSnippet(newVM(root, jpath...), &out, []linter.Snippet{{FileName: file, Code: string(data)}}) {
			t.Errorf("%s has lint findings:\n%s", file, out.String())
		}
	}
}
