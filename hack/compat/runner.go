package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// outcome is what one tool did in one case.
type outcome struct {
	// code is the exit code (-1 when the command could not run or timed out).
	code int
	// stdout and stderr are the streams; stderr has tk's log timestamps removed.
	stdout, stderr []byte
	// tree maps each written file (slash path under the export directory) to its content.
	tree map[string][]byte
	// elapsed is the wall time.
	elapsed time.Duration
	// err is set when the command could not run at all.
	err error
}

// verdict classifies a case.
type verdict string

// The verdicts, in the order the summary lists them.
const (
	identical   verdict = "identical"
	numbersOnly verdict = "identical after number formatting"
	stderrOnly  verdict = "same output, stderr differs"
	bothFail    verdict = "both fail"
	different   verdict = "different"
	missingInKF verdict = "missing in kforge"
)

var verdictOrder = []verdict{identical, numbersOnly, stderrOnly, bothFail, different, missingInKF}

// result is a case with both outcomes and its verdict.
type result struct {
	testCase
	n       int
	tk, kf  outcome
	verdict verdict
	// note says briefly why (the first difference, the missing feature, the two errors).
	note string
}

// runCases runs every case, parallel at most o.parallel at a time, and returns the results in
// case order.
func runCases(ctx context.Context, o options, cases []testCase, progress io.Writer) []result {
	probe := newProber(o.kforge)
	results := make([]result, len(cases))
	sem := make(chan struct{}, max(1, o.parallel))
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i, c := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = runCase(ctx, o, probe, i+1, c)
			mu.Lock()
			done++
			_, _ = fmt.Fprintf(progress, "[%d/%d] %s: %s: %s\n", done, len(cases), c.group, c.command, results[i].verdict)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return results
}

func runCase(ctx context.Context, o options, probe *prober, n int, c testCase) result {
	r := result{testCase: c, n: n}
	dir := filepath.Join(o.work, "cases", fmt.Sprint(n))
	_ = os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.verdict, r.note = different, err.Error()
		return r
	}
	for _, f := range c.needs {
		if !probe.has(f) {
			r.verdict, r.note = missingInKF, "`"+f.String()+"` does not exist"
			r.tk = execTool(ctx, o, o.tk, c.tk, c.dir, filepath.Join(dir, "tk-out"), c.tree, true)
			writeDetails(dir, r)
			return r
		}
	}
	r.tk = execTool(ctx, o, o.tk, c.tk, c.dir, filepath.Join(dir, "tk-out"), c.tree, true)
	r.kf = execTool(ctx, o, o.kforge, c.kforge, c.dir, filepath.Join(dir, "kforge-out"), c.tree, false)
	r.verdict, r.note = judge(r.tk, r.kf, c.tree)
	writeDetails(dir, r)
	return r
}

// tkLogPrefix is the timestamp Go's log package puts before each line tk logs.
var tkLogPrefix = regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)

// execTool runs one tool; for tree cases outDir in args becomes out and the files written there
// are read back.
func execTool(ctx context.Context, o options, bin string, args []string, dir, out string, tree, isTK bool) outcome {
	a := make([]string, len(args))
	for i, s := range args {
		a[i] = strings.ReplaceAll(s, outDir, out)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, a...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "KFORGE_CACHE_DIR="+filepath.Join(o.work, "kforge-cache"), "NO_COLOR=1")
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	start := time.Now()
	err := cmd.Run()
	res := outcome{elapsed: time.Since(start), stdout: so.Bytes(), stderr: se.Bytes()}
	if isTK {
		res.stderr = tkLogPrefix.ReplaceAll(res.stderr, nil)
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ctx.Err() == nil:
		res.code = ee.ExitCode()
	default:
		res.code, res.err = -1, err
	}
	if tree {
		res.tree = readTree(out)
	}
	return res
}

