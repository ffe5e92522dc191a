// Package policies_test runs the built-in Rego policies' tests through the
// OPA tester and checks that every rule id is documented in the README.
package policies_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/kforge/kforge/internal/policy"
)

// TestRego runs every test_ rule of every _test.rego file (with data.json
// loaded as data) through the runner of `kforge policy test`, one Go subtest
// per Rego test.
func TestRego(t *testing.T) {
	rep, err := policy.RunTests(context.Background(), []string{"."}, policy.TestOptions{})
	if err != nil {
		t.Fatalf("run rego tests: %v", err)
	}
	if len(rep.Results) == 0 {
		t.Fatal("no rego tests found")
	}
	for _, r := range rep.Results {
		t.Run(r.Package+"."+r.Name, func(t *testing.T) {
			where := fmt.Sprintf("%s:%d", r.File, r.Line)
			switch r.Status {
			case policy.TestError:
				t.Fatalf("%s: error: %s", where, r.Message)
			case policy.TestFail:
				t.Fatalf("%s: %s", where, r.Message)
			case policy.TestSkip:
				t.Fatalf("%s: skipped tests are not allowed", where)
			}
		})
	}
}

// rule is one reporting rule body and its METADATA.
type rule struct {
	file     string
	set      string // "deny" or "warn"
	id       string
	severity string
}

// reportingRules parses every policy (not test) module and returns its deny
// and warn rule bodies with the ids and severities of their annotations.
func reportingRules(t *testing.T) []rule {
	t.Helper()
	var rules []rule
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read policy: %w", err)
		}
		module, err := ast.ParseModuleWithOpts(path, string(src), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return fmt.Errorf("parse policy: %w", err)
		}
		for _, r := range module.Rules {
			set := r.Head.Ref().String()
			if set != "deny" && set != "warn" {
				continue
			}
			found := rule{file: fmt.Sprintf("policies/%s:%d", filepath.ToSlash(path), r.Location.Row), set: set}
			for _, a := range r.Annotations {
				if a.Scope != "rule" {
					continue
				}
				if id, ok := a.Custom["id"].(string); ok {
					found.id = id
				}
				if severity, ok := a.Custom["severity"].(string); ok {
					found.severity = severity
				}
			}
			rules = append(rules, found)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk policies: %v", err)
	}
	if len(rules) == 0 {
		t.Fatal("no deny or warn rules found")
	}
	return rules
}

// TestRuleAnnotations checks that every deny/warn body carries exactly one
// stable id, that ids are unique, and that severities match the set.
func TestRuleAnnotations(t *testing.T) {
	idPattern := regexp.MustCompile(`^KF-[A-Z0-9]+-[0-9]{3}$`)
	seen := map[string]string{}
	for _, r := range reportingRules(t) {
		t.Run(r.file, func(t *testing.T) {
			if !idPattern.MatchString(r.id) {
				t.Fatalf("%s: %s rule has custom.id %q, want KF-<CONCERN>-<NNN>", r.file, r.set, r.id)
			}
			if other, dup := seen[r.id]; dup {
				t.Fatalf("%s: id %s already used at %s", r.file, r.id, other)
			}
			seen[r.id] = r.file
			want := map[string]string{"deny": "error", "warn": "warning"}[r.set]
			if r.severity != want {
				t.Fatalf("%s: %s %s has severity %q, want %q", r.file, r.id, r.set, r.severity, want)
			}
		})
	}
}

// ruleTable returns the README that holds the rule table: the repository
// README when it has a "| KF-" table, else policies/README.md.
func ruleTable(t *testing.T) (string, string) {
	t.Helper()
	for _, path := range []string{"../README.md", "README.md"} {
		content, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		if strings.Contains(string(content), "| KF-") {
			return filepath.ToSlash(filepath.Join("policies", path)), string(content)
		}
	}
	t.Fatal("no README with a | KF- rule table (README.md or policies/README.md)")
	return "", ""
}

// TestRuleTable fails when a rule id in policies/ is missing from the README
// rule table, when the table lists an id no policy defines, or when the
// table's severity disagrees with the rule's annotation.
func TestRuleTable(t *testing.T) {
	path, content := ruleTable(t)
	row := regexp.MustCompile(`(?m)^\|\s*(KF-[A-Z0-9]+-[0-9]{3})\s*\|\s*([a-z]+)\s*\|`)
	table := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(content, -1) {
		table[m[1]] = m[2]
	}
	defined := map[string]bool{}
	for _, r := range reportingRules(t) {
		defined[r.id] = true
		severity, ok := table[r.id]
		if !ok {
			t.Errorf("%s: rule %s (%s) is missing from the rule table in %s", r.file, r.id, r.severity, path)
			continue
		}
		if severity != r.severity {
			t.Errorf("%s: the rule table in %s lists %s as %q, the rule says %q", r.file, path, r.id, severity, r.severity)
		}
	}
	for id := range table {
		if !defined[id] {
			t.Errorf("%s: the rule table lists %s, which no policy defines", path, id)
		}
	}
}
