package termtext

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "line 1\n\tline 2 ✓", "line 1\n\tline 2 ✓"},
		{"escape sequence", "\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"carriage return dropped", "a\r\nb\r", "a\nb"},
		{"DEL and C1", "a\x7fb\u009bc\u0085", `a\x7fb\x9bc\x85`},
		{"line separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"no C1 from stray bytes around a CR", "\xc2\r\x9b", "\uFFFD\uFFFD"},
		{"bell and NUL", "\a\x00", `\x07\x00`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEscapeKeepsLineBreaks(t *testing.T) {
	if got, want := Escape("a\r\n\tb\x1b]52;c\a\u2028"), "a\r\n\tb\\x1b]52;c\\x07\\u2028"; got != want {
		t.Errorf("Escape = %q, want %q", got, want)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"apps/deployment-web.yaml", "apps/deployment-web.yaml"},
		{"a\nb", `"a\nb"`},
		{"a\tb", `"a\tb"`},
		{"\x1b[2J", `"\x1b[2J"`},
		{"a\u2028b", `"a\u2028b"`},
		{"\xff", `"\xff"`},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestQuoteLinesEscapesTerminalSequences(t *testing.T) {
	if got, want := QuoteLines("+ok\n+bad \x1b[31mred\r\n"), "+ok\n+bad \\x1b[31mred\\r\n"; got != want {
		t.Errorf("QuoteLines = %q, want %q", got, want)
	}
	if in := "+a\tb\n-c\n"; QuoteLines(in) != in {
		t.Errorf("QuoteLines changed a clean diff: %q", QuoteLines(in))
	}
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	in := "TRACE: x \x1b[1mbold\r\n"
	n, err := w.Write([]byte(in))
	if err != nil || n != len(in) {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(in))
	}
	if got, want := b.String(), "TRACE: x \\x1b[1mbold\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}

// FuzzSanitize checks that no control character but newline and tab survives, and that the
// output is valid UTF-8.
func FuzzSanitize(f *testing.F) {
	f.Add("\x1b[31mred\r\n\u0085\u2028\xc2\r\x9b")
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		for _, r := range out {
			if r != '\n' && r != '\t' && IsControl(r) {
				t.Fatalf("Sanitize(%q) = %q holds %U", s, out, r)
			}
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Sanitize(%q) = %q is not valid UTF-8", s, out)
		}
	})
}
