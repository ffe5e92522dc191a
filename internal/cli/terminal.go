package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// useColor reports whether output to w may be coloured: a terminal, and NO_COLOR unset or empty
// (https://no-color.org).
func (s IOStreams) useColor(w io.Writer) bool {
	if v, ok := s.lookupEnv("NO_COLOR"); ok && v != "" {
		return false
	}
	return isTerminal(w)
}
