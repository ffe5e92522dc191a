package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/finding"
)

// RunInfo is what a report records about the run that made it, beyond its findings: what
// `kforge report merge` needs to check that the reports of N shards belong to one run and to
// rebuild, from them, the report one unsharded run would have written.
type RunInfo struct {
	// Shard is the part of the selection the run validated; the zero Shard is all of it.
	Shard Shard
	// Selection identifies the environments the command selected, before --shard split them.
	Selection Selection
	// Environments are the names of the environments the run validated (this shard's part of
	// the selection), sorted. The report's other entries (kforge.yaml, golden/) are about the
	// repository.
	Environments []string
	// Complete is set when the selection is every environment of the repository (--all): an
	// exception that waived nothing in such a run is stale (KF-POLICY-002).
	Complete bool
	// Checks is a digest of the rule catalogue the run checked against (policies, their
	// severities, schemas, golden; see RulesDigest): runs with different checks differ.
	Checks string
	// FailOn is the lowest severity that fails the run (--fail-on): error or warning.
	FailOn finding.Severity
	// NoFail is --no-fail: findings do not fail the run.
	NoFail bool
	// PathPrefix is the resolved --path-prefix of the github, sarif and markdown formats.
	PathPrefix string
	// UnusedExceptions are the kforge.yaml exceptions that waived nothing in this run, as the
	// KF-POLICY-002 findings they would be. An exception is unused in a run over every
	// environment when no shard used it: Merge reports their intersection.
	UnusedExceptions []finding.Finding
}

// Shard is one part of a sharded run (--shard Index/Count); the zero Shard is an unsharded run.
type Shard struct {
	// Index is 1…Count.
	Index int `json:"index"`
	// Count is the number of shards, 0 for an unsharded run.
	Count int `json:"count"`
}

// Sharded reports whether s is a part of a sharded run.
func (s Shard) Sharded() bool { return s.Count > 0 }

// Selection identifies a set of environment names without listing them.
type Selection struct {
	// Environments is the number of environments selected.
	Environments int `json:"environments"`
	// Digest is SelectionDigest of their names.
	Digest string `json:"digest"`
}

// NewSelection is the Selection of the environments named.
func NewSelection(names []string) Selection {
	return Selection{Environments: len(names), Digest: SelectionDigest(names)}
}

// SelectionDigest is "sha256:" and the hex SHA-256 of the sorted names, one per line.
func SelectionDigest(names []string) string {
	sorted := slices.Sorted(slices.Values(names))
	sum := sha256.Sum256([]byte(strings.Join(sorted, "\n")))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// RulesDigest is "sha256:" and the hex SHA-256 of the rule catalogue, sorted by id: runs with
// different policies, severity overrides, schema or golden checks have different digests.
func RulesDigest(rules []finding.Rule) string {
	sorted := slices.Clone(rules)
	slices.SortStableFunc(sorted, func(a, b finding.Rule) int { return cmp.Compare(a.ID, b.ID) })
	h := sha256.New()
	for _, r := range sorted {
		fmt.Fprintf(h, "%q %q %q %q %q %q %d %q\n", r.ID, r.Severity, r.Title, r.Description, r.Package, r.File, r.Line, r.Style)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
