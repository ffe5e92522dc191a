package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/finding"
)

// ShardReport is one report to merge and the file it was read from.
type ShardReport struct {
	// File names the report in errors.
	File string
	// Report is the report, with its Run.
	Report Report
}

// MergeError is a set of reports that do not make up one run: they cannot be merged.
type MergeError struct {
	// Reason says what is wrong, naming the files.
	Reason string
}

func (e *MergeError) Error() string { return "report merge: " + e.Reason }

func mergeErrorf(format string, args ...any) error {
	return &MergeError{Reason: fmt.Sprintf(format, args...)}
}

// Merge combines the JSON reports of the shards 1…N of one sharded run (--shard I/N) into the
// report the unsharded run would have written, so that every format renders it to the same
// bytes: the environments of all shards; a run failure several environments share (the same
// rule, message and location, see RunFailureKey) as one finding listing all of them, across
// shards; and, for a run over every environment (--all), the kforge.yaml exceptions no shard
// used (KF-POLICY-002), which no single shard can tell. One report of an unsharded run merges
// to itself.
//
// The reports must belong together, else Merge returns a *MergeError: all written by kforge
// version (when not empty) with the same run options (selection, checks, --fail-on,
// --no-fail, --path-prefix), shards of the same N, each of 1…N exactly once, every environment
// of the selection in exactly one of them.
func Merge(shards []ShardReport, version string) (Report, error) {
	if len(shards) == 0 {
		return Report{}, mergeErrorf("no report to merge")
	}
	for _, s := range shards {
		if s.Report.Run == nil {
			return Report{}, mergeErrorf("%s has no run information (\"run\": null): merge the JSON reports of kforge validate", s.File)
		}
		if version != "" && s.Report.Version != version {
			return Report{}, mergeErrorf("%s was written by %s %s, this is kforge %s: merge with the version that wrote the reports",
				s.File, s.Report.Tool, s.Report.Version, version)
		}
	}
	shards = slices.Clone(shards)
	slices.SortStableFunc(shards, func(a, b ShardReport) int {
		return cmp.Compare(a.Report.Run.Shard.Index, b.Report.Run.Shard.Index)
	})
	if err := checkShards(shards); err != nil {
		return Report{}, err
	}
	first := shards[0]
	for _, s := range shards[1:] {
		if err := sameRun(first, s); err != nil {
			return Report{}, err
		}
	}
	owner := map[string]string{}
	var names []string
	out := Report{Tool: first.Report.Tool, Version: first.Report.Version}
	rules := map[string]finding.Rule{}
	ruleFile := map[string]string{}
	for _, s := range shards {
		for _, name := range s.Report.Run.Environments {
			if other, ok := owner[name]; ok {
				return Report{}, mergeErrorf("%s is in both %s and %s: the reports are not shards of one run", name, other, s.File)
			}
			owner[name] = s.File
			names = append(names, name)
		}
		for _, e := range s.Report.Environments {
			if other, ok := owner["\x00"+e.Name]; ok {
				return Report{}, mergeErrorf("%s is reported by both %s and %s", e.Name, other, s.File)
			}
			owner["\x00"+e.Name] = s.File
			out.Environments = append(out.Environments, e)
		}
		for _, r := range s.Report.Rules {
			if prev, ok := rules[r.ID]; ok && prev != r {
				return Report{}, mergeErrorf("rule %s differs between %s and %s: the reports come from different policies", r.ID, ruleFile[r.ID], s.File)
			}
			rules[r.ID], ruleFile[r.ID] = r, s.File
		}
	}
	if sel := first.Report.Run.Selection; SelectionDigest(names) != sel.Digest || len(names) != sel.Environments {
		return Report{}, mergeErrorf("the reports hold %d of the %d selected environments (or others than those selected): "+
			"some environment is missing, or the shards selected differently", len(names), sel.Environments)
	}
	out.Environments = regroupRunFailures(out.Environments)
	for _, id := range slices.Sorted(maps.Keys(rules)) {
		out.Rules = append(out.Rules, rules[id])
	}
	run := *first.Report.Run
	run.Shard = Shard{}
	run.Environments = slices.Sorted(slices.Values(names))
	run.UnusedExceptions = unusedEverywhere(shards)
	out.Run = &run
	if run.Complete && first.Report.Run.Shard.Sharded() {
		out.Environments = addFindings(out.Environments, run.UnusedExceptions)
	}
	return out, nil
}

