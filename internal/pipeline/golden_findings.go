package pipeline

import (
	"fmt"
	"path"
	"strings"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/manifest"
)

// The findings of `kforge validate --golden`: each way golden/ can differ from what the sources
// render is a rule of its own, so reports (SARIF, GitHub annotations, JUnit) name it. They are
// golden drift as findings; they belong with the per-resource comparison (golden's drift) once
// that is a package of its own.
const (
	ruleGoldenChanged    = "KF-GOLDEN-001"
	ruleGoldenMissing    = "KF-GOLDEN-002"
	ruleGoldenOrphan     = "KF-GOLDEN-003"
	ruleGoldenUnexpected = "KF-GOLDEN-004"
	ruleGoldenStaleDir   = "KF-GOLDEN-005"
)

// GoldenRules are the rule descriptors of the golden findings, for the report's catalogue.
func GoldenRules() []finding.Rule {
	rule := func(id, title, description string) finding.Rule { return builtinRule("golden", id, title, description) }
	return []finding.Rule{
		rule(ruleGoldenChanged, "Golden files match the sources",
			"A committed file under golden/ differs from what the sources render: Argo CD and Flux deploy golden/, so the change would not be deployed as reviewed."),
		rule(ruleGoldenMissing, "Every rendered resource is committed",
			"The sources render a resource whose file is missing from golden/: it would not be deployed."),
		rule(ruleGoldenOrphan, "Every committed resource is rendered",
			"golden/ holds a resource the sources no longer render: it would stay deployed."),
		rule(ruleGoldenUnexpected, "Golden directories hold only golden files",
			"An environment's golden directory holds something kforge did not write (another file, a link, an empty directory); Argo CD and Flux parse every YAML file they find there."),
		rule(ruleGoldenStaleDir, "Every golden directory belongs to an environment",
			"A directory under golden/ belongs to no environment any more, yet whatever deploys it keeps deploying it."),
	}
}

// goldenFindings compares a rendered environment with its golden directory (the resources the
// target filters select, with -t) and returns the differences as findings on the golden files:
// changed, missing, orphaned and unexpected entries. files are rendered's manifests as golden
// files, in the same order.
func (r *Renderer) goldenFindings(rendered *Rendered, files []golden.File, committed Golden) ([]finding.Finding, error) {
	if err := golden.ValidateFiles(files); err != nil {
		return nil, fmt.Errorf("validate %s: %w", rendered.Env.Name, err)
	}
	byFile := make(map[string]*manifest.Manifest, len(files))
	for i, f := range files {
		byFile[f.Path] = rendered.Manifests[i]
	}
	t := committed.Target
	selected, _ := r.ScopeGolden(t, committed.Tree)
	fix := drift.FixHint([]string{t.EnvName()})
	if len(committed.Tree.Files) == 0 && len(committed.Tree.Unexpected) == 0 && len(files) > 0 {
		// A new environment: one finding, not one per resource.
		return []finding.Finding{{
			RuleID: ruleGoldenMissing, Severity: finding.SeverityError, Title: goldenTitle(ruleGoldenMissing),
			Environment: rendered.Env.Name, File: t.Dir,
			Message: fmt.Sprintf("%s holds no golden files yet: the sources render %s that would not be deployed; %s and commit the result",
				t.Dir, countResources(len(files)), fix),
		}}, nil
	}
	diff := drift.DiffSets(t, selected, files)
	committedContent := make(map[string][]byte, len(committed.Tree.Files))
	for _, f := range committed.Tree.Files {
		committedContent[f.Path] = f.Content
	}
	renderedContent := make(map[string][]byte, len(files))
	for _, f := range files {
		renderedContent[f.Path] = f.Content
	}
	var out []finding.Finding
	for _, e := range diff.Entries {
		f := finding.Finding{Severity: finding.SeverityError, Environment: rendered.Env.Name, File: path.Join(t.Dir, e.Path)}
		switch e.Change {
		case drift.Changed:
			f.RuleID = ruleGoldenChanged
			f.Resource = resourceRef(byFile[e.Path])
			f.Message = fmt.Sprintf("the committed file differs from what the sources render (%s); %s and commit the result", lineCounts(e.Diff), fix)
			f.Line = firstChangedLine(committedContent[e.Path], renderedContent[e.Path])
		case drift.Added:
			f.RuleID = ruleGoldenMissing
			f.Resource = resourceRef(byFile[e.Path])
			f.Message = fmt.Sprintf("the sources render this resource but its golden file is not committed; %s and commit the result", fix)
		case drift.Removed:
			f.RuleID = ruleGoldenOrphan
			if ms := committed.ByFile[e.Path]; len(ms) == 1 {
				f.Resource = resourceRef(ms[0])
			}
			f.Message = fmt.Sprintf("the committed file holds a resource the sources no longer render, so it stays deployed; %s and commit the result", fix)
			if pos, err := manifest.ParsePositions(committedContent[e.Path]); err == nil {
				at, _ := pos.Locate(metadataName)
				f.Line, f.Column = at.Line, at.Column
			}
		case drift.UnexpectedEntry:
			f.RuleID = ruleGoldenUnexpected
			f.Message = fmt.Sprintf("%s, which does not belong in %s; %s to remove it", e.Reason, t.Dir, fix)
		default:
			return nil, fmt.Errorf("validate %s: unknown golden change %q", rendered.Env.Name, e.Change)
		}
		f.Title = goldenTitle(f.RuleID)
		out = append(out, f)
	}
	return out, nil
}

// goldenTitle is the title of the golden rule id.
func goldenTitle(id string) string {
	for _, r := range GoldenRules() {
		if r.ID == id {
			return r.Title
		}
	}
	return ""
}

// countResources is "1 resource" or "n resources".
func countResources(n int) string {
	if n == 1 {
		return "1 resource"
	}
	return fmt.Sprintf("%d resources", n)
}

// staleDirFindings reports the golden directories that belong to no environment, as the
// findings of a pseudo-environment named after the golden directory.
func staleDirFindings(goldenDir string, stale []string) []finding.Finding {
	out := make([]finding.Finding, len(stale))
	for i, dir := range stale {
		out[i] = finding.Finding{
			RuleID: ruleGoldenStaleDir, Severity: finding.SeverityError, Environment: goldenDir, File: dir,
			Title:   goldenTitle(ruleGoldenStaleDir),
			Message: "no environment renders into this directory any more, but whatever deploys it keeps deploying it; run 'kforge golden update --all' (which removes directories that hold only golden files) or delete it",
		}
	}
	return out
}

// resourceRef names m in a finding; nil gives the empty reference.
func resourceRef(m *manifest.Manifest) finding.ResourceRef {
	if m == nil {
		return finding.ResourceRef{}
	}
	return finding.ResourceRef{APIVersion: m.APIVersion(), Kind: m.Kind(), Namespace: m.Namespace(), Name: m.Name()}
}

// lineCounts summarises a unified diff as "+2 -2 lines"; a diff kforge could not show (too
// large, or a masked Secret) is "content changed".
func lineCounts(diff string) string {
	added, removed := 0, 0
	for _, l := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
		case strings.HasPrefix(l, "+"):
			added++
		case strings.HasPrefix(l, "-"):
			removed++
		}
	}
	if added == 0 && removed == 0 {
		return "content changed"
	}
	return fmt.Sprintf("+%d -%d lines", added, removed)
}
