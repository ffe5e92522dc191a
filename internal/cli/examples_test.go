package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/testfs"
)

// TestExamples runs every shell example of README.md (its ```sh blocks) and of each command's
// --help against a fresh copy of the reference repository (the repository root), as the kforge
// executable TestMain installs on PATH, so that --isolate's worker processes run too.
//
// The rules, applied to each example line:
//   - A line is an example when its command (after any NAME=value assignments, which become
//     the command's environment) is kforge, or when it is `source <(kforge …)`. Lines of other
//     programs (make, go, docker) are not kforge examples.
//   - `\` continuations are joined; a `#` comment is dropped; only the kforge command runs:
//     what follows an unquoted |, >, < or ; (a pipe into jq, a redirection into a file) is
//     dropped, and `source <(kforge …)` runs the inner command.
//   - A kforge command fed by another program (`helm template ./chart | kforge … -`) reads, in
//     that program's place, what `kforge render prod` prints: manifests of the same kind.
//   - ~ is a temporary home holding conftest-policies/, a conftest-style policy directory; the
//     repository copy holds one too (./conftest-policies). The copy is a git repository whose
//     refs/remotes/origin/main is its only commit, so --since origin/main and --base
//     origin/main run for real.
//   - An example passes when it exits 0, or with N when its README comment says
//     `example: exit N`. A comment `example: needs-<what>` skips it visibly.
//   - A README ```sh block right after the line `<!-- example: sequence -->`, and the Example of
//     a command annotated examples=sequence, is one sequence: its lines run in order in one
//     repository copy, and a `> FILE` redirection writes the line's output to FILE there, so
//     that later lines read what earlier ones wrote (the reports kforge report merge merges).
func TestExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every README and --help example")
	}
	exe, err := exec.LookPath("kforge")
	if err != nil {
		t.Fatalf("the kforge executable TestMain installs on PATH: %v", err)
	}
	gitExe, err := exec.LookPath("git")
	if err != nil {
		t.Skipf("git is needed to give the repository copy an origin/main: %v", err)
	}
	home := t.TempDir()
	testfs.WriteFile(t, home, "conftest-policies/main.rego", conftestPolicy)
	template := referenceCopy(t, gitExe, home)
	cache := t.TempDir()

	examples := readmeExamples(t, "../../README.md", home)
	examples = append(examples, helpExamples(t, home)...)
	for _, ex := range dedupeExamples(examples) {
		t.Run(ex.line, func(t *testing.T) {
			t.Parallel()
			if ex.skip != "" {
				t.Skipf("%s (%s): %s", ex.line, strings.Join(ex.sources, ", "), ex.skip)
			}
			dir := filepath.Join(t.TempDir(), "repo")
			if err := os.CopyFS(dir, os.DirFS(template)); err != nil {
				t.Fatalf("copy the reference repository: %v", err)
			}
			env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "KFORGE_CACHE_DIR=" + cache}
			steps := ex.steps
			if len(steps) == 0 {
				steps = []example{ex}
			}
			for _, step := range steps {
				runExample(t, exe, dir, env, step, ex.sources, len(ex.steps) > 0)
			}
		})
	}
}

