package main

import (
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNormalizeNumbers(t *testing.T) {
	tests := []struct {
		name, in, want string
		changed        bool
	}{
		{"yaml value", "spec:\n  million: 1e+06\n", "spec:\n  million: 1000000\n", true},
		{"yaml fraction mantissa", "  size: 1.073741824e+09\n", "  size: 1073741824\n", true},
		{"negative", "  n: -2e+06\n", "  n: -2000000\n", true},
		{"sequence item", "list:\n- 1e+06\n- 3\n", "list:\n- 1000000\n- 3\n", true},
		{"nested sequence item", "  - - 5e+06\n", "  - - 5000000\n", true},
		{"json value", "{\n  \"a\": 1e+06,\n  \"b\": 2e+07\n}\n", "{\n  \"a\": 1000000,\n  \"b\": 20000000\n}\n", true},
		{"not an integer", "  tiny: 1e-07\n  x: 1.5e+00\n", "  tiny: 1e-07\n  x: 1.5e+00\n", false},
		{"quoted string stays", "  text: \"1e+06\"\n", "  text: \"1e+06\"\n", false},
		{"inside text stays", "  text: about 1e+06 bytes\n", "  text: about 1e+06 bytes\n", false},
		{"plain integers stay", "  n: 1000000\n", "  n: 1000000\n", false},
		{"no final newline", "n: 3e+06", "n: 3000000", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := normalizeNumbers([]byte(tt.in))
			if string(got) != tt.want || changed != tt.changed {
				t.Errorf("normalizeNumbers(%q) = %q, %v; want %q, %v", tt.in, got, changed, tt.want, tt.changed)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	ok := func(stdout string) outcome { return outcome{stdout: []byte(stdout)} }
	tests := []struct {
		name    string
		tk, kf  outcome
		tree    bool
		want    verdict
		noteHas string
	}{
		{"identical", ok("a: 1\n"), ok("a: 1\n"), false, identical, ""},
		{"numbers", ok("a: 1e+06\n"), ok("a: 1000000\n"), false, numbersOnly, "exponent"},
		{"numbers do not hide another difference", ok("a: 1e+06\nb: x\n"), ok("a: 1000000\nb: y\n"), false, different, "line 2"},
		{"stderr", ok("a\n"), outcome{stdout: []byte("a\n"), stderr: []byte("Warning: w\n")}, false, stderrOnly, "Warning: w"},
		{"both fail", outcome{code: 1, stderr: []byte("Error: x\n")}, outcome{code: 2, stderr: []byte("Warning: w\nError: y\n")}, false, bothFail, "Error: y"},
		{"same failure, same bytes", outcome{code: 16, stdout: []byte("a.jsonnet\n")}, outcome{code: 16, stdout: []byte("a.jsonnet\n")}, false, identical, ""},
		{"same code, other message", outcome{code: 16, stderr: []byte("Error: x\n")}, outcome{code: 16, stderr: []byte("Error: y\n")}, false, bothFail, "kforge exit 16: Error: y"},
		{"one fails", ok("a\n"), outcome{code: 2, stderr: []byte("Error: y\n")}, false, different, "exit tk 0, kforge 2"},
		{"json layout", ok("{\n  \"a\": 1\n}\n"), ok("{\n   \"a\": 1\n}\n"), false, different, "only the layout differs"},
		{"tree missing file", outcome{tree: map[string][]byte{"a.yaml": []byte("x"), "manifest.json": []byte("{}")}},
			outcome{tree: map[string][]byte{"a.yaml": []byte("x")}}, true, different, "1 files only in tk's tree (manifest.json); the 1 files both wrote are identical"},
		{"tree numbers", outcome{tree: map[string][]byte{"a.yaml": []byte("n: 2e+06\n")}},
			outcome{tree: map[string][]byte{"a.yaml": []byte("n: 2000000\n")}}, true, numbersOnly, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note := judge(tt.tk, tt.kf, tt.tree)
			if got != tt.want || !strings.Contains(note, tt.noteHas) {
				t.Errorf("judge = %q, %q; want %q with %q", got, note, tt.want, tt.noteHas)
			}
		})
	}
}

func TestHelpHas(t *testing.T) {
	// The shape of cobra's help: a usage line per command, then the flags.
	envList := "Usage:\n  kforge env list [path] [flags]\n\nFlags:\n      --json[=true|false]   print JSON\n  -l, --selector string   labels\n"
	root := "Usage:\n  kforge [command]\n\nAvailable Commands:\n  env  Inspect\n"
	tests := []struct {
		name string
		help string
		f    feature
		want bool
	}{
		{"command", envList, feature{cmd: []string{"env", "list"}}, true},
		{"long flag", envList, feature{cmd: []string{"env", "list"}, flag: "--json"}, true},
		{"short flag", envList, feature{cmd: []string{"env", "list"}, flag: "-l"}, true},
		{"missing flag", envList, feature{cmd: []string{"env", "list"}, flag: "--names"}, false},
		{"unknown command shows the root help", root, feature{cmd: []string{"tool", "importers"}}, false},
		{"no help at all", "", feature{cmd: []string{"fmt"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := helpHas(tt.help, tt.f); got != tt.want {
				t.Errorf("helpHas(%v) = %v, want %v", tt.f, got, tt.want)
			}
		})
	}
}

func TestCheckSums(t *testing.T) {
	root := t.TempDir()
	dep := filepath.Join(root, "vendor/github.com/o/r/sub")
	if err := os.MkdirAll(filepath.Join(dep, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	// jsonnet-bundler hashes the files' bytes in filepath.Walk order: a.libsonnet, b/c.libsonnet.
	for name, content := range map[string]string{"a.libsonnet": "A", "b/c.libsonnet": "C"} {
		if err := os.WriteFile(filepath.Join(dep, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := sha256.Sum256([]byte("AC"))
	good := base64.StdEncoding.EncodeToString(h[:])
	lock := `{"version": 1, "dependencies": [
 {"source": {"git": {"remote": "https://github.com/o/r.git", "subdir": "sub"}}, "version": "v1", "sum": "` + good + `"},
 {"source": {"git": {"remote": "https://github.com/o/r.git", "subdir": "sub"}}, "version": "v2", "sum": "other"},
 {"source": {"git": {"remote": "https://github.com/o/absent.git", "subdir": ""}}, "version": "v3", "sum": "x"},
 {"source": {"local": {"directory": "jsonnet/local"}}, "version": ""}]}`
	if err := os.WriteFile(filepath.Join(root, "jsonnetfile.lock.json"), []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	bad, err := checkSums(&out, root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"vendor/github.com/o/r/sub @ v1: matches the lock file's sum",
		"vendor/github.com/o/r/sub @ v2: differs from the lock file's sum",
		"vendor/github.com/o/absent @ v3: missing",
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if bad != 2 || len(lines) != len(want) {
		t.Fatalf("checkSums = %d bad, output:\n%s", bad, out.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], w)
		}
	}
}