// readTree reads every regular file under dir (nil when dir does not exist).
func readTree(dir string) map[string][]byte {
	tree := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		tree[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		tree["<error>"] = []byte(err.Error())
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return tree
}

// judge compares two outcomes.
func judge(tk, kf outcome, tree bool) (verdict, string) {
	if kf.err != nil || tk.err != nil {
		return different, fmt.Sprintf("could not run: tk %v, kforge %v", tk.err, kf.err)
	}
	if tk.code != 0 && kf.code != 0 {
		// The same non-zero code with the same bytes is agreement (fmt --test's 16), not failure.
		if tk.code == kf.code && compareOutput(tk, kf, tree, false) == "" && bytes.Equal(tk.stderr, kf.stderr) {
			return identical, ""
		}
		return bothFail, fmt.Sprintf("tk exit %d: %s — kforge exit %d: %s", tk.code, firstLine(tk.stderr), kf.code, firstLine(kf.stderr))
	}
	if tk.code != kf.code {
		fail := "kforge"
		msg := firstLine(kf.stderr)
		if tk.code != 0 {
			fail, msg = "tk", firstLine(tk.stderr)
		}
		return different, fmt.Sprintf("exit tk %d, kforge %d; %s: %s", tk.code, kf.code, fail, msg)
	}
	raw := compareOutput(tk, kf, tree, false)
	if raw == "" {
		if !bytes.Equal(tk.stderr, kf.stderr) {
			return stderrOnly, fmt.Sprintf("stderr: tk %s — kforge %s", quoteLine(tk.stderr), quoteLine(kf.stderr))
		}
		return identical, ""
	}
	if norm := compareOutput(tk, kf, tree, true); norm == "" {
		note := "tk prints integers ≥ 1e6 in exponent notation"
		if !bytes.Equal(tk.stderr, kf.stderr) {
			note += fmt.Sprintf("; stderr: tk %s — kforge %s", quoteLine(tk.stderr), quoteLine(kf.stderr))
		}
		return numbersOnly, note
	}
	note := compareOutput(tk, kf, tree, true)
	if note != compareOutput(tk, kf, tree, false) {
		note += " (compared after number formatting)"
	}
	if !tree && sameJSON(tk.stdout, kf.stdout) {
		note += " (the same JSON value: only the layout differs)"
	}
	return different, note
}

// sameJSON says whether a and b both parse as JSON and denote the same value (numbers compared
// by their text). It only annotates a difference; it never makes a case identical.
func sameJSON(a, b []byte) bool {
	var x, y any
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	if da.Decode(&x) != nil || db.Decode(&y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// compareOutput returns "" when the outputs are equal (after number normalisation of tk's output
// when norm is set), else a one-line description of the first difference.
func compareOutput(tk, kf outcome, tree, norm bool) string {
	if !tree {
		return compareBytes("stdout", tk.stdout, kf.stdout, norm)
	}
	var onlyTK, onlyKF, diffs []string
	for name, b := range tk.tree {
		k, ok := kf.tree[name]
		if !ok {
			onlyTK = append(onlyTK, name)
			continue
		}
		if d := compareBytes(name, b, k, norm); d != "" {
			diffs = append(diffs, d)
		}
	}
	for name := range kf.tree {
		if _, ok := tk.tree[name]; !ok {
			onlyKF = append(onlyKF, name)
		}
	}
	sort.Strings(onlyTK)
	sort.Strings(onlyKF)
	sort.Strings(diffs)
	var parts []string
	if len(onlyTK) > 0 {
		parts = append(parts, fmt.Sprintf("%d files only in tk's tree (%s)", len(onlyTK), firstFew(onlyTK)))
	}
	if len(onlyKF) > 0 {
		parts = append(parts, fmt.Sprintf("%d files only in kforge's tree (%s)", len(onlyKF), firstFew(onlyKF)))
	}
	if len(diffs) > 0 {
		parts = append(parts, fmt.Sprintf("%d files differ (%s)", len(diffs), diffs[0]))
	} else if common := len(tk.tree) - len(onlyTK); len(parts) > 0 && common > 0 {
		parts = append(parts, fmt.Sprintf("the %d files both wrote are identical", common))
	}
	if d := compareBytes("stdout", tk.stdout, kf.stdout, norm); d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, "; ")
}

// compareBytes describes the first differing line of a and b ("" when equal).
func compareBytes(name string, a, b []byte, norm bool) string {
	if norm {
		a, _ = normalizeNumbers(a)
	}
	if bytes.Equal(a, b) {
		return ""
	}
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y || i >= len(al) || i >= len(bl) {
			return fmt.Sprintf("%s line %d: tk %s, kforge %s", name, i+1, quote(x, i < len(al)), quote(y, i < len(bl)))
		}
	}
	return name + " differs"
}

func quote(s string, present bool) string {
	if !present {
		return "(end)"
	}
	return "`" + clip(s) + "`"
}

func quoteLine(b []byte) string {
	if len(bytes.TrimSpace(b)) == 0 {
		return "(empty)"
	}
	return "`" + clip(firstLine(b)) + "`"
}

// firstLine is the first line of b that starts with "Error", else its first non-empty line.
func firstLine(b []byte) string {
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "Error") {
			return clip(l)
		}
	}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return clip(l)
		}
	}
	return "(no message)"
}