// runExample runs one example line in dir; in a sequence, its `> FILE` redirection is honoured.
func runExample(t *testing.T, exe, dir string, env []string, ex example, sources []string, sequence bool) {
	t.Helper()
	cmd := exec.Command(exe, ex.args...)
	cmd.Dir = dir
	cmd.Env = slices.Concat(env, ex.env)
	if ex.piped {
		render := exec.Command(exe, "render", "prod")
		render.Dir, render.Env = dir, env
		manifests, err := render.Output()
		if err != nil {
			t.Fatalf("kforge render prod, the stand-in for the program feeding kforge: %v", err)
		}
		cmd.Stdin = bytes.NewReader(manifests)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("run %s: %v", ex.line, err)
	}
	if code != ex.wantExit {
		t.Errorf("%s (%s) exited %d, want %d\nstderr:\n%s\nstdout (start):\n%.2000s",
			ex.line, strings.Join(sources, ", "), code, ex.wantExit, stderr.String(), stdout.String())
	}
	if sequence && ex.stdout != "" {
		if err := os.WriteFile(filepath.Join(dir, ex.stdout), stdout.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// conftestPolicy is the conftest-style policy the examples' conftest-policies/ directories hold.
const conftestPolicy = `package main

deny contains msg if {
	input.kind == "Deployment"
	not input.spec.template.spec.containers
	msg := sprintf("%s has no containers", [input.metadata.name])
}
`

// referenceCopy copies the reference repository (the kforge repository's root) into a temporary
// directory, adds conftest-policies/ and commits it all as a git repository whose
// refs/remotes/origin/main is that commit.
func referenceCopy(t *testing.T, gitExe, home string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "repo")
	for _, name := range []string{"lib", "environments", "policies", "golden", "vendor-jsonnet", "jsonnetfile.json", "kforge.yaml"} {
		src := filepath.Join("..", "..", name)
		fi, err := os.Stat(src)
		if err != nil {
			t.Fatal(err)
		}
		if !fi.IsDir() {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			testfs.WriteFile(t, dst, name, string(data))
			continue
		}
		if err := os.CopyFS(filepath.Join(dst, name), os.DirFS(src)); err != nil {
			t.Fatalf("copy %s: %v", name, err)
		}
	}
	testfs.WriteFile(t, dst, "conftest-policies/main.rego", conftestPolicy)
	for _, args := range [][]string{
		{"init", "-q", "-b", "main"},
		{"add", "-A"},
		{"-c", "user.name=kforge", "-c", "user.email=kforge@example.com", "commit", "-q", "-m", "reference repository"},
		{"update-ref", "refs/remotes/origin/main", "HEAD"},
		// Packed objects make the per-example copies cheap.
		{"gc", "-q"},
	} {
		cmd := exec.Command(gitExe, args...)
		cmd.Dir = dst
		cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "GIT_CONFIG_NOSYSTEM=1"}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dst
}

// example is one shell example line and how to run it.
type example struct {
	// sources name where the example appears: README.md:LINE or `kforge x --help`.
	sources []string
	// line is the kforge command as written (continuations joined, comment dropped).
	line string
	// args are kforge's arguments; env holds the line's NAME=value assignments.
	args, env []string
	// wantExit is the documented exit code.
	wantExit int
	// skip, when set, says why the example does not run.
	skip string
	// piped is set when another program's output feeds kforge's standard input.
	piped bool
	// stdout is the file a `> FILE` redirection names, written in a sequence.
	stdout string
	// steps are the lines of a sequence, run in order in one repository copy; empty for one line.
	steps []example
}

// sequenceMarker, on the line before a README ```sh block, makes the block one sequence.
const sequenceMarker = "<!-- example: sequence -->"

// sequence makes one example of the lines of a sequence.
func sequence(steps []example, sources []string) example {
	lines := make([]string, len(steps))
	for i, s := range steps {
		lines[i] = s.line
	}
	ex := example{sources: sources, line: strings.Join(lines, "; "), steps: steps}
	for _, s := range steps {
		if s.skip != "" {
			ex.skip = s.skip
		}
	}
	return ex
}

// markerRe finds an `example: …` marker in a line's comment.
var markerRe = regexp.MustCompile(`example:\s*([a-z0-9 -]+?)\s*$`)

// readmeExamples collects the examples of path's ```sh blocks.
func readmeExamples(t *testing.T, path, home string) []example {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	inBlock, inSequence := false, false
	var seq []example
	var pending, prev string
	pendingLine, seqLine := 0, 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		previous := prev
		prev = line
		switch {
		case strings.HasPrefix(line, "```sh"):
			inBlock = true
			inSequence, seq, seqLine = previous == sequenceMarker, nil, n
			continue
		case strings.HasPrefix(line, "```"):
			if inBlock && inSequence && len(seq) > 0 {
				out = append(out, sequence(seq, []string{fmt.Sprintf("README.md:%d", seqLine)}))
			}
			inBlock, inSequence = false, false
			continue
		case !inBlock:
			continue
		}
		if pending == "" {
			pendingLine = n
		}
		if rest, ok := strings.CutSuffix(line, `\`); ok {
			pending += rest
			continue
		}
		line, pending = pending+line, ""
		if ex, ok := parseExample(t, line, home); ok {
			ex.sources = []string{fmt.Sprintf("README.md:%d", pendingLine)}
			if inSequence {
				seq = append(seq, ex)
				continue
			}
			out = append(out, ex)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no example found in %s", path)
	}
	return out
}

// helpExamples collects the Example lines of every command of the tree.
func helpExamples(t *testing.T, home string) []example {
	t.Helper()
	var out []example
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		var seq []example
		source := "`" + c.CommandPath() + " --help`"
		for _, line := range strings.Split(c.Example, "\n") {
			if ex, ok := parseExample(t, strings.TrimSpace(line), home); ok {
				ex.sources = []string{source}
				seq = append(seq, ex)
			}
		}
		if c.Annotations["examples"] == "sequence" && len(seq) > 0 {
			out = append(out, sequence(seq, []string{source}))
		} else {
			out = append(out, seq...)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(IOStreams{}))
	return out
}

// dedupeExamples merges examples with the same command line, keeping every source.
func dedupeExamples(in []example) []example {
	var out []example
	index := map[string]int{}
	for _, ex := range in {
		if i, ok := index[ex.line]; ok {
			out[i].sources = append(out[i].sources, ex.sources...)
			if out[i].skip == "" {
				out[i].skip = ex.skip
			}
			if out[i].wantExit == 0 {
				out[i].wantExit = ex.wantExit
			}
			continue
		}
		index[ex.line] = len(out)
		out = append(out, ex)
	}
	return out
}

// kforgeLineRe matches a line whose command, after NAME=value assignments, is kforge.
var kforgeLineRe = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*=\S*\s+)*kforge(\s|$)`)

// assignRe matches a leading NAME=value assignment.
var assignRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// parseExample reads one shell line. It reports false for a line that runs no kforge command.
func parseExample(t *testing.T, line, home string) (example, bool) {
	t.Helper()
	var ex example
	if inner, ok := strings.CutPrefix(line, "source <("); ok {
		if i := strings.Index(inner, ")"); i >= 0 {
			line = inner[:i]
		}
	}
	if _, piped, ok := strings.Cut(line, "| kforge "); ok && !kforgeLineRe.MatchString(line) {
		ex, ok := parseExample(t, "kforge "+piped, home)
		ex.piped = true
		ex.line = line
		return ex, ok
	}
	if !kforgeLineRe.MatchString(line) {
		return ex, false
	}
	words, rest, err := shellWords(line, home)
	if err != nil {
		t.Errorf("example %q: %v", line, err)
		return ex, false
	}
	for len(words) > 0 && assignRe.MatchString(words[0]) {
		ex.env = append(ex.env, words[0])
		words = words[1:]
	}
	if len(words) == 0 || words[0] != "kforge" {
		t.Errorf("example %q: no kforge command in %q", line, words)
		return ex, false
	}
	ex.args = words[1:]
	ex.line = strings.TrimSpace(line[:len(line)-len(rest)])
	if file, ok := strings.CutPrefix(rest, ">"); ok && !strings.HasPrefix(file, ">") {
		// Only a plain file name is honoured (in sequences); others are dropped as before.
		if words, _, err := shellWords(strings.TrimSpace(file), home); err == nil && len(words) > 0 {
			ex.stdout = words[0]
		}
	}
	if c := strings.Index(rest, "#"); c >= 0 {
		if m := markerRe.FindStringSubmatch(rest[c:]); m != nil {
			switch marker := m[1]; {
			case strings.HasPrefix(marker, "exit "):
				code, err := strconv.Atoi(strings.TrimPrefix(marker, "exit "))
				if err != nil {
					t.Errorf("example %q: marker %q: %v", line, marker, err)
				}
				ex.wantExit = code
			case strings.HasPrefix(marker, "needs-"):
				ex.skip = marker
			default:
				t.Errorf("example %q: unknown marker %q", line, marker)
			}
		}
	}
	return ex, true
}

// shellWords splits line into words as a POSIX shell would for the subset examples use (single
// and double quotes, backslash escapes, ~ at a word's start), stopping at an unquoted |, >, <, ;,
// & or a # that starts a word. rest is the unread part of line from that point.
func shellWords(line, home string) (words []string, rest string, err error) {
	var cur strings.Builder
	inWord, single, double := false, false, false
	flush := func() {
		if inWord {
			words = append(words, cur.String())
		}
		cur.Reset()
		inWord = false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case single:
			if c == '\'' {
				single = false
			} else {
				cur.WriteByte(c)
			}
		case double:
			switch c {
			case '"':
				double = false
			case '\\':
				if i+1 < len(line) && strings.IndexByte("\"\\$`", line[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(line[i])
			case '$', '`':
				return nil, "", fmt.Errorf("expansion at column %d is not supported", i+1)
			default:
				cur.WriteByte(c)
			}
		case c == ' ' || c == '\t':
			flush()
		case c == '\'':
			single, inWord = true, true
		case c == '"':
			double, inWord = true, true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		case strings.IndexByte("|><;&", c) >= 0 || (c == '#' && !inWord):
			flush()
			return words, line[i:], nil
		case c == '$' || c == '`':
			return nil, "", fmt.Errorf("expansion at column %d is not supported", i+1)
		case c == '~' && !inWord && (i+1 == len(line) || line[i+1] == '/'):
			cur.WriteString(home)
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if single || double {
		return nil, "", errors.New("unterminated quote")
	}
	flush()
	return words, "", nil
}

// TestShellWords pins the example parser's rules.
func TestShellWords(t *testing.T) {
	for _, tc := range []struct {
		line, rest string
		words      []string
	}{
		{`kforge eval prod -e "['a-b']"`, "", []string{"kforge", "eval", "prod", "-e", "['a-b']"}},
		{`kforge render -t 'deployment/.*' | jq .`, "| jq .", []string{"kforge", "render", "-t", "deployment/.*"}},
		{`kforge validate --all -o markdown > comment.md`, "> comment.md", []string{"kforge", "validate", "--all", "-o", "markdown"}},
		{`kforge version   # the release`, "# the release", []string{"kforge", "version"}},
		{`kforge policy list --policy ~/p`, "", []string{"kforge", "policy", "list", "--policy", "/home/p"}},
		{`A=b kforge x\ y`, "", []string{"A=b", "kforge", "x y"}},
	} {
		words, rest, err := shellWords(tc.line, "/home")
		if err != nil || rest != tc.rest || !slices.Equal(words, tc.words) {
			t.Errorf("shellWords(%q) = %q, %q, %v; want %q, %q", tc.line, words, rest, err, tc.words, tc.rest)
		}
	}
}

// TestExampleSequences checks that the README's and --help's sequences are read as such: the
// merge examples run after the lines that write the reports they merge.
func TestExampleSequences(t *testing.T) {
	examples := append(readmeExamples(t, "../../README.md", "/home"), helpExamples(t, "/home")...)
	var sources []string
	for _, ex := range examples {
		if len(ex.steps) == 0 {
			if slices.Contains(ex.args, "merge") {
				t.Errorf("%s (%s) runs alone, without the reports it merges", ex.line, strings.Join(ex.sources, ", "))
			}
			continue
		}
		sources = append(sources, ex.sources...)
		if first := ex.steps[0]; first.stdout != "shard-1.json" {
			t.Errorf("%s: the first line writes %q, want shard-1.json", ex.line, first.stdout)
		}
	}
	want := []string{"README.md:" + strconv.Itoa(readmeLine(t, "kforge validate --all --golden --shard 1/2 -o json > shard-1.json")-1),
		"`kforge report --help`", "`kforge report merge --help`"}
	if !slices.Equal(sources, want) {
		t.Errorf("sequences from %q, want %q", sources, want)
	}
}

// readmeLine is the line number of the first README line that is text.
func readmeLine(t *testing.T, text string) int {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		if line == text {
			return i + 1
		}
	}
	t.Fatalf("README.md has no line %q", text)
	return 0
}
