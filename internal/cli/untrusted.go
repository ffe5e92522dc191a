package cli

import (
	"fmt"
	"io"
	"strings"
)

// untrustedText makes text that may come from the repository (Jsonnet error messages and
// std.trace output, spec.json field names, policy messages inside errors) safe to print on a
// terminal: control characters other than newline and tab are shown as \xNN, so no escape
// sequence (colours, cursor moves, OSC 52 clipboard writes, title changes) reaches the
// terminal, and invalid UTF-8 becomes U+FFFD, so no stray bytes can form a C1 control with
// what follows. Carriage returns go first for the same reason.
func untrustedText(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r", "")
	if !strings.ContainsFunc(s, isUnsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isUnsafeRune(r) {
			fmt.Fprintf(&b, `\x%02x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isUnsafeRune reports a C0 control other than newline and tab, DEL, or a C1 control.
func isUnsafeRune(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0)
}

// untrustedWriter passes each Write through untrustedText: std.trace writes one whole line at
// a time.
type untrustedWriter struct{ w io.Writer }

func (u untrustedWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(u.w, untrustedText(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
