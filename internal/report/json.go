package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/kforge/kforge/internal/finding"
)

// JSONSchemaVersion is the version of the JSON report schema; it changes only
// when a field is removed or changes meaning.
const JSONSchemaVersion = 1

// WriteJSON renders the report as one indented JSON document. The schema is
// stable: every key is always present (empty strings and arrays rather than
// missing keys), environments are sorted by name, findings by severity, rule,
// resource and message, rules by id.
//
//	{
//	  "schemaVersion": 1,
//	  "tool": {"name": "kforge", "version": "v0.3.0"},
//	  "summary": {"environments": 2, "notValidated": 0, "resources": 215, "findings": 3,
//	              "errors": 2, "warnings": 1, "infos": 0},
//	  "environments": [
//	    {
//	      "name": "environments/prod",            // Tanka environment name
//	      "tier": "prod",
//	      "entrypoint": "environments/prod/main.jsonnet",
//	      "resources": 212,                       // manifests validated
//	      "status": "failed",                     // passed | failed | error (not validated)
//	      "summary": {"findings": 3, "errors": 2, "warnings": 1, "infos": 0},
//	      "findings": [
//	        {
//	          "ruleId": "KF-CANARY-003",
//	          "severity": "error",                // error | warning | info
//	          "title": "Canary weight within the tier cap",
//	          "message": "canary weight 20 exceeds the prod cap of 10",
//	          "resource": {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
//	                       "namespace": "apps", "name": "order-service"},
//	          "file": "golden/prod/apps/virtualservice-order-service.yaml",
//	          "line": 23, "column": 9,            // 0 when unknown
//	          "policy": "policies/canary/canary.rego",
//	          "environments": ["environments/prod"], // all the environments it affects
//	          "related": [{"file": "environments/prod/main.jsonnet", "line": 4, "column": 5,
//	                       "message": "set at"}],
//	          "fieldPath": "spec.http[1].route[1].weight"
//	        }
//	      ]
//	    }
//	  ],
//	  "rules": [
//	    {"id": "KF-CANARY-003", "severity": "error", "title": "...", "description": "...",
//	     "package": "kforge.canary", "file": "policies/canary/canary.rego", "line": 202,
//	     "style": "kforge"}                       // kforge | conftest
//	  ],
//	  "run": {                                    // null when not known
//	    "shard": {"index": 1, "count": 4},        // {"index": 0, "count": 0}: not sharded
//	    "selection": {"environments": 120, "digest": "sha256:..."}, // before --shard
//	    "environments": ["environments/prod"],    // those this report validated
//	    "complete": true,                         // --all
//	    "checks": "sha256:...",                   // digest of the rule catalogue
//	    "failOn": "error", "noFail": false, "pathPrefix": "deploy",
//	    "unusedExceptions": []                    // KF-POLICY-002 findings, as above
//	  }
//	}
//
// "file" is where the resource comes from (its golden file, else the
// environment's entrypoint); "policy" is the .rego file of the rule. All
// paths are repository-relative with forward slashes. A finding several
// environments share is listed once, under the first of them; each of them
// counts it. "run" is what `kforge report merge` reads (RunInfo): with it,
// ReadJSON gets back the report every other format renders.
func WriteJSON(w io.Writer, r Report, opts Options) error {
	r = r.normalized()
	s := r.Summary()
	doc := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: r.Tool, Version: r.Version},
		Summary:       jsonSummary{Environments: s.Environments, NotValidated: s.NotValidated, Resources: s.Resources, Findings: s.Total(), Counts: s.Counts},
		Environments:  make([]jsonEnvironment, 0, len(r.Environments)),
		Rules:         append(make([]finding.Rule, 0, len(r.Rules)), r.Rules...),
	}
	for _, e := range r.Environments {
		c := e.Counts()
		je := jsonEnvironment{
			Name:       e.Name,
			Tier:       e.Tier,
			Entrypoint: e.Entrypoint,
			Resources:  e.Resources,
			Status:     e.status(opts.FailOnWarning),
			Summary:    jsonEnvSummary{Findings: c.Total(), Counts: c},
			Findings:   make([]jsonFinding, 0, len(e.Findings)),
		}
		for _, f := range e.Findings {
			je.Findings = append(je.Findings, newJSONFinding(f))
		}
		doc.Environments = append(doc.Environments, je)
	}
	if r.Run != nil {
		doc.Run = newJSONRun(*r.Run)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

type jsonReport struct {
	SchemaVersion int               `json:"schemaVersion"`
	Tool          jsonTool          `json:"tool"`
	Summary       jsonSummary       `json:"summary"`
	Environments  []jsonEnvironment `json:"environments"`
	Rules         []finding.Rule    `json:"rules"`
	Run           *jsonRun          `json:"run"`
}

type jsonRun struct {
	Shard            Shard            `json:"shard"`
	Selection        Selection        `json:"selection"`
	Environments     []string         `json:"environments"`
	Complete         bool             `json:"complete"`
	Checks           string           `json:"checks"`
	FailOn           finding.Severity `json:"failOn"`
	NoFail           bool             `json:"noFail"`
	PathPrefix       string           `json:"pathPrefix"`
	UnusedExceptions []jsonFinding    `json:"unusedExceptions"`
}

func newJSONRun(r RunInfo) *jsonRun {
	out := &jsonRun{
		Shard: r.Shard, Selection: r.Selection, Environments: append([]string{}, r.Environments...),
		Complete: r.Complete, Checks: r.Checks, FailOn: r.FailOn, NoFail: r.NoFail, PathPrefix: r.PathPrefix,
		UnusedExceptions: []jsonFinding{},
	}
	slices.Sort(out.Environments)
	unused := slices.Clone(r.UnusedExceptions)
	finding.Sort(unused)
	for _, f := range unused {
		out.UnusedExceptions = append(out.UnusedExceptions, newJSONFinding(f))
	}
	return out
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonSummary struct {
	Environments int `json:"environments"`
	NotValidated int `json:"notValidated"`
	Resources    int `json:"resources"`
	Findings     int `json:"findings"`
	Counts
}

type jsonEnvSummary struct {
	Findings int `json:"findings"`
	Counts
}

type jsonEnvironment struct {
	Name       string         `json:"name"`
	Tier       string         `json:"tier"`
	Entrypoint string         `json:"entrypoint"`
	Resources  int            `json:"resources"`
	Status     string         `json:"status"`
	Summary    jsonEnvSummary `json:"summary"`
	Findings   []jsonFinding  `json:"findings"`
}

type jsonFinding struct {
	RuleID       string           `json:"ruleId"`
	Severity     finding.Severity `json:"severity"`
	Title        string           `json:"title"`
	Message      string           `json:"message"`
	Resource     jsonResource     `json:"resource"`
	File         string           `json:"file"`
	Line         int              `json:"line"`
	Column       int              `json:"column"`
	Policy       string           `json:"policy"`
	Environments []string         `json:"environments"`
	Related      []jsonLocation   `json:"related"`
	FieldPath    string           `json:"fieldPath"`
}

type jsonLocation struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func newJSONFinding(f finding.Finding) jsonFinding {
	out := jsonFinding{
		RuleID:       f.RuleID,
		Severity:     f.Severity,
		Title:        f.Title,
		Message:      f.Message,
		Resource:     jsonResource(f.Resource),
		File:         f.File,
		Line:         f.Line,
		Column:       f.Column,
		Policy:       f.Source,
		Environments: jsonEnvironments(f),
		Related:      make([]jsonLocation, 0, len(f.Related)),
		FieldPath:    f.FieldPath,
	}
	for _, l := range f.Related {
		out.Related = append(out.Related, jsonLocation(l))
	}
	return out
}

type jsonResource struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
}
