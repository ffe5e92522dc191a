//go:build unix

package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/kforge/kforge/internal/cli"
)

// goCrashRE matches what a Go panic or fatal error prints.
var goCrashRE = regexp.MustCompile(`goroutine |panic:|fatal error:|\.go:\d+ \+0x`)

// corpusTimeout bounds one corpus case: a case that hangs (a FIFO read, a loop nothing stops)
// fails instead of blocking the test binary.
const corpusTimeout = 90 * time.Second

// TestBadInputCorpus runs every case of testdata/corpus: a miniature repository holding hostile
// or broken input, one kforge command, its exit code and messages. The header (the txtar
// comment) holds the case:
//
//	args: render environments/x        the command line (single quotes group words; $WORK is
//	                                   the case root, for output directories named absolutely)
//	exit: 2                            the expected exit code
//	stderr: regexp / !stderr: regexp   must (not) match standard error (repeatable)
//	stdout: regexp / !stdout: regexp   the same for standard output
//	env: KEY=value                     the process environment kforge sees (repeatable)
//	dir: repo                          the working directory, relative to the case root
//	symlink: path -> target            a symbolic link to create (target verbatim)
//	fifo: path                         a named pipe to create
//	unreadable: path                   chmod 000, or as root (where permissions do not stop
//	                                   reads) replace the file with a named pipe
//
// Every other header line describes the case. Beyond its own expectations, every case must
// print no Go panic or stack trace and no absolute path of the case's directory, and must leave
// every file below the case root exactly as it was: kforge writes nothing when its input is bad.
func TestBadInputCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Fatalf("the corpus has %d cases, want at least 40", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := parseCorpusCase(file)
			if err != nil {
				t.Fatal(err)
			}
			c.run(t)
		})
	}
}

// corpusCase is one parsed corpus file.
type corpusCase struct {
	archive  *txtar.Archive
	args     []string
	exit     int
	checks   []outputCheck
	env      []string
	dir      string
	symlinks [][2]string
	fifos    []string
	unread   []string
}

// outputCheck is one stdout/stderr expectation.
type outputCheck struct {
	stream string // "stdout" or "stderr"
	negate bool
	re     *regexp.Regexp
}

func parseCorpusCase(file string) (*corpusCase, error) {
	a, err := txtar.ParseFile(file)
	if err != nil {
		return nil, err
	}
	c := &corpusCase{archive: a, exit: -1, dir: "."}
	for i, line := range strings.Split(string(a.Comment), "\n") {
		key, value, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		where := fmt.Sprintf("%s:%d", file, i+1)
		switch key {
		case "args":
			if c.args, err = splitArgs(value); err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
		case "exit":
			if c.exit, err = strconv.Atoi(value); err != nil {
				return nil, fmt.Errorf("%s: exit: %w", where, err)
			}
		case "stdout", "stderr", "!stdout", "!stderr":
			re, err := regexp.Compile("(?m)" + value)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			c.checks = append(c.checks, outputCheck{stream: strings.TrimPrefix(key, "!"), negate: key[0] == '!', re: re})
		case "env":
			c.env = append(c.env, value)
		case "dir":
			c.dir = value
		case "symlink":
			from, to, ok := strings.Cut(value, " -> ")
			if !ok {
				return nil, fmt.Errorf("%s: symlink: want path -> target", where)
			}
			c.symlinks = append(c.symlinks, [2]string{from, to})
		case "fifo":
			c.fifos = append(c.fifos, value)
		case "unreadable":
			c.unread = append(c.unread, value)
		}
	}
	switch {
	case c.args == nil:
		return nil, fmt.Errorf("%s: no args: line", file)
	case c.exit < 0:
		return nil, fmt.Errorf("%s: no exit: line", file)
	case len(c.checks) == 0:
		return nil, fmt.Errorf("%s: no stdout/stderr expectation", file)
	}
	return c, nil
}

// splitArgs splits a command line on spaces; single quotes group words and are removed.
func splitArgs(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted = !quoted
			inWord = true
		case r == ' ' && !quoted:
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote in %q", s)
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
}

