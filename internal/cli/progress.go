package cli

import (
	"io"

	"github.com/schollz/progressbar/v3"

	"github.com/kforge/kforge/internal/environment"
)

// progress shows, on a terminal, how many environments are done out of how many and which one
// started last. It is silent when stderr is not a terminal (CI logs, pipes, tests).
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress returns a progress display for total environments on w, or nil when w is not a
// terminal or there is only one environment.
func newProgress(w io.Writer, total int) *progress {
	if total < 2 || !isTerminal(w) {
		return nil
	}
	return &progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(20),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionShowDescriptionAtLineEnd(),
	)}
}

// Start implements pipeline.Progress.
func (p *progress) Start(env environment.Environment) {
	if p != nil {
		p.bar.Describe(env.Name)
	}
}

// Done implements pipeline.Progress.
func (p *progress) Done() {
	if p != nil {
		_ = p.bar.Add(1)
	}
}

// Finish implements pipeline.Progress.
func (p *progress) Finish() {
	if p != nil {
		_ = p.bar.Finish()
	}
}
