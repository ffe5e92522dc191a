package policy

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestRunTests(t *testing.T) {
	tests := []struct {
		name     string
		dir      string
		opts     TestOptions
		want     []string
		failed   bool
		coverage []string
	}{
		{name: "passing", dir: "unit/ok", want: []string{
			"main_test test_allow_with_replicas pass unit/ok/rules_test.rego:9 ",
			"main_test test_deny_without_replicas pass unit/ok/rules_test.rego:5 ",
			"main_test todo_test_later skip unit/ok/rules_test.rego:13 ",
		}},
		{name: "failing", dir: "unit/failing", failed: true, want: []string{
			"main_test test_deny_without_replicas pass unit/failing/rules_test.rego:5 ",
			"main_test test_error error unit/failing/rules_test.rego:13 unit/failing/rules_test.rego:14: eval_builtin_error: div: divide by zero",
			"main_test test_wrong_expectation fail unit/failing/rules_test.rego:9 ",
		}},
		{name: "coverage", dir: "unit/ok", opts: TestOptions{Coverage: true}, want: []string{
			"main_test test_allow_with_replicas pass unit/ok/rules_test.rego:9 ",
			"main_test test_deny_without_replicas pass unit/ok/rules_test.rego:5 ",
			"main_test todo_test_later skip unit/ok/rules_test.rego:13 ",
		}, coverage: []string{"unit/ok/rules.rego 57.14 [9-11]", "unit/ok/rules_test.rego 66.66 [13-14]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Root = testRoot(t)
			rep, err := RunTests(context.Background(), []string{tt.dir}, tt.opts)
			if err != nil {
				t.Fatalf("RunTests: %v", err)
			}
			var got []string
			for _, r := range rep.Results {
				got = append(got, fmt.Sprintf("%s %s %s %s:%d %s", r.Package, r.Name, r.Status, r.File, r.Line, r.Message))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if rep.Failed() != tt.failed {
				t.Errorf("Failed() = %v, want %v", rep.Failed(), tt.failed)
			}
			var cov []string
			for _, c := range rep.Coverage {
				cov = append(cov, fmt.Sprintf("%s %.2f %v", c.File, c.Percent, c.NotCoveredLines))
			}
			if strings.Join(cov, "\n") != strings.Join(tt.coverage, "\n") {
				t.Errorf("coverage:\n%s\nwant:\n%s", strings.Join(cov, "\n"), strings.Join(tt.coverage, "\n"))
			}
		})
	}
}

func TestRunTestsRegoV0(t *testing.T) {
	root := testRoot(t)
	if _, err := RunTests(context.Background(), []string{"rego_v0"}, TestOptions{Root: root}); err == nil || KindOf(err) != KindCompile {
		t.Fatalf("v0 policy read as v1: err = %v, want a compile error", err)
	}
	rep, err := RunTests(context.Background(), []string{"rego_v0"}, TestOptions{Root: root, RegoVersion: RegoV0})
	if err != nil {
		t.Fatalf("RunTests v0: %v", err)
	}
	if len(rep.Results) != 0 || rep.Failed() {
		t.Errorf("results = %+v, want none", rep.Results)
	}
}
