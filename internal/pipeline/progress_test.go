package pipeline

import (
	"bytes"
	"testing"

	"github.com/kforge/kforge/internal/environment"
)

func TestTerminalProgressSilentOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	for _, total := range []int{0, 1, 5} {
		p := TerminalProgress(&buf)(total)
		p.Start(environment.Environment{Name: "environments/prod"})
		p.Done()
		p.Finish()
	}
	if buf.Len() != 0 {
		t.Errorf("progress wrote %q to a writer that is not a terminal", buf.String())
	}
}
