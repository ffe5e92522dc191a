package golden

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func sampleDrift() Drift {
	tgt := Target{Dir: "golden/prod", Env: "prod"}
	old := Tree{
		Files: []File{
			deployment("api", "api:1"),
			deployment("old", "old:1"),
		},
		Unexpected: []Unexpected{{Path: "README.md", Reason: "not a .yaml file"}},
	}
	return DiffSets(tgt, old, []File{deployment("api", "api:2"), deployment("new", "new:1")})
}

func TestWriteText(t *testing.T) {
	clean := Drift{Target: Target{Dir: "golden/dev"}}
	tests := []struct {
		name   string
		drifts []Drift
		opts   TextOptions
		want   string
	}{
		{
			name:   "drift with hint",
			drifts: []Drift{clean, sampleDrift()},
			opts:   TextOptions{Hint: true, ShowClean: true},
			want: `golden/dev: no drift
golden/prod: 1 added, 1 removed, 1 changed, 1 unexpected
  ! README.md: not a .yaml file
  ~ apps/Deployment/apps/api (apps/deployment-api.yaml)
--- a/golden/prod/apps/deployment-api.yaml
+++ b/golden/prod/apps/deployment-api.yaml
@@ -7,5 +7,5 @@
   template:
     spec:
       containers:
-      - image: api:1
+      - image: api:2
         name: app
  + apps/Deployment/apps/new (apps/deployment-new.yaml)
  - apps/Deployment/apps/old (apps/deployment-old.yaml)
run 'kforge golden update prod' (or 'make golden')
`,
		},
		{name: "clean without ShowClean", drifts: []Drift{clean}, opts: TextOptions{Hint: true}, want: ""},
		{
			name:   "hostile names are quoted",
			drifts: []Drift{{Target: Target{Dir: "golden/x", Env: "x y"}, Entries: []Entry{{Change: UnexpectedEntry, Path: "a\x1b[2Jb", Reason: "hidden entry"}}}},
			opts:   TextOptions{Hint: true},
			want:   "golden/x: 1 unexpected\n  ! \"a\\x1b[2Jb\": hidden entry\nrun 'kforge golden update \"x y\"' (or 'make golden')\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteText(&buf, tt.drifts, tt.opts); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", buf.String(), tt.want)
			}
		})
	}
}

func TestSafeDiffEscapesTerminalSequences(t *testing.T) {
	got := safeDiff("+ok\n+bad \x1b[31mred\r\n")
	if want := "+ok\n+bad \\x1b[31mred\\r\n"; got != want {
		t.Errorf("safeDiff = %q, want %q", got, want)
	}
}

func TestWriteMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, []Drift{sampleDrift()}, MarkdownOptions{Hint: true}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"### kforge diff\n",
		"1 of 1 environment changed.",
		"#### `prod` (`golden/prod`): 1 added, 1 removed, 1 changed, 1 unexpected",
		"| + | `apps/Deployment/apps/new` | `apps/deployment-new.yaml` |",
		"| ! | _not a \\.yaml file_ | `README.md` |",
		"<details><summary><code>apps/Deployment/apps/api</code></summary>\n\n```diff\n--- a/golden/prod/apps/deployment-api.yaml\n",
		"To update: run `kforge golden update prod` (or `make golden`).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "truncated") {
		t.Errorf("small output was truncated:\n%s", out)
	}
}

func TestWriteMarkdownClean(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, []Drift{{Target: Target{Dir: "golden/dev"}}}, MarkdownOptions{Title: "Rendered changes"}); err != nil {
		t.Fatal(err)
	}
	if want := "### Rendered changes\n\nNo changes in the rendered manifests of 1 environment.\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestWriteMarkdownEscaping(t *testing.T) {
	d := Drift{Target: Target{Dir: "golden/p|x", Env: "p|x"}, Entries: []Entry{
		{Change: Added, Path: "a|b.yaml", Resource: "core/ConfigMap/apps/a`b"},
		{Change: Changed, Path: "c.yaml", Resource: "core/ConfigMap/apps/<script>", Diff: "--- a\n+++ b\n@@ -1 +1 @@\n-```\n+````\n"},
	}}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, []Drift{d}, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"| + | ``core/ConfigMap/apps/a`b`` | `a\\|b.yaml` |",
		"<summary><code>core/ConfigMap/apps/&lt;script&gt;</code></summary>",
		"`````diff\n--- a\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteMarkdownLimit(t *testing.T) {
	big := func(n int) Drift {
		d := Drift{Target: Target{Dir: fmt.Sprintf("golden/env%d", n)}}
		for i := range 30 {
			var diff strings.Builder
			diff.WriteString("--- a/x\n+++ b/x\n@@ -1,400 +1,400 @@\n")
			for j := range 400 {
				fmt.Fprintf(&diff, "-old line %d of file %d\n+new line %d of file %d\n", j, i, j, i)
			}
			d.Entries = append(d.Entries, Entry{Change: Changed, Path: fmt.Sprintf("apps/cm-%d.yaml", i), Resource: fmt.Sprintf("core/ConfigMap/apps/cm-%d", i), Diff: diff.String()})
		}
		return d
	}
	tests := []struct {
		name   string
		drifts []Drift
		limit  int
	}{
		{"default limit", []Drift{big(1), big(2)}, 0},
		{"small limit", []Drift{big(1)}, 5000},
		{"limit below the minimum", []Drift{big(1)}, 10},
		{"limit above GitHub's is capped", []Drift{big(1), big(2), big(3)}, 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteMarkdown(&buf, tt.drifts, MarkdownOptions{Limit: tt.limit, Hint: true}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			limit := tt.limit
			if limit == 0 || limit > GitHubCommentLimit {
				limit = GitHubCommentLimit
			}
			limit = max(limit, minMarkdownLimit)
			if len(out) > limit {
				t.Errorf("output is %d bytes, limit %d", len(out), limit)
			}
			if !strings.Contains(out, "Output truncated to stay within GitHub's 65536-character comment limit") {
				t.Errorf("no truncation notice:\n%s", out[len(out)-300:])
			}
			if strings.Count(out, "<details>") != strings.Count(out, "</details>") {
				t.Error("unbalanced <details>")
			}
			if strings.Count(out, "```diff")*2 != strings.Count(out, "```") {
				t.Error("unbalanced code fences")
			}
		})
	}
}

func TestWriteMarkdownTablesTooLong(t *testing.T) {
	d := Drift{Target: Target{Dir: "golden/huge"}}
	for i := range 5000 {
		d.Entries = append(d.Entries, Entry{Change: Added, Path: fmt.Sprintf("apps/configmap-%05d.yaml", i), Resource: fmt.Sprintf("core/ConfigMap/apps/configmap-%05d", i)})
	}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, []Drift{d}, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > GitHubCommentLimit || !strings.Contains(buf.String(), "Output truncated") {
		t.Errorf("len %d, notice present %v", buf.Len(), strings.Contains(buf.String(), "Output truncated"))
	}
}
