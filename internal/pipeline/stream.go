package pipeline

import (
	"context"
	"io"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/golden"
)

// WriteYAML renders every selected environment and writes its documents to w as one YAML stream
// in the style of `tk show` (what manifest.WriteStream writes): documents separated by "---\n"
// lines, none before the first. An environment's documents are written as soon as it and those
// before it are done; environments that fail are reported together after the others ran.
func (r *Run) WriteYAML(ctx context.Context, w io.Writer) error {
	first := true
	return r.RenderFiles(ctx, func(_ environment.Environment, files []golden.File) error {
		for _, f := range files {
			if !first {
				if _, err := io.WriteString(w, "---\n"); err != nil {
					return err
				}
			}
			first = false
			if _, err := w.Write(f.Content); err != nil {
				return err
			}
		}
		return nil
	})
}
