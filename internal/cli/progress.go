package cli

import (
	"context"
	"io"

	"github.com/schollz/progressbar/v3"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/pipeline"
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

func (p *progress) start(env environment.Environment) {
	if p != nil {
		p.bar.Describe(env.Name)
	}
}

func (p *progress) done() {
	if p != nil {
		_ = p.bar.Add(1)
	}
}

func (p *progress) finish() {
	if p != nil {
		_ = p.bar.Finish()
	}
}

// eachEnv runs work for every environment of s through pipeline.Each with --parallel workers,
// showing progress on a terminal, and hands the results to emit in order.
func eachEnv[T any](ctx context.Context, streams IOStreams, s *session, parallel int,
	work func(context.Context, environment.Environment) (T, error),
	emit func(environment.Environment, T, error) error,
) error {
	p := newProgress(streams.ErrOut, len(s.envs))
	defer p.finish()
	return pipeline.Each(ctx, parallel, s.envs,
		func(ctx context.Context, env environment.Environment) (T, error) {
			p.start(env)
			defer p.done()
			return work(ctx, env)
		}, emit)
}
