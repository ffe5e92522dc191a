package isolate

import (
	"context"
	"fmt"
	"time"

	"github.com/kforge/kforge/internal/jsonnet"
)

// Local evaluates in this process (kforge --isolate=false) and enforces what can be enforced
// there: MaxOutputBytes, and EvalTimeout as far as returning a *LimitError in time goes. The
// evaluation itself cannot be stopped: it keeps its goroutine, CPU and memory until it ends or
// the process exits. MaxMemory is not enforced.
type Local struct {
	// Limits are the limits; MaxMemory is ignored.
	Limits Limits
	// Eval evaluates; jsonnet.NewInProcess() reuses parsed files across environments, the zero
	// value uses a fresh VM per evaluation.
	Eval jsonnet.InProcess
}

// Evaluate implements jsonnet.Evaluator.
func (l Local) Evaluate(ctx context.Context, opts jsonnet.Options, filename, code string) (jsonnet.Result, error) {
	type outcome struct {
		res jsonnet.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := l.Eval.Evaluate(ctx, opts, filename, code)
		done <- outcome{res, err}
	}()
	var expired <-chan time.Time
	if l.Limits.EvalTimeout > 0 {
		t := time.NewTimer(l.Limits.EvalTimeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case o := <-done:
		if o.err != nil {
			return jsonnet.Result{}, o.err
		}
		if limit := l.Limits.MaxOutputBytes; limit > 0 && int64(len(o.res.JSON)) > limit {
			return jsonnet.Result{}, &LimitError{Limit: LimitMaxOutputBytes, File: filename, Max: limit, Used: int64(len(o.res.JSON))}
		}
		return o.res, nil
	case <-expired:
		return jsonnet.Result{}, &LimitError{Limit: LimitEvalTimeout, File: filename, Max: int64(l.Limits.EvalTimeout)}
	case <-ctx.Done():
		return jsonnet.Result{}, fmt.Errorf("evaluate %s: %w", filename, ctx.Err())
	}
}
