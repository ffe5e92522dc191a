package pipeline

import (
	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/report"
)

// ReportInfo describes a validation run for its report (report.RunInfo), so that the reports
// of the shards of one run can be merged into the report of the unsharded run: the shard, the
// selection before the shard was taken, the environments validated, whether the selection is
// every environment, a digest of the rules checked and the exceptions policies (nil when they
// did not load) left unused. Call it after Validate. The report options (--fail-on,
// --no-fail, --path-prefix) are the caller's to add.
func (r *Run) ReportInfo(policies *policy.Engine, rules []finding.Rule) *report.RunInfo {
	info := &report.RunInfo{
		Shard:        report.Shard{Index: r.shard.Index, Count: r.shard.Count},
		Selection:    report.NewSelection(r.selected),
		Environments: envNames(r.envs),
		Complete:     r.all,
		Checks:       report.RulesDigest(rules),
	}
	if policies != nil {
		info.UnusedExceptions = policies.UnusedExceptions()
		for i := range info.UnusedExceptions {
			info.UnusedExceptions[i].Environment = project.ConfigFile
		}
	}
	return info
}

// envNames are the names of envs, in order.
func envNames(envs []environment.Environment) []string {
	names := make([]string, len(envs))
	for i, e := range envs {
		names[i] = e.Name
	}
	return names
}
