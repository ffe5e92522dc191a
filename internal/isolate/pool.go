package isolate

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/kforge/kforge/internal/gctune"
	"github.com/kforge/kforge/internal/jsonnet"
)

// DefaultIdleTimeout is how long an idle worker is kept when Config.IdleTimeout is zero.
const DefaultIdleTimeout = 2 * time.Second

// Limits bound one evaluation. A zero value means no limit.
type Limits struct {
	// EvalTimeout bounds the wall-clock time of one evaluation (limits.evalTimeout).
	EvalTimeout time.Duration
	// MaxOutputBytes bounds the manifested JSON of one evaluation (limits.maxOutputBytes).
	MaxOutputBytes int64
	// MaxMemory bounds the memory of the worker process while it evaluates (limits.maxMemory).
	MaxMemory int64
}

// Config describes the worker processes of a Pool.
type Config struct {
	// Executable is the program to run, normally os.Executable() of kforge.
	Executable string
	// Args are the worker's arguments including Args[0], e.g. ["kforge", "__worker"]: a
	// program that calls Serve on its standard input and output.
	Args []string
	// Env is the worker's environment; nil means an empty one. Use WorkerEnv.
	Env []string
	// Dir is the worker's working directory; "" means the caller's. Evaluations use absolute
	// roots, so it only matters for diagnostics.
	Dir string
	// Size is the maximum number of workers, and so of concurrent evaluations; 0 means
	// GOMAXPROCS.
	Size int
	// Limits apply to every evaluation.
	Limits Limits
	// IdleTimeout is how long an idle worker is kept for the next evaluation before it is
	// stopped; 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// InProcess makes New return the in-process Local evaluator instead of a Pool
	// (--isolate=false); the fields about worker processes are then unused.
	InProcess bool
}

// Pool runs evaluations in worker processes under Limits. It implements jsonnet.Evaluator and
// is safe for concurrent use; workers are started on demand, reused across evaluations and
// stopped when idle or by Close.
type Pool struct {
	cfg   Config
	slots chan struct{}

	mu      sync.Mutex
	idle    []*worker
	closed  bool
	started int
	// draining stops each worker as soon as its evaluation ends (SetDraining).
	draining bool
}

// NewPool returns a Pool; no process is started until the first evaluation.
func NewPool(cfg Config) *Pool {
	if cfg.Size <= 0 {
		cfg.Size = runtime.GOMAXPROCS(0)
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	return &Pool{cfg: cfg, slots: make(chan struct{}, cfg.Size)}
}

// Evaluate implements jsonnet.Evaluator: it evaluates in a worker process and returns its
// result or error, a *LimitError when a limit stopped it, or a *WorkerError when the worker
// failed. opts.TraceOut receives std.trace output.
func (p *Pool) Evaluate(ctx context.Context, opts jsonnet.Options, filename, code string) (jsonnet.Result, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return jsonnet.Result{}, fmt.Errorf("evaluate %s: %w", filename, ctx.Err())
	}
	defer func() { <-p.slots }()
	w, err := p.take()
	if err != nil {
		return jsonnet.Result{}, &WorkerError{File: filename, Reason: err.Error()}
	}
	trace := opts.TraceOut
	opts.TraceOut = nil
	// Each evaluation gets the whole heap budget: dividing it among workers evaluating side by
	// side made each collect a small environment several times (40 x 50 fixture, export --all:
	// 25% more CPU than GOGC=400, at 545-582 MiB where tk export peaks near 1 GiB).
	budget := int64(gctune.DefaultBudget)
	req := request{
		Options:        opts,
		Trace:          trace != nil,
		Filename:       filename,
		Code:           code,
		MaxOutputBytes: p.cfg.Limits.MaxOutputBytes,
		MaxMemory:      p.cfg.Limits.MaxMemory,
		HeapBudget:     budget,
	}
	res, healthy, err := w.evaluate(ctx, req, p.cfg.Limits.EvalTimeout, trace)
	p.put(w, healthy)
	return res, err
}

// take returns an idle live worker or starts one.
func (p *Pool) take() (*worker, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errPoolClosed
	}
	for len(p.idle) > 0 {
		w := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if w.idle.Stop() && w.alive() {
			p.mu.Unlock()
			return w, nil
		}
		// The idle timer fired (the worker is being stopped) or the process died.
		w.stop()
	}
	p.started++
	p.mu.Unlock()
	return startWorker(p.cfg)
}

// put returns a worker after an evaluation: a healthy one waits for the next evaluation until
// IdleTimeout, any other is discarded.
func (p *Pool) put(w *worker, healthy bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !healthy || p.closed || p.draining || !w.alive() {
		w.stop()
		return
	}
	w.idle = time.AfterFunc(p.cfg.IdleTimeout, func() { p.expire(w) })
	p.idle = append(p.idle, w)
}

// expire stops w if it is still idle.
func (p *Pool) expire(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, iw := range p.idle {
		if iw == w {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			w.stop()
			return
		}
	}
}

// SetDraining tells the pool whether more evaluations are to come. While it is draining,
// idle workers are stopped and a worker that finishes an evaluation is stopped at once rather
// than kept for IdleTimeout, so its memory is returned while the caller goes on with the
// result; an evaluation after that starts a new worker. The pipeline drains the pool when it
// has started the last evaluation of a run.
func (p *Pool) SetDraining(draining bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draining = draining
	if !draining {
		return
	}
	for _, w := range p.idle {
		w.idle.Stop()
		w.stop()
	}
	p.idle = nil
}

// Started returns how many worker processes the pool has started so far.
func (p *Pool) Started() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.started
}

// Close stops the idle workers; workers still evaluating stop when they finish. Evaluate fails
// after Close.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, w := range p.idle {
		w.idle.Stop()
		w.stop()
	}
	p.idle = nil
	return nil
}

// errPoolClosed is the reason Evaluate gives after Close.
var errPoolClosed = errors.New("the evaluation pool is closed")
