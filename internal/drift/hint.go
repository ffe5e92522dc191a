package drift

import (
	"strconv"
	"strings"
	"unicode"
)

// FixHint is the sentence that says how to bring the golden directories of envs up to date.
func FixHint(envs []string) string {
	return "run '" + FixCommand(envs) + "' (or 'make golden')"
}

// FixCommand is the kforge command line that updates the golden directories of envs.
func FixCommand(envs []string) string {
	quoted := make([]string, len(envs))
	for i, e := range envs {
		quoted[i] = shellWord(e)
	}
	return "kforge golden update " + strings.Join(quoted, " ")
}

// shellWord returns s, double-quoted when it holds anything but safe characters.
func shellWord(s string) string {
	for _, r := range s {
		if !shellSafe(r) {
			return strconv.Quote(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// shellSafe reports whether r needs no quoting in a shell word.
func shellSafe(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_./:@+=", r)
}
