// Package termtext makes untrusted text — Jsonnet errors and std.trace output,
// policy messages, file names and contents from the repository — safe to show
// on a terminal or in a CI log, so that no escape sequence (colours, cursor
// moves, OSC 52 clipboard writes, title changes) and no forged line reaches
// the reader. It holds kforge's one definition of a control character,
// [IsControl], and the ways of neutralising one: escaping it in place
// ([Sanitize], [Escape], [NewWriter]) or quoting the text that holds it
// ([Quote], [QuoteLines]).
package termtext

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// IsControl reports whether r must not reach a terminal as is: a C0 control
// (tab, newline and carriage return included: callers that keep them say so),
// DEL, a C1 control, or the Unicode line and paragraph separators U+2028 and
// U+2029, which some terminals and log viewers break lines at.
func IsControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029'
}

// Sanitize makes s safe to print: carriage returns vanish, control characters
// other than newline and tab are shown as \xNN (\uNNNN for the separators),
// and invalid UTF-8 becomes U+FFFD. The UTF-8 repair comes first, so that
// removing a carriage return cannot join two stray bytes into a control
// character ("\xc2\r\x9b" would otherwise become U+009B, the single-character
// CSI).
func Sanitize(s string) string {
	return escape(strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r", ""), isUnsafe)
}

// Escape shows control characters other than newline, carriage return and tab
// as \xNN (\uNNNN for the separators), for formats that encode line breaks
// themselves (GitHub workflow commands). Text without such characters is
// returned unchanged.
func Escape(s string) string {
	return escape(s, func(r rune) bool { return r != '\r' && isUnsafe(r) })
}

// isUnsafe reports a control character other than newline and tab.
func isUnsafe(r rune) bool {
	return r != '\n' && r != '\t' && IsControl(r)
}

// escape writes each rune for which unsafe holds as \xNN or \uNNNN.
func escape(s string, unsafe func(rune) bool) string {
	if !strings.ContainsFunc(s, unsafe) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !unsafe(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// Quote returns s as a Go string literal when it holds a control character
// (newline and tab included) or invalid UTF-8, else s itself: for names
// printed on one line, so that a hostile file name cannot forge lines or
// escape sequences.
func Quote(s string) string {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, IsControl) {
		return strconv.Quote(s)
	}
	return s
}

// QuoteLines escapes, Go-literal style, each line of a multi-line text (a
// unified diff) that holds a control character other than tab or invalid
// UTF-8; the line breaks stay, and so do the lines without such characters.
func QuoteLines(text string) string {
	if !strings.ContainsFunc(text, isUnsafe) && utf8.ValidString(text) {
		return text
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		body := strings.TrimSuffix(line, "\n")
		if !utf8.ValidString(body) || strings.ContainsFunc(body, isUnsafe) {
			q := strconv.Quote(body)
			body = q[1 : len(q)-1]
		}
		b.WriteString(body)
		if strings.HasSuffix(line, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// NewWriter returns a writer that passes each Write through [Sanitize] to w;
// for std.trace output, which arrives one whole line per Write.
func NewWriter(w io.Writer) io.Writer { return writer{w} }

type writer struct{ w io.Writer }

func (u writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(u.w, Sanitize(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// IsTerminal reports whether w is a terminal, where progress displays and colours may be shown.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
