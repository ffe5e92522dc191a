// Package drift compares an environment's golden directory with what was rendered for it, resource
// by resource: which files were added, removed or changed (with a unified diff whose Secret
// values are masked) and which entries do not belong there. A [Drift] is the model that the
// drift printers of internal/report and the golden findings of `kforge validate --golden` are
// made from.
package drift

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kforge/kforge/internal/golden"
	"github.com/pmezard/go-difflib/difflib"
)

// Change is how one entry of an environment directory differs from what was rendered.
type Change string

// The kinds of drift.
const (
	// Added is a rendered resource whose file does not exist yet.
	Added Change = "added"
	// Removed is a file whose resource is no longer rendered.
	Removed Change = "removed"
	// Changed is a file whose content differs from the rendered resource.
	Changed Change = "changed"
	// UnexpectedEntry is something that does not belong in an environment directory: a file
	// that is not .yaml, a symbolic link, a hidden entry, a directory without manifests.
	UnexpectedEntry Change = "unexpected"
)

// contextLines is the context of every unified diff.
const contextLines = 3

// maxDiffLines bounds the lines compared for one file; beyond it the diff is summarised.
const maxDiffLines = 50000

// Entry is the drift of one resource or unexpected entry.
type Entry struct {
	// Change says how it differs.
	Change Change
	// Path is relative to the environment directory ("/"-terminated for directories).
	Path string
	// Resource identifies the resource ("apps/Deployment/apps/order-service"); empty for
	// unexpected entries and for files whose content names no resource.
	Resource string
	// Reason explains an unexpected entry, or a change the diff cannot show.
	Reason string
	// Diff is the unified diff of a changed file (headers a/<dir>/<path> and b/<dir>/<path>,
	// 3 lines of context), with Secret values masked by [MaskSecretPair]: a changed value shows
	// as MaskedOld and MaskedNew, an unchanged one as Masked.
	Diff string
	// Masked says that the file is a Secret whose values were masked in Diff.
	Masked bool
}

// Name is the resource, or the path when the entry names no resource.
func (e Entry) Name() string {
	if e.Resource != "" {
		return e.Resource
	}
	return e.Path
}

// Drift is the difference between one environment directory and what was rendered for it.
type Drift struct {
	// Target is the environment directory compared.
	Target golden.Target
	// Entries are sorted by Path.
	Entries []Entry
}

// Clean reports whether there is no drift.
func (d Drift) Clean() bool { return len(d.Entries) == 0 }

// Count returns the number of entries of kind c.
func (d Drift) Count(c Change) int {
	n := 0
	for _, e := range d.Entries {
		if e.Change == c {
			n++
		}
	}
	return n
}

// Summary is a short count such as "1 added, 2 changed", or "no drift".
func (d Drift) Summary() string {
	var parts []string
	for _, c := range []Change{Added, Removed, Changed, UnexpectedEntry} {
		if n := d.Count(c); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, c))
		}
	}
	if len(parts) == 0 {
		return "no drift"
	}
	return strings.Join(parts, ", ")
}

// Compare reads an environment directory and reports how it differs from files: per resource
// added, removed or changed (with a unified diff, Secret values masked), plus every entry that
// does not belong there. File paths are validated first (see [ValidateFiles]).
func Compare(t golden.Target, files []golden.File) (Drift, error) {
	if err := golden.ValidateFiles(files); err != nil {
		return Drift{}, fmt.Errorf("compare %s: %w", t.Dir, err)
	}
	tree, err := golden.ReadDirContent(t)
	if err != nil {
		return Drift{}, err
	}
	return DiffSets(t, tree, files), nil
}

