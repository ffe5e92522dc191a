package main

import (
	"fmt"
	"io"
	"strings"
)

// writeTable prints the summary and one row per case as Markdown.
func writeTable(out io.Writer, o options, results []result) error {
	var w strings.Builder
	count := map[verdict]int{}
	for _, r := range results {
		count[r.verdict]++
	}
	fmt.Fprintf(&w, "%d cases: ", len(results))
	var parts []string
	for _, v := range verdictOrder {
		if count[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[v], v))
		}
	}
	fmt.Fprintf(&w, "%s.\n\n", strings.Join(parts, ", "))
	writeByCommand(&w, results)
	fmt.Fprintln(&w, "| # | input | command (tk's spelling) | tk | kforge | result | first difference / note |")
	fmt.Fprintln(&w, "|---|---|---|---|---|---|---|")
	for _, r := range results {
		kf := fmt.Sprintf("exit %d", r.kf.code)
		if r.verdict == missingInKF {
			kf = "—"
		}
		cmd := "`" + cell(r.command) + "`"
		if r.kforge[0] != r.testCase.tk[0] && r.verdict != missingInKF {
			cmd += " (kforge `" + r.kforge[0] + "`)"
		}
		fmt.Fprintf(&w, "| %d | %s | %s | exit %d | %s | %s | %s |\n", r.n, r.group,
			cmd, r.tk.code, kf, r.verdict, cell(r.note))
	}
	fmt.Fprintf(&w, "\nDetails of case N: %s/cases/N/ (case.txt, both tools' stdout and stderr).\n", o.work)
	_, err := io.WriteString(out, w.String())
	return err
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// commandOf is the tk command a case runs: its first word, or two for `env` and `tool`.
func commandOf(r result) string {
	a := r.testCase.tk
	if len(a) > 1 && (a[0] == "env" || a[0] == "tool") {
		return a[0] + " " + a[1]
	}
	return a[0]
}

// writeByCommand prints how many cases of each tk command got each verdict.
func writeByCommand(w *strings.Builder, results []result) {
	var cmds []string
	count := map[string]map[verdict]int{}
	for _, r := range results {
		c := commandOf(r)
		if count[c] == nil {
			count[c] = map[verdict]int{}
			cmds = append(cmds, c)
		}
		count[c][r.verdict]++
	}
	fmt.Fprint(w, "| tk command | cases")
	for _, v := range verdictOrder {
		fmt.Fprintf(w, " | %s", v)
	}
	fmt.Fprint(w, " |\n|---|---:"+strings.Repeat("|---:", len(verdictOrder))+"|\n")
	for _, c := range cmds {
		total := 0
		for _, n := range count[c] {
			total += n
		}
		fmt.Fprintf(w, "| `%s` | %d", c, total)
		for _, v := range verdictOrder {
			fmt.Fprintf(w, " | %d", count[c][v])
		}
		fmt.Fprint(w, " |\n")
	}
	fmt.Fprintln(w)
}
