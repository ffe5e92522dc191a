package pipeline

import (
	"io"

	"github.com/schollz/progressbar/v3"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/termtext"
)

// TerminalProgress returns a RunOptions.Progress that shows, on w when it is a terminal, how many
// environments are done out of how many and which one started last. It shows nothing when w is
// not a terminal (CI logs, pipes, tests) or a step has a single environment.
func TerminalProgress(w io.Writer) func(total int) Progress {
	return func(total int) Progress {
		if total < 2 || !termtext.IsTerminal(w) {
			return noProgress{}
		}
		return barProgress{bar: progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(20),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionShowDescriptionAtLineEnd(),
		)}
	}
}

// barProgress is the terminal Progress: a bar with the count and the last environment started.
type barProgress struct {
	bar *progressbar.ProgressBar
}

// Start implements Progress.
func (p barProgress) Start(env environment.Environment) { p.bar.Describe(env.Name) }

// Done implements Progress. A bar that cannot be drawn is no reason to stop the run.
func (p barProgress) Done() { _ = p.bar.Add(1) }

// Finish implements Progress.
func (p barProgress) Finish() { _ = p.bar.Finish() }