// setUp writes the case's files below root and creates its links, pipes and unreadable files.
func (c *corpusCase) setUp(t *testing.T, root string) {
	t.Helper()
	for _, f := range c.archive.Files {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range c.symlinks {
		p := filepath.Join(root, filepath.FromSlash(l[0]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(l[1], p); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range c.fifos {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range c.unread {
		p := filepath.Join(root, filepath.FromSlash(f))
		if os.Geteuid() == 0 {
			// Permissions do not stop root: a named pipe nobody writes to is the file that
			// cannot be read (opening it blocks).
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(p, 0o644) })
	}
}

func (c *corpusCase) run(t *testing.T) {
	root := t.TempDir()
	c.setUp(t, root)
	before := snapshotTree(t, root)

	// The render cache goes to a directory of its own, outside the case root.
	environ := append([]string{"KFORGE_CACHE_DIR=" + t.TempDir()}, c.env...)
	env := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	args := make([]string, len(c.args))
	for i, a := range c.args {
		args[i] = strings.ReplaceAll(a, "$WORK", root)
	}
	var stdout, stderr bytes.Buffer
	streams := cli.IOStreams{
		In:     strings.NewReader(""),
		Out:    &stdout,
		ErrOut: &stderr,
		LookupEnv: func(k string) (string, bool) {
			v, ok := env[k]
			return v, ok
		},
		Environ: func() []string { return append([]string(nil), environ...) },
		WorkDir: filepath.Join(root, filepath.FromSlash(c.dir)),
	}
	ctx, cancel := context.WithTimeout(context.Background(), corpusTimeout)
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- cli.Main(ctx, streams, args) }()
	var code int
	select {
	case code = <-done:
	case <-time.After(corpusTimeout + 10*time.Second):
		t.Fatalf("kforge %s did not return within %s (hung?)\nstderr:\n%s", strings.Join(c.args, " "), corpusTimeout, stderr.String())
	}

	out := map[string]string{"stdout": stdout.String(), "stderr": stderr.String()}
	report := fmt.Sprintf("kforge %s\nexit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(c.args, " "), code, limitText(out["stdout"]), limitText(out["stderr"]))
	t.Log(report)
	if code != c.exit {
		t.Errorf("exit code %d, want %d", code, c.exit)
	}
	for _, chk := range c.checks {
		if chk.re.MatchString(out[chk.stream]) == chk.negate {
			verb := "no match"
			if chk.negate {
				verb = "unexpected match"
			}
			t.Errorf("%s for %s %q", verb, chk.stream, chk.re)
		}
	}
	for stream, text := range out {
		if m := goCrashRE.FindString(text); m != "" {
			t.Errorf("%s shows a Go crash or stack trace (%q)", stream, m)
		}
		// Paths the command line names absolutely may appear; no other absolute path may.
		for _, a := range args {
			if strings.HasPrefix(a, root) {
				text = strings.ReplaceAll(text, a, "<arg>")
			}
		}
		if strings.Contains(text, root) {
			t.Errorf("%s contains an absolute path of the repository", stream)
		}
	}
	if after := snapshotTree(t, root); !equalSnapshots(t, before, after) {
		t.Errorf("the files changed")
	}
}

// limitText shortens long output in failure reports.
func limitText(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "\n...\n"
	}
	return s
}

// entry is what a snapshot records of one path: its type and permissions, a symlink's target
// or a regular file's content hash. Named pipes are never opened.
type entry struct {
	mode   fs.FileMode
	target string
	sum    string
}

// snapshotTree records every path below root.
func snapshotTree(t *testing.T, root string) map[string]entry {
	t.Helper()
	snap := map[string]entry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e := entry{mode: info.Mode()}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			if e.target, err = os.Readlink(p); err != nil {
				return err
			}
		case info.Mode().IsRegular():
			if info.Mode().Perm()&0o400 == 0 {
				e.sum = fmt.Sprintf("unreadable, %d bytes", info.Size())
				break
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			h := sha256.New()
			_, err = io.Copy(h, f)
			_ = f.Close() // read-only: nothing to lose
			if err != nil {
				return err
			}
			e.sum = hex.EncodeToString(h.Sum(nil))
		}
		rel, _ := filepath.Rel(root, p)
		snap[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// equalSnapshots reports, as test errors, every path added, removed or changed.
func equalSnapshots(t *testing.T, before, after map[string]entry) bool {
	t.Helper()
	var diffs []string
	for p, b := range before {
		a, ok := after[p]
		switch {
		case !ok:
			diffs = append(diffs, "removed "+p)
		case a != b:
			diffs = append(diffs, fmt.Sprintf("changed %s: %v -> %v", p, b, a))
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			diffs = append(diffs, "added "+p)
		}
	}
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
	return len(diffs) == 0
}
