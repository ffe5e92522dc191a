package report

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteTable renders the report as a table, as `conftest test -o table` does: columns RESULT,
// FILE, NAMESPACE and MESSAGE, one row per check, successes first, then infos, warnings and
// failures (run failures among them), drawn with box-drawing characters:
//
//	┌─────────┬────────────────────────────────┬───────────┬──────────────────────────────┐
//	│ RESULT  │              FILE              │ NAMESPACE │           MESSAGE            │
//	├─────────┼────────────────────────────────┼───────────┼──────────────────────────────┤
//	│ success │ environments/dev/main.jsonnet  │ -         │ SUCCESS environments/dev: .. │
//	│ failure │ golden/prod/apps/vs.yaml:23:9  │ kforge... │ KF-CANARY-003 ...            │
//	└─────────┴────────────────────────────────┴───────────┴──────────────────────────────┘
//
// A message of several lines takes several lines of its row. Widths count runes.
func WriteTable(w io.Writer, r Report, _ Options) error {
	r = r.normalized()
	cs := checks(r, checkSuccess, checkInfo, checkWarning, checkFailure)
	header := []string{"RESULT", "FILE", "NAMESPACE", "MESSAGE"}
	rows := make([][]string, len(cs))
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = utf8.RuneCountInString(h)
	}
	for i, c := range cs {
		rows[i] = []string{c.result, c.file, c.namespace, c.message}
		for j, cell := range rows[i] {
			for line := range strings.SplitSeq(cell, "\n") {
				widths[j] = max(widths[j], utf8.RuneCountInString(line))
			}
		}
	}
	bw := bufio.NewWriter(w)
	tableRule(bw, widths, "┌", "┬", "┐")
	cells := make([]string, len(header))
	for i, h := range header {
		pad := widths[i] - utf8.RuneCountInString(h)
		cells[i] = strings.Repeat(" ", pad/2) + h + strings.Repeat(" ", pad-pad/2)
	}
	tableLine(bw, cells)
	tableRule(bw, widths, "├", "┼", "┤")
	for _, row := range rows {
		lines := make([][]string, len(row))
		height := 1
		for j, cell := range row {
			lines[j] = strings.Split(cell, "\n")
			height = max(height, len(lines[j]))
		}
		for k := range height {
			for j := range row {
				text := ""
				if k < len(lines[j]) {
					text = lines[j][k]
				}
				cells[j] = text + strings.Repeat(" ", widths[j]-utf8.RuneCountInString(text))
			}
			tableLine(bw, cells)
		}
	}
	tableRule(bw, widths, "└", "┴", "┘")
	return bw.Flush()
}

// tableRule writes a horizontal border: left, the column widths' dashes joined by mid, right.
func tableRule(w *bufio.Writer, widths []int, left, mid, right string) {
	parts := make([]string, len(widths))
	for i, n := range widths {
		parts[i] = strings.Repeat("─", n+2)
	}
	_, _ = w.WriteString(left + strings.Join(parts, mid) + right + "\n")
}

// tableLine writes one line of cells, already padded to their column's width.
func tableLine(w *bufio.Writer, cells []string) {
	_, _ = w.WriteString("│ " + strings.Join(cells, " │ ") + " │\n")
}
