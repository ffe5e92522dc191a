package golden

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// QuoteName quotes s when it holds control characters (line breaks included) or invalid UTF-8,
// so that a hostile file name cannot forge lines or terminal escapes in a message or report.
func QuoteName(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, isControl) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// isControl reports a C0 or C1 control character, DEL, or a Unicode line or paragraph separator.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029'
}
