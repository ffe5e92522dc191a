package policy

import (
	"context"
	"errors"
	"fmt"
	"path"
	"reflect"
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/kforge/kforge/internal/finding"
)

// EnvInfo describes the environment being validated; policies read it as input.environment.
type EnvInfo struct {
	// Name is the Tanka environment name, e.g. environments/prod.
	Name string
	// Tier is the environment's tier label: dev, staging or prod.
	Tier string
	// Namespace is the environment's default namespace.
	Namespace string
	// Labels are the environment's metadata.labels.
	Labels map[string]string
}

// Input is one environment's rendered output, as the policies see it.
type Input struct {
	// Environment is input.environment.
	Environment EnvInfo
	// Resources are the rendered manifests (decoded JSON, numbers as
	// json.Number): input.resources for kforge rules, and one input each for
	// conftest rules.
	Resources []map[string]any
	// Previous are the manifests currently in the golden directory
	// (input.previous), for rules that compare against what is deployed.
	Previous []map[string]any
	// Files optionally gives the repository-relative file of each resource,
	// index for index (e.g. its golden file); findings point at it, and
	// conftest rules see it as data.conftest.file.
	Files []string
	// Entrypoint is the environment's main.jsonnet, the location of findings
	// whose resource has no file.
	Entrypoint string
}

// Evaluate runs every loaded policy against one environment and returns its
// findings, sorted. It is safe to call from many goroutines at once.
//
// Evaluation is bounded by Options.Timeout ([KindTimeout]); a rule that fails
// at run time (conflicting outputs, a built-in given the wrong type, a finding
// without a string msg) yields a [KindRuntime] error naming the .rego file
// and line.
func (e *Engine) Evaluate(ctx context.Context, in Input) ([]finding.Finding, error) {
	in.Environment.Tier = e.settings.tier(in.Environment)
	parent := ctx
	if e.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.timeout)
		defer cancel()
	}

	resources := make([]*ast.Term, len(in.Resources))
	for i, r := range in.Resources {
		v, err := ast.InterfaceToValue(r)
		if err != nil {
			return nil, fmt.Errorf("convert resource %d of %s: %w", i, in.Environment.Name, err)
		}
		resources[i] = ast.NewTerm(v)
	}
	files := newFileIndex(in)

	var findings []finding.Finding
	if e.kforgeQuery != nil {
		input, err := environmentInput(in, resources)
		if err != nil {
			return nil, err
		}
		rs, err := e.kforgeQuery.Eval(ctx, rego.EvalParsedInput(input))
		if err != nil {
			return nil, e.evalError(parent, ctx, err, in.Environment.Name, "")
		}
		if len(rs) > 0 {
			for _, rr := range e.kforgeRules {
				fs, err := e.kforgeFindings(rr, rs[0].Bindings[rr.binding], in, files)
				if err != nil {
					return nil, err
				}
				findings = append(findings, fs...)
			}
		}
	}
	if e.conftestQuery != nil {
		for i, res := range resources {
			fs, err := e.conftestFindings(parent, ctx, in, i, res, files)
			if err != nil {
				return nil, err
			}
			findings = append(findings, fs...)
		}
	}
	findings = e.settings.apply(findings, in.Environment, e.hygiene)
	finding.Sort(findings)
	return dedupe(findings), nil
}

// environmentInput builds {environment, resources, previous, config_docs} as an AST value.
func environmentInput(in Input, resources []*ast.Term) (ast.Value, error) {
	labels := ast.NewObject()
	for k, v := range in.Environment.Labels {
		labels.Insert(ast.StringTerm(k), ast.StringTerm(v))
	}
	// A previous object that is one of the resources (the pipeline passes the rendered object
	// for every golden file that did not change) shares its converted term.
	converted := make(map[uintptr]*ast.Term, len(in.Resources))
	for i, r := range in.Resources {
		if i < len(resources) && r != nil {
			converted[reflect.ValueOf(r).Pointer()] = resources[i]
		}
	}
	previous := make([]*ast.Term, len(in.Previous))
	for i, p := range in.Previous {
		if t, ok := converted[reflect.ValueOf(p).Pointer()]; ok && p != nil {
			previous[i] = t
			continue
		}
		v, err := ast.InterfaceToValue(p)
		if err != nil {
			return nil, fmt.Errorf("convert previous resource %d of %s: %w", i, in.Environment.Name, err)
		}
		previous[i] = ast.NewTerm(v)
	}
	env := ast.NewObject(
		ast.Item(ast.StringTerm("name"), ast.StringTerm(in.Environment.Name)),
		ast.Item(ast.StringTerm("tier"), ast.StringTerm(in.Environment.Tier)),
		ast.Item(ast.StringTerm("namespace"), ast.StringTerm(in.Environment.Namespace)),
		ast.Item(ast.StringTerm("labels"), ast.NewTerm(labels)),
	)
	return ast.NewObject(
		ast.Item(ast.StringTerm("environment"), ast.NewTerm(env)),
		ast.Item(ast.StringTerm("resources"), ast.ArrayTerm(resources...)),
		ast.Item(ast.StringTerm("previous"), ast.ArrayTerm(previous...)),
		ast.Item(ast.StringTerm("config_docs"), ast.ArrayTerm(configDocs(in.Resources)...)),
	), nil
}