// DiffSets compares an old tree (read with golden.ReadDir or golden.ReadGitTree, or built by the caller)
// with newly rendered files. t names the directory in diff headers and messages.
func DiffSets(t golden.Target, old golden.Tree, files []golden.File) Drift {
	d := Drift{Target: t}
	oldBy := make(map[string]golden.File, len(old.Files))
	for _, f := range old.Files {
		oldBy[f.Path] = f
	}
	newBy := make(map[string]bool, len(files))
	for _, n := range files {
		newBy[n.Path] = true
		o, ok := oldBy[n.Path]
		if !ok {
			d.Entries = append(d.Entries, Entry{Change: Added, Path: n.Path, Resource: resourceOf(n)})
			continue
		}
		if bytes.Equal(o.Content, n.Content) {
			continue
		}
		d.Entries = append(d.Entries, changedEntry(t, o, n))
	}
	for _, o := range old.Files {
		if !newBy[o.Path] {
			d.Entries = append(d.Entries, Entry{Change: Removed, Path: o.Path, Resource: resourceOf(o)})
		}
	}
	for _, u := range old.Unexpected {
		d.Entries = append(d.Entries, Entry{Change: UnexpectedEntry, Path: u.Path, Reason: u.Reason})
	}
	sort.SliceStable(d.Entries, func(i, j int) bool { return d.Entries[i].Path < d.Entries[j].Path })
	return d
}

// resourceOf returns f.Resource, or the identity its content declares.
func resourceOf(f golden.File) string {
	if f.Resource != "" {
		return f.Resource
	}
	if m, ok := golden.ReadMeta(f.Content); ok {
		return m.Resource
	}
	return ""
}

func changedEntry(t golden.Target, o, n golden.File) Entry {
	e := Entry{Change: Changed, Path: n.Path, Resource: resourceOf(n)}
	if e.Resource == "" {
		e.Resource = resourceOf(o)
	}
	a, b := o.Content, n.Content
	if o.Secret || n.Secret || golden.LooksLikeSecret(a) || golden.LooksLikeSecret(b) {
		e.Masked = true
		a, b = MaskSecretPair(a, b)
	}
	e.Diff = unifiedDiff("a/"+t.Display(n.Path), "b/"+t.Display(n.Path), a, b)
	if e.Diff == "" {
		e.Reason = "only the formatting of masked Secret values differs"
	}
	return e
}

// unifiedDiff returns the unified diff of a and b with contextLines of context. Lines common to
// the start and end are trimmed before diffing (and the hunk positions shifted back), which
// keeps large files with small changes fast.
func unifiedDiff(from, to string, a, b []byte) string {
	al, bl := splitLines(a), splitLines(b)
	if len(al)+len(bl) > maxDiffLines {
		return fmt.Sprintf("--- %s\n+++ %s\n@@ diff omitted: %d lines before, %d after (more than %d in total) @@\n", from, to, len(al), len(bl), maxDiffLines)
	}
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	lo := max(0, pre-contextLines)
	cut := max(0, suf-contextLines)
	var buf strings.Builder
	err := difflib.WriteUnifiedDiff(&buf, difflib.UnifiedDiff{
		A: al[lo : len(al)-cut], B: bl[lo : len(bl)-cut],
		FromFile: from, ToFile: to, Context: contextLines,
	})
	if err != nil {
		return fmt.Sprintf("--- %s\n+++ %s\n@@ diff failed: %v @@\n", from, to, err)
	}
	if lo == 0 {
		return buf.String()
	}
	return shiftHunks(buf.String(), lo)
}

// splitLines splits text into lines that each end in "\n"; a missing final newline becomes a
// marker line, so that adding or removing it shows in the diff.
func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(b), "\n")
	if last := lines[len(lines)-1]; last == "" {
		lines = lines[:len(lines)-1]
	} else {
		lines[len(lines)-1] = last + "\n"
		lines = append(lines, "\\ No newline at end of file\n")
	}
	return lines
}

// shiftHunks adds off to the start lines of every "@@ -a,b +c,d @@" header.
func shiftHunks(diff string, off int) string {
	lines := strings.SplitAfter(diff, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "@@ -") {
			continue
		}
		f := strings.Fields(l)
		if len(f) < 4 {
			continue
		}
		lines[i] = "@@ " + shiftRange(f[1], off) + " " + shiftRange(f[2], off) + " @@\n"
	}
	return strings.Join(lines, "")
}

func shiftRange(r string, off int) string {
	sign, rest := r[:1], r[1:]
	start, length, hasLen := strings.Cut(rest, ",")
	n, err := strconv.Atoi(start)
	if err != nil {
		return r
	}
	out := sign + strconv.Itoa(n+off)
	if hasLen {
		out += "," + length
	}
	return out
}
