package main

import (
	"fmt"
	"io"
	"strings"
)

// writeTable prints the summary and one row per case as Markdown.
func writeTable(w io.Writer, o options, results []result) {
	count := map[verdict]int{}
	for _, r := range results {
		count[r.verdict]++
	}
	fmt.Fprintf(w, "%d cases: ", len(results))
	var parts []string
	for _, v := range verdictOrder {
		if count[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[v], v))
		}
	}
	fmt.Fprintf(w, "%s.\n\n", strings.Join(parts, ", "))
	fmt.Fprintln(w, "| # | input | command (tk's spelling) | tk | kforge | result | first difference / note |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, r := range results {
		kf := fmt.Sprintf("exit %d", r.kf.code)
		if r.verdict == missingInKF {
			kf = "—"
		}
		cmd := "`" + cell(r.command) + "`"
		if r.testCase.kforge[0] != r.testCase.tk[0] && r.verdict != missingInKF {
			cmd += " (kforge `" + r.testCase.kforge[0] + "`)"
		}
		fmt.Fprintf(w, "| %d | %s | %s | exit %d | %s | %s | %s |\n", r.n, r.group,
			cmd, r.tk.code, kf, r.verdict, cell(r.note))
	}
	fmt.Fprintf(w, "\nDetails of case N: %s/cases/N/ (case.txt, both tools' stdout and stderr).\n", o.work)
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