// conftestFindings evaluates the conftest rules against resource i, with
// conftest's semantics: a rule any exception names is skipped entirely;
// string results and objects' msg are messages; empty messages and results of
// other types are passes.
func (e *Engine) conftestFindings(parent, ctx context.Context, in Input, i int, res *ast.Term, files *fileIndex) ([]finding.Finding, error) {
	file := files.byIndex(i)
	dir, name := path.Split(file)
	input := ast.NewObject(
		ast.Item(ast.StringTerm("resource"), res),
		ast.Item(ast.StringTerm("file"), ast.ObjectTerm(
			ast.Item(ast.StringTerm("name"), ast.StringTerm(name)),
			ast.Item(ast.StringTerm("dir"), ast.StringTerm(path.Clean("/" + dir)[1:])),
		)),
	)
	ref := refOf(in.Resources[i])
	rs, err := e.conftestQuery.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, e.evalError(parent, ctx, err, in.Environment.Name, ref.String())
	}
	if len(rs) == 0 {
		return nil, nil
	}
	b := rs[0].Bindings
	var out []finding.Finding
	for _, rr := range e.conftestRules {
		if hits, _ := b[rr.excepted].([]any); len(hits) > 0 {
			continue
		}
		wrapped, _ := b[rr.binding].([]any)
		if len(wrapped) == 0 {
			continue
		}
		values, ok := wrapped[0].([]any)
		if !ok {
			continue
		}
		for _, v := range values {
			var msg string
			switch v := v.(type) {
			case string:
				msg = v
			case map[string]any:
				m, present := v["msg"]
				s, isString := m.(string)
				if !present || !isString {
					return nil, &Error{Kind: KindRuntime, File: rr.rule.File, Line: rr.rule.Line, Environment: in.Environment.Name, Resource: ref.String(),
						Message: fmt.Sprintf("%s: a result object needs a string msg field, got %s", rr.rule.ID, compact(v))}
				}
				msg = s
			default:
				continue
			}
			if msg == "" {
				continue
			}
			out = append(out, finding.Finding{
				RuleID:      rr.rule.ID,
				Severity:    rr.rule.Severity,
				Title:       rr.rule.Title,
				Message:     msg,
				Environment: in.Environment.Name,
				Resource:    ref,
				File:        file,
				Source:      rr.rule.File,
			})
		}
	}
	return out, nil
}

// kforgeFindings decodes one kforge rule body's finding set.
func (e *Engine) kforgeFindings(rr *reportingRule, set any, in Input, files *fileIndex) ([]finding.Finding, error) {
	values, _ := set.([]any)
	out := make([]finding.Finding, 0, len(values))
	for _, v := range values {
		f := finding.Finding{
			RuleID:      rr.rule.ID,
			Severity:    rr.rule.Severity,
			Title:       rr.rule.Title,
			Environment: in.Environment.Name,
			Source:      rr.rule.File,
		}
		switch v := v.(type) {
		case string:
			f.Message = v
		case map[string]any:
			msg, ok := v["msg"].(string)
			if !ok {
				return nil, &Error{Kind: KindRuntime, File: rr.rule.File, Line: rr.rule.Line, Environment: in.Environment.Name,
					Message: fmt.Sprintf("%s: a finding needs a string msg field, got %s", rr.rule.ID, compact(v))}
			}
			f.Message = msg
			if res, ok := v["resource"].(map[string]any); ok {
				f.Resource = refOf(res)
				if md, ok := res["metadata"].(map[string]any); ok && f.Resource.Name == "" {
					// A whole manifest was passed as the resource.
					f.Resource.Name, _ = md["name"].(string)
					f.Resource.Namespace, _ = md["namespace"].(string)
				}
			}
			if p, present := v["path"]; present {
				fp, ok := fieldPath(p)
				if !ok {
					return nil, &Error{Kind: KindRuntime, File: rr.rule.File, Line: rr.rule.Line, Environment: in.Environment.Name,
						Message: fmt.Sprintf("%s: a finding's path must be a string or an array of strings and numbers, got %s", rr.rule.ID, compact(p))}
				}
				f.FieldPath = fp
			}
			if id, ok := v["id"].(string); ok && id != "" && id != f.RuleID {
				f.RuleID = id
				if r, known := e.byID[id]; known {
					f.Severity, f.Title, f.Source = r.Severity, r.Title, r.File
				}
			}
		default:
			return nil, &Error{Kind: KindRuntime, File: rr.rule.File, Line: rr.rule.Line, Environment: in.Environment.Name,
				Message: fmt.Sprintf("%s: a finding must be a string or an object with msg, got %s", rr.rule.ID, compact(v))}
		}
		f.File = files.byRef(f.Resource)
		out = append(out, f)
	}
	return out, nil
}

