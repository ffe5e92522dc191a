package pipeline

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/isolate"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/report"
)

// Each kind of error that stops an environment becomes its run failure, at the place it points.
func TestFailureFinding(t *testing.T) {
	const env, entry = "environments/prod", "environments/prod/main.jsonnet"
	tests := []struct {
		name string
		err  error
		rule string
		loc  string
		msg  string
	}{
		{"jsonnet", fmt.Errorf("render %s: %w", env, &jsonnet.Error{Kind: jsonnet.KindSyntax, File: "lib/a.libsonnet", Line: 3, Column: 7, Message: "unexpected end of file"}),
			RuleRenderFailed, "lib/a.libsonnet:3:7", "unexpected end of file"},
		{"jsonnet std", fmt.Errorf("render %s: %w", env, &jsonnet.Error{Kind: jsonnet.KindRuntime, File: "<std>", Line: 9, Column: 1, Message: "boom"}),
			RuleRenderFailed, entry, "<std>:9:1: boom"},
		{"limit", fmt.Errorf("render %s: %w", env, &isolate.LimitError{Limit: isolate.LimitEvalTimeout, File: entry, Max: int64(time.Second)}),
			RuleLimitStopped, entry, "evaluation stopped after 1s (limits.evalTimeout; --eval-timeout)"},
		{"policy runtime", &policy.Error{Kind: policy.KindRuntime, File: "policies/x.rego", Line: 5, Column: 1, Environment: env, Message: "eval_conflict_error: x"},
			RulePolicyFailed, "policies/x.rego:5:1", "eval_conflict_error: x"},
		{"policy timeout", &policy.Error{Kind: policy.KindTimeout, Environment: env, Resource: "ConfigMap a", Message: "too slow"},
			RulePolicyFailed, entry, "ConfigMap a: too slow"},
		{"other", fmt.Errorf("render %s: output of %s: duplicate resource", env, entry),
			RuleRenderFailed, entry, "output of " + entry + ": duplicate resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := failureFinding(env, entry, tt.err)
			if f.RuleID != tt.rule || f.Location().String() != tt.loc || f.Message != tt.msg || f.Severity != "error" || f.Title == "" {
				t.Errorf("got %s %q at %s (title %q), want %s %q at %s", f.RuleID, f.Message, f.Location(), f.Title, tt.rule, tt.msg, tt.loc)
			}
		})
	}
}

// The same error in two environments is one finding listing both, held by each, and one error
// naming both; a different error stays apart.
func TestFailureResultsOnce(t *testing.T) {
	env := func(name string) environment.Environment {
		return environment.Environment{Name: name, Entrypoint: name + "/main.jsonnet"}
	}
	lib := func(name string) error {
		return fmt.Errorf("render %s: %w", name, &jsonnet.Error{Kind: jsonnet.KindSyntax, File: "lib/a.libsonnet", Line: 2, Column: 1,
			Message: "Expected a comma", Trace: []jsonnet.Frame{{File: name + "/main.jsonnet", Line: 1, Column: 2}}})
	}
	fails := []envFailure{
		{env("environments/prod"), lib("environments/prod")},
		{env("environments/dev"), lib("environments/dev")},
		{env("environments/qa"), fmt.Errorf("render environments/qa: %w", &jsonnet.Error{File: "environments/qa/main.jsonnet", Line: 1, Column: 1, Message: "other"})},
	}
	results, err := failureResults(fails)
	for _, name := range []string{"environments/prod", "environments/dev"} {
		res := results[name]
		if res.Status != report.StatusError || len(res.Findings) != 1 {
			t.Fatalf("%s: %+v", name, res)
		}
		f := res.Findings[0]
		if f.Environment != name || strings.Join(f.Environments, ",") != "environments/dev,environments/prod" || f.Location().String() != "lib/a.libsonnet:2:1" {
			t.Errorf("%s: finding %+v", name, f)
		}
	}
	if qa := results["environments/qa"].Findings[0]; len(qa.Environments) != 0 {
		t.Errorf("qa: Environments = %v, want none", qa.Environments)
	}
	var ee *EnvironmentsError
	if !errors.As(err, &ee) {
		t.Fatalf("err %v is no *EnvironmentsError", err)
	}
	msg := err.Error()
	if n := strings.Count(msg, "Expected a comma"); n != 1 {
		t.Errorf("the shared error is printed %d times:\n%s", n, msg)
	}
	if !strings.HasPrefix(msg, "render environments/dev, environments/prod: lib/a.libsonnet:2:1: Expected a comma\n") {
		t.Errorf("error:\n%s", msg)
	}
	if !strings.Contains(msg, "render environments/qa: environments/qa/main.jsonnet:1:1: other") {
		t.Errorf("the other error is missing:\n%s", msg)
	}
}

// A policy that does not compile is a KF-RUN-002 finding per policy error, shared by every
// environment, each of them not validated.
func TestPolicyLoadResults(t *testing.T) {
	envs := []environment.Environment{{Name: "environments/b"}, {Name: "environments/a"}}
	err := policy.Errors{
		{Kind: policy.KindCompile, File: "policies/x.rego", Line: 3, Column: 2, Message: "rego_parse_error: x"},
		{Kind: policy.KindCompile, File: "policies/y.rego", Line: 4, Message: "rego_type_error: y"},
	}
	results := PolicyLoadResults(envs, err)
	if len(results) != 2 {
		t.Fatalf("%d results", len(results))
	}
	for i, res := range results {
		if res.Name != envs[i].Name || res.Status != report.StatusError || len(res.Findings) != 2 {
			t.Fatalf("result %d: %+v", i, res)
		}
		for _, f := range res.Findings {
			if f.RuleID != RulePolicyLoadFailed || strings.Join(f.Environments, ",") != "environments/a,environments/b" || f.Environment != res.Name {
				t.Errorf("finding %+v", f)
			}
		}
	}
	if got := results[0].Findings[1].Location().String(); got != "policies/y.rego:4" {
		t.Errorf("location %q", got)
	}
}