// checkShards checks that shards (sorted by index) are shards 1…N of one N, or one report of
// an unsharded run.
func checkShards(shards []ShardReport) error {
	n := shards[0].Report.Run.Shard.Count
	for _, s := range shards {
		sh := s.Report.Run.Shard
		switch {
		case !sh.Sharded() && len(shards) > 1:
			return mergeErrorf("%s is the report of an unsharded run: merge one such report alone, or the reports of every shard of one run", s.File)
		case sh.Count != n:
			return mergeErrorf("%s is shard %d/%d but %s is shard %d/%d: merge the shards of one run",
				shards[0].File, shards[0].Report.Run.Shard.Index, n, s.File, sh.Index, sh.Count)
		}
	}
	if n == 0 {
		return nil
	}
	var missing []string
	next := 1
	for i, s := range shards {
		idx := s.Report.Run.Shard.Index
		if i > 0 && idx == shards[i-1].Report.Run.Shard.Index {
			return mergeErrorf("%s and %s are both shard %d/%d", shards[i-1].File, s.File, idx, n)
		}
		for ; next < idx; next++ {
			missing = append(missing, fmt.Sprintf("%d/%d", next, n))
		}
		next = idx + 1
	}
	for ; next <= n; next++ {
		missing = append(missing, fmt.Sprintf("%d/%d", next, n))
	}
	if len(missing) > 0 {
		return mergeErrorf("shard %s missing: merge the reports of all %d shards", strings.Join(missing, ", "), n)
	}
	return nil
}

// sameRun checks that b was written by the same kforge with the same options as a.
func sameRun(a, b ShardReport) error {
	ra, rb := a.Report.Run, b.Report.Run
	for _, c := range []struct {
		what   string
		va, vb any
	}{
		{"the kforge version", a.Report.Tool + " " + a.Report.Version, b.Report.Tool + " " + b.Report.Version},
		{"the selection of environments (before --shard)", ra.Selection, rb.Selection},
		{"--all", ra.Complete, rb.Complete},
		{"the checks (policies, severities, schemas, --golden)", ra.Checks, rb.Checks},
		{"--fail-on", ra.FailOn, rb.FailOn},
		{"--no-fail", ra.NoFail, rb.NoFail},
		{"--path-prefix", ra.PathPrefix, rb.PathPrefix},
	} {
		if c.va != c.vb {
			return mergeErrorf("%s differs between %s (%v) and %s (%v): the reports are not shards of one run", c.what, a.File, c.va, b.File, c.vb)
		}
	}
	return nil
}

// RunFailureKey identifies one run failure (KF-RUN-*) across environments: the same rule,
// message and location. The pipeline reports the environments a failure of one key stopped
// as one finding listing them all (Finding.Environments).
func RunFailureKey(f finding.Finding) string {
	return strings.Join([]string{f.RuleID, f.Message, f.Location().String()}, "\x00")
}

// regroupRunFailures makes each run failure list every environment of envs it stopped, as one
// run over all of them would have: a failure in two shards was two findings.
func regroupRunFailures(envs []EnvironmentResult) []EnvironmentResult {
	groups := map[string][]string{}
	for _, e := range envs {
		for _, f := range e.Findings {
			if IsRunFailure(f) {
				k := RunFailureKey(f)
				if !slices.Contains(groups[k], f.Environment) {
					groups[k] = append(groups[k], f.Environment)
				}
			}
		}
	}
	out := slices.Clone(envs)
	for i := range out {
		e := &out[i]
		e.Findings = slices.Clone(e.Findings)
		for j := range e.Findings {
			f := &e.Findings[j]
			if !IsRunFailure(*f) {
				continue
			}
			f.Environments = nil
			if g := groups[RunFailureKey(*f)]; len(g) > 1 {
				f.Environments = slices.Sorted(slices.Values(g))
			}
		}
	}
	return out
}

// unusedEverywhere are the exceptions no shard used: those every shard reports unused.
func unusedEverywhere(shards []ShardReport) []finding.Finding {
	out := slices.Clone(shards[0].Report.Run.UnusedExceptions)
	for _, s := range shards[1:] {
		out = slices.DeleteFunc(out, func(f finding.Finding) bool {
			return !slices.ContainsFunc(s.Report.Run.UnusedExceptions, func(g finding.Finding) bool { return finding.Equal(f, g) })
		})
	}
	finding.Sort(out)
	return out
}

// addFindings adds each of fs to the entry of envs its Environment names (kforge.yaml),
// making the entry when there is none.
func addFindings(envs []EnvironmentResult, fs []finding.Finding) []EnvironmentResult {
	for _, f := range fs {
		i := slices.IndexFunc(envs, func(e EnvironmentResult) bool { return e.Name == f.Environment })
		if i < 0 {
			envs = append(envs, EnvironmentResult{Name: f.Environment})
			i = len(envs) - 1
		}
		envs[i].Findings = append(slices.Clone(envs[i].Findings), f)
	}
	return envs
}