func clip(s string) string {
	const n = 110
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func firstFew(names []string) string {
	if len(names) > 3 {
		return strings.Join(names[:3], ", ") + ", …"
	}
	return strings.Join(names, ", ")
}

// writeDetails keeps both tools' command lines, streams and trees beside the case, for reading
// the differences in full.
func writeDetails(dir string, r result) {
	var b strings.Builder
	fmt.Fprintf(&b, "input: %s\ndir: %s\ntk %s\nkforge %s\nverdict: %s\n%s\n", r.group, r.dir,
		shellJoin(r.testCase.tk), shellJoin(r.kforge), r.verdict, r.note)
	fmt.Fprintf(&b, "tk: exit %d in %s\nkforge: exit %d in %s\n", r.tk.code, r.tk.elapsed.Round(time.Millisecond), r.kf.code, r.kf.elapsed.Round(time.Millisecond))
	_ = os.WriteFile(filepath.Join(dir, "case.txt"), []byte(b.String()), 0o644)
	for name, data := range map[string][]byte{
		"tk.stdout": r.tk.stdout, "tk.stderr": r.tk.stderr,
		"kforge.stdout": r.kf.stdout, "kforge.stderr": r.kf.stderr,
	} {
		_ = os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
}

// shellJoin quotes args for a copy-pasteable command line.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " '\"{}[]|*?$!\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

// prober answers whether kforge has a command or flag, from its --help, once per command.
type prober struct {
	bin  string
	mu   sync.Mutex
	help map[string]string
}

func newProber(bin string) *prober { return &prober{bin: bin, help: map[string]string{}} }

func (p *prober) has(f feature) bool {
	key := strings.Join(f.cmd, " ")
	p.mu.Lock()
	h, ok := p.help[key]
	if !ok {
		out, err := exec.Command(p.bin, append(append([]string{}, f.cmd...), "--help")...).CombinedOutput()
		if err == nil {
			h = string(out)
		}
		p.help[key] = h
	}
	p.mu.Unlock()
	return helpHas(h, f)
}

// helpHas says whether help, the output of `kforge <f.cmd> --help`, shows the command f.cmd and
// the flag f.flag. cobra prints the parent's help for an unknown subcommand, so the command must
// appear in a usage line of its own.
func helpHas(h string, f feature) bool {
	key := strings.Join(f.cmd, " ")
	usage := regexp.MustCompile(`(?m)^\s+kforge ` + regexp.QuoteMeta(key) + `(\s|$)`)
	if !usage.MatchString(h) {
		return false
	}
	if f.flag == "" {
		return true
	}
	if strings.HasPrefix(f.flag, "--") {
		return regexp.MustCompile(`(?m)^\s+(-\w, )?` + regexp.QuoteMeta(f.flag) + `[\s=\[]`).MatchString(h)
	}
	return regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(f.flag) + `, --`).MatchString(h)
}
