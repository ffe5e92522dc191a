package cli

import (
	"io"

	"github.com/kforge/kforge/internal/termtext"
)

// useColor reports whether output to w may be coloured: a terminal, and NO_COLOR unset or empty
// (https://no-color.org).
func (s IOStreams) useColor(w io.Writer) bool {
	if v, ok := s.lookupEnv("NO_COLOR"); ok && v != "" {
		return false
	}
	return termtext.IsTerminal(w)
}