// evalError turns an evaluation error into a typed *Error. A cancelled parent
// context is returned as is (wrapped), so callers see context.Canceled.
func (e *Engine) evalError(parent, ctx context.Context, err error, env, resource string) error {
	if perr := parent.Err(); perr != nil {
		return fmt.Errorf("evaluate policies for %s: %w", env, perr)
	}
	if ctx.Err() != nil || topdown.IsCancel(err) {
		return &Error{Kind: KindTimeout, Environment: env, Resource: resource,
			Message: fmt.Sprintf("policy evaluation exceeded the time limit of %s", e.timeout), Err: context.DeadlineExceeded}
	}
	if te, ok := errors.AsType[*topdown.Error](err); ok {
		out := &Error{Kind: KindRuntime, Environment: env, Resource: resource, Message: te.Code + ": " + e.relText(e.userNames(te.Message)), Err: err}
		if te.Location != nil {
			out.File, out.Line, out.Column = e.rel(te.Location.File), te.Location.Row, te.Location.Col
		}
		return out
	}
	return &Error{Kind: KindRuntime, Environment: env, Resource: resource, Message: e.relText(e.userNames(err.Error())), Err: err}
}

// refOf reads apiVersion, kind and metadata (or flat namespace/name fields).
func refOf(m map[string]any) finding.ResourceRef {
	var r finding.ResourceRef
	r.APIVersion, _ = m["apiVersion"].(string)
	r.Kind, _ = m["kind"].(string)
	if md, ok := m["metadata"].(map[string]any); ok {
		r.Name, _ = md["name"].(string)
		r.Namespace, _ = md["namespace"].(string)
	} else {
		r.Name, _ = m["name"].(string)
		r.Namespace, _ = m["namespace"].(string)
	}
	return r
}

// fileIndex finds the file of a resource named by a finding.
type fileIndex struct {
	files      []string
	entrypoint string
	exact      map[finding.ResourceRef]string
	loose      map[finding.ResourceRef]string // without apiVersion
}

func newFileIndex(in Input) *fileIndex {
	x := &fileIndex{files: in.Files, entrypoint: in.Entrypoint, exact: map[finding.ResourceRef]string{}, loose: map[finding.ResourceRef]string{}}
	for i, r := range in.Resources {
		if i >= len(in.Files) || in.Files[i] == "" {
			continue
		}
		ref := refOf(r)
		x.exact[ref] = in.Files[i]
		ref.APIVersion = ""
		x.loose[ref] = in.Files[i]
	}
	return x
}

func (x *fileIndex) byIndex(i int) string {
	if i < len(x.files) && x.files[i] != "" {
		return x.files[i]
	}
	return x.entrypoint
}

func (x *fileIndex) byRef(r finding.ResourceRef) string {
	if f, ok := x.exact[r]; ok {
		return f
	}
	r.APIVersion = ""
	if f, ok := x.loose[r]; ok {
		return f
	}
	return x.entrypoint
}

// dedupe drops findings equal but for their source (sorted input), as a
// Rego set would when two bodies of one rule report the same thing.
func dedupe(fs []finding.Finding) []finding.Finding {
	return slices.CompactFunc(fs, func(a, b finding.Finding) bool {
		a.Source, b.Source = "", ""
		return finding.Equal(a, b)
	})
}

// compact renders a decoded value briefly for error messages.
func compact(v any) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
