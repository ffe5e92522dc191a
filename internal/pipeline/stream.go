package pipeline

import (
	"bufio"
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
	// Buffered, and flushed after each environment: one write per 64 KiB instead of two per
	// resource (kube-prometheus: 261 writes).
	bw := bufio.NewWriterSize(w, 64<<10)
	return r.RenderFiles(ctx, func(_ environment.Environment, files []golden.File) error {
		for _, f := range files {
			if !first {
				if _, err := bw.WriteString("---\n"); err != nil {
					return err
				}
			}
			first = false
			if _, err := bw.Write(f.Content); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}
