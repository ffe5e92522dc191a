package pipeline

import (
	"bytes"
	"path"
	"strconv"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/origin"
)

// setAtMessage names the related location of a finding that is the Jsonnet literal which set
// the value the finding is about.
const setAtMessage = "set at"

// metadataName is the field a finding without a field path points at.
var metadataName = manifest.FieldPath{"metadata", "name"}

// locateFindings narrows the findings about a rendered resource down to a line and column of its
// golden file, computed from the canonical encoder's bytes (files, rendered.Manifests' golden
// files in order): the field the finding names (its FieldPath), else the nearest ancestor of it
// that exists, else the resource's metadata.name. A finding whose field holds a scalar that
// exactly one literal among the files the evaluation read sets (same field name, same value)
// gets that literal as a related location, "set at". Findings on other files (the entrypoint,
// golden drift) are left as they are.
func locateFindings(fs []finding.Finding, rendered *Rendered, dir string, files []golden.File, origins *origin.Index) {
	index := make(map[string]int, len(files))
	for i, f := range files {
		index[path.Join(dir, f.Path)] = i
	}
	positions := make(map[int]*manifest.Positions)
	for k := range fs {
		f := &fs[k]
		i, ok := index[f.File]
		if !ok || f.File == "" || i >= len(rendered.Manifests) {
			continue
		}
		pos, ok := positions[i]
		if !ok {
			// The golden file is the encoder's output; it parses unless the encoder is broken,
			// and then the finding simply keeps no line.
			pos, _ = manifest.ParsePositions(files[i].Content)
			positions[i] = pos
		}
		if pos == nil {
			continue
		}
		fp, err := manifest.ParseFieldPath(f.FieldPath)
		if err != nil {
			fp = nil
		}
		at, depth := pos.Locate(fp)
		if depth == 0 {
			at, _ = pos.Locate(metadataName)
		}
		f.Line, f.Column = at.Line, at.Column
		if depth > 0 && depth == len(fp) && origins != nil {
			if site, ok := setAt(rendered, i, fp, origins); ok {
				f.Related = append(f.Related, finding.Location{File: site.File, Line: site.Line, Column: site.Column, Message: setAtMessage})
			}
		}
	}
}

// setAt finds the literal that set the scalar at fp in manifest i of rendered: fp must end in a
// field name (not a list index).
func setAt(rendered *Rendered, i int, fp manifest.FieldPath, origins *origin.Index) (origin.Site, bool) {
	var parent any
	var cur any = rendered.Manifests[i].Object
	for _, e := range fp {
		parent = cur
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[e]
			if !ok {
				return origin.Site{}, false
			}
			cur = v
		case []any:
			n, err := strconv.Atoi(e)
			if err != nil || n < 0 || n >= len(c) {
				return origin.Site{}, false
			}
			cur = c[n]
		default:
			return origin.Site{}, false
		}
	}
	if _, isMap := parent.(map[string]any); !isMap {
		return origin.Site{}, false
	}
	return origins.SetAt(rendered.Reads, fp[len(fp)-1], cur)
}

// firstChangedLine is the first line (1-based) at which committed and rendered differ, clamped
// to committed's last line: where a golden drift finding points in the committed file. 0 when
// they are equal.
func firstChangedLine(committed, rendered []byte) int {
	if bytes.Equal(committed, rendered) {
		return 0
	}
	line := 1
	lines := 1 + bytes.Count(committed, []byte("\n"))
	if bytes.HasSuffix(committed, []byte("\n")) {
		lines--
	}
	for i := 0; i < len(committed) && i < len(rendered) && committed[i] == rendered[i]; i++ {
		if committed[i] == '\n' {
			line++
		}
	}
	return max(1, min(line, lines))
}
