package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The plan counts the test points, which are numbered 1..N, and a report with a run failure
// has a failing test point, in TAP and in the table.
func TestConftestFormatsCountAndFail(t *testing.T) {
	reports := map[string]Report{
		"sample": sampleReport(), "hostile": hostileReport(), "failed": failedReport(), "empty": emptyReport(),
		"status only": {Tool: "kforge", Environments: []EnvironmentResult{{Name: "environments/b", Status: StatusError}}},
	}
	point := regexp.MustCompile(`(?m)^(not ok|ok) (\d+) - `)
	for name, r := range reports {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTAP(&buf, r, Options{}); err != nil {
				t.Fatal(err)
			}
			points := point.FindAllStringSubmatch(buf.String(), -1)
			if !strings.Contains(buf.String(), fmt.Sprintf("\n1..%d\n", len(points))) {
				t.Errorf("plan does not count %d test points:\n%s", len(points), buf.String())
			}
			failing := false
			for i, p := range points {
				if p[2] != fmt.Sprint(i+1) {
					t.Errorf("test point %d numbered %s", i+1, p[2])
				}
				failing = failing || p[1] == "not ok"
			}
			if r.Failed() && !failing {
				t.Errorf("failed run has no failing test point:\n%s", buf.String())
			}
			var table bytes.Buffer
			if err := WriteTable(&table, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if r.Failed() && !strings.Contains(table.String(), "│ failure │") {
				t.Errorf("failed run has no failure row:\n%s", table.String())
			}
		})
	}
}

// A '#' in a message cannot turn a test point into a skipped or todo one.
func TestTAPEscapesDirectives(t *testing.T) {
	if got := tapEscape(`weight # SKIP \ x`); got != `weight \# SKIP \\ x` {
		t.Errorf("tapEscape = %q", got)
	}
}
