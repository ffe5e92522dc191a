package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/kforge/kforge/internal/finding"
)

// ReadJSON reads a report written by WriteJSON, named name in errors (a file name). Every
// other format renders the report it returns exactly as it renders the report that was
// written: a finding several environments share, listed once, is given back to each of them,
// and an environment that could not be validated keeps its status.
func ReadJSON(r io.Reader, name string) (Report, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Report{}, fmt.Errorf("read %s: %w", name, err)
	}
	var doc jsonReport
	if err := json.Unmarshal(data, &doc); err != nil {
		return Report{}, jsonError(name, data, err)
	}
	if doc.SchemaVersion != JSONSchemaVersion {
		return Report{}, fmt.Errorf("%s: schemaVersion %d: not a kforge JSON report of schema version %d (kforge validate -o json)",
			name, doc.SchemaVersion, JSONSchemaVersion)
	}
	if doc.Tool.Name == "" {
		return Report{}, fmt.Errorf("%s: tool.name is empty: not a kforge JSON report (kforge validate -o json)", name)
	}
	rep := Report{Tool: doc.Tool.Name, Version: doc.Tool.Version, Rules: doc.Rules}
	index := map[string]int{}
	for i, je := range doc.Environments {
		if je.Name == "" {
			return Report{}, fmt.Errorf("%s: environments[%d]: the name is empty", name, i)
		}
		if _, dup := index[je.Name]; dup {
			return Report{}, fmt.Errorf("%s: environments[%d]: %s is listed twice", name, i, je.Name)
		}
		index[je.Name] = i
		e := EnvironmentResult{Name: je.Name, Tier: je.Tier, Entrypoint: je.Entrypoint, Resources: je.Resources}
		if je.Status == StatusError {
			e.Status = StatusError
		}
		rep.Environments = append(rep.Environments, e)
	}
	for i, je := range doc.Environments {
		for j, jf := range je.Findings {
			f, err := jf.finding(je.Name)
			if err != nil {
				return Report{}, fmt.Errorf("%s: environments[%d].findings[%d]: %w", name, i, j, err)
			}
			rep.Environments[i].Findings = append(rep.Environments[i].Findings, f)
			// A shared finding is listed under the first of its environments only.
			for _, other := range f.Environments {
				if k, ok := index[other]; ok && other != je.Name {
					g := f
					g.Environment = other
					rep.Environments[k].Findings = append(rep.Environments[k].Findings, g)
				}
			}
		}
	}
	if doc.Run != nil {
		run, err := doc.Run.info()
		if err != nil {
			return Report{}, fmt.Errorf("%s: run: %w", name, err)
		}
		rep.Run = &run
	}
	return rep, nil
}

// finding is the finding jf stands for, listed under the environment env.
func (jf jsonFinding) finding(env string) (finding.Finding, error) {
	if jf.RuleID == "" {
		return finding.Finding{}, errors.New("the ruleId is empty")
	}
	if !jf.Severity.Valid() {
		return finding.Finding{}, fmt.Errorf("severity %q: want error, warning or info", jf.Severity)
	}
	f := finding.Finding{
		RuleID: jf.RuleID, Severity: jf.Severity, Title: jf.Title, Message: jf.Message,
		Resource: finding.ResourceRef(jf.Resource), File: jf.File, Line: jf.Line, Column: jf.Column,
		Source: jf.Policy, FieldPath: jf.FieldPath, Environment: env,
	}
	switch len(jf.Environments) {
	case 0:
	case 1:
		f.Environment = jf.Environments[0]
	default:
		f.Environments = slices.Clone(jf.Environments)
	}
	for _, l := range jf.Related {
		f.Related = append(f.Related, finding.Location(l))
	}
	return f, nil
}

// info is the RunInfo jr stands for.
func (jr jsonRun) info() (RunInfo, error) {
	if jr.Shard.Count < 0 || (jr.Shard.Count > 0 && (jr.Shard.Index < 1 || jr.Shard.Index > jr.Shard.Count)) ||
		(jr.Shard.Count == 0 && jr.Shard.Index != 0) {
		return RunInfo{}, fmt.Errorf("shard %d/%d: want 1 ≤ index ≤ count, or 0/0 for an unsharded run", jr.Shard.Index, jr.Shard.Count)
	}
	if jr.FailOn != finding.SeverityError && jr.FailOn != finding.SeverityWarning {
		return RunInfo{}, fmt.Errorf("failOn %q: want error or warning", jr.FailOn)
	}
	run := RunInfo{
		Shard: jr.Shard, Selection: jr.Selection, Environments: jr.Environments, Complete: jr.Complete,
		Checks: jr.Checks, FailOn: jr.FailOn, NoFail: jr.NoFail, PathPrefix: jr.PathPrefix,
	}
	for i, jf := range jr.UnusedExceptions {
		env := ""
		if len(jf.Environments) == 1 {
			env = jf.Environments[0]
		}
		f, err := jf.finding(env)
		if err != nil {
			return RunInfo{}, fmt.Errorf("unusedExceptions[%d]: %w", i, err)
		}
		run.UnusedExceptions = append(run.UnusedExceptions, f)
	}
	return run, nil
}

// jsonError names the file, line and column of a JSON syntax or type error.
func jsonError(name string, data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var offset int64
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	default:
		return fmt.Errorf("%s: not a kforge JSON report: %w", name, err)
	}
	offset = min(offset, int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	column := int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	return fmt.Errorf("%s:%d:%d: not a kforge JSON report: %w", name, line, max(column, 1), err)
}
