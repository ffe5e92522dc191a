package report

import (
	"strconv"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/kforge/kforge/internal/finding"
)

// relatedNotes are the related locations of f that say what they are, as "set at
// environments/prod/main.jsonnet:4": the lines text and Markdown add under a finding.
func relatedNotes(f finding.Finding) []string {
	var out []string
	for _, l := range f.Related {
		if l.Message == "" || l.File == "" {
			continue
		}
		out = append(out, l.Message+" "+finding.Location{File: l.File, Line: l.Line}.String())
	}
	return out
}

// relatedSuffix is relatedNotes in parentheses after a message, for one-line formats
// (GitHub annotations): " (set at environments/prod/main.jsonnet:4)".
func relatedSuffix(f finding.Finding) string {
	s := ""
	for _, n := range relatedNotes(f) {
		s += " (" + n + ")"
	}
	return s
}

// githubPosition are the line= and col= properties of a finding's annotation, when known.
func githubPosition(f finding.Finding) []string {
	var props []string
	if f.File == "" || f.Line <= 0 {
		return nil
	}
	props = append(props, "line="+strconv.Itoa(f.Line))
	if f.Column > 0 {
		props = append(props, "col="+strconv.Itoa(f.Column))
	}
	return props
}

// sarifRegion is the region of a finding in its file: its line and column when known, else the
// file's first line.
func sarifRegion(f finding.Finding) *sarif.Region {
	region := sarif.NewRegion().WithStartLine(max(f.Line, 1))
	if f.Line > 0 && f.Column > 0 {
		region.WithStartColumn(f.Column)
	}
	return region
}

// sarifRelated are the related locations of a finding (the Jsonnet line that set a value), each
// with its message, numbered from 1 as SARIF's location ids are.
func sarifRelated(f finding.Finding) []*sarif.Location {
	var out []*sarif.Location
	for _, l := range f.Related {
		if l.File == "" {
			continue
		}
		region := sarif.NewRegion().WithStartLine(max(l.Line, 1))
		if l.Line > 0 && l.Column > 0 {
			region.WithStartColumn(l.Column)
		}
		loc := sarif.NewLocation().WithID(len(out) + 1).
			WithPhysicalLocation(sarif.NewPhysicalLocation().
				WithArtifactLocation(sarif.NewSimpleArtifactLocation(l.File).WithURIBaseID("%SRCROOT%")).
				WithRegion(region))
		if l.Message != "" {
			loc.WithMessage(sarif.NewTextMessage(l.Message))
		}
		out = append(out, loc)
	}
	return out
}
