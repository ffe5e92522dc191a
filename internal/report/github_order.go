package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/finding"
)

// annotationOrder lists the report's findings in the order the github format
// spends its annotations: by severity, then run failures (KF-RUN-*) before
// policy and schema findings before golden drift (KF-GOLDEN-*), then by file,
// line and column; ties keep the report's order (environment, then
// finding.Compare). With more findings than GitHub shows, the ones left out
// are the least telling: a stale golden file rather than the policy violation
// that explains it.
func annotationOrder(r Report) []finding.Finding {
	var fs []finding.Finding
	for _, e := range r.Environments {
		fs = append(fs, e.Findings...)
	}
	slices.SortStableFunc(fs, func(a, b finding.Finding) int {
		return cmp.Or(
			finding.CompareSeverity(a.Severity, b.Severity),
			cmp.Compare(annotationClass(a.RuleID), annotationClass(b.RuleID)),
			cmp.Compare(a.File, b.File),
			cmp.Compare(causeRank(a), causeRank(b)),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
		)
	})
	return fs
}

// annotationClass ranks a rule id: run failures 0, golden drift 2, the rest
// (policies, schemas) 1.
func annotationClass(ruleID string) int {
	switch {
	case strings.HasPrefix(ruleID, "KF-RUN-"):
		return 0
	case strings.HasPrefix(ruleID, "KF-GOLDEN-"):
		return 2
	}
	return 1
}

// splitAnnotations takes up to limit findings of each annotation kind, in
// order, and returns them and the rest. When some are left out, one notice
// slot is kept for the final notice that says so.
func splitAnnotations(fs []finding.Finding, limit int) (annotated, rest []finding.Finding) {
	var c Counts
	c.addAll(fs)
	noticeLimit := limit
	if c.Errors > limit || c.Warnings > limit || c.Infos > limit {
		noticeLimit = limit - 1
	}
	used := map[string]int{}
	for _, f := range fs {
		kind := githubCommand(f.Severity)
		budget := limit
		if kind == "notice" {
			budget = noticeLimit
		}
		if used[kind] >= budget {
			rest = append(rest, f)
			continue
		}
		used[kind]++
		annotated = append(annotated, f)
	}
	return annotated, rest
}

// causeRank puts schema findings (0) before the other findings (1) on the same file: a schema
// violation is the root cause of the policy findings it sets off.
func causeRank(f finding.Finding) int {
	if isSchema(f) {
		return 0
	}
	return 1
}
