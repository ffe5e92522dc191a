package isolate

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/kforge/kforge/internal/gctune"
	"github.com/kforge/kforge/internal/jsonnet"
)

// memoryPollInterval is how often a worker samples its memory while it evaluates.
const memoryPollInterval = 20 * time.Millisecond

// MemoryError is returned by Serve when an evaluation went over its memory limit; the worker
// process should exit (the evaluation cannot be stopped otherwise).
type MemoryError struct {
	// Used and Max are the measured memory and the limit, in bytes.
	Used, Max int64
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("evaluation worker stopped: it used %s of memory, more than the limit of %s", formatBytes(e.Used), formatBytes(e.Max))
}

// Serve is the worker's side of the protocol: it reads requests from in, evaluates each with
// jsonnet.InProcess and answers on out, one request at a time, until in ends (nil) or ctx is
// cancelled. When an evaluation goes over its memory limit, Serve sends a memory frame and
// returns a *MemoryError at once, while the evaluation is still running: the caller must then
// end the process. gc, when not nil, gets each request's heap budget.
func Serve(ctx context.Context, in io.Reader, out io.Writer, gc *gctune.Tracker) error {
	// One pooled evaluator for the worker's life: lib/ and vendor files are parsed once per worker,
	// not once per environment.
	s := &server{bw: bufio.NewWriter(out), exceeded: make(chan *MemoryError, 1), eval: jsonnet.NewInProcess(), gc: gc}
	s.enc = gob.NewEncoder(s.bw)
	done := make(chan error, 1)
	go func() { done <- s.loop(ctx, gob.NewDecoder(bufio.NewReader(in))) }()
	select {
	case err := <-done:
		return err
	case err := <-s.exceeded:
		return err
	case <-ctx.Done():
		return fmt.Errorf("serve evaluations: %w", ctx.Err())
	}
}

// server writes the frames of one worker.
type server struct {
	mu       sync.Mutex
	bw       *bufio.Writer
	enc      *gob.Encoder
	exceeded chan *MemoryError
	eval     jsonnet.InProcess
	gc       *gctune.Tracker
}

// send writes and flushes one frame.
func (s *server) send(r response) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := writeFrame(s.enc, s.bw, r); err != nil {
		return fmt.Errorf("send frame: %w", err)
	}
	return nil
}

func (s *server) loop(ctx context.Context, dec *gob.Decoder) error {
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read request: %w", err)
		}
		if err := s.send(s.handle(ctx, req)); err != nil {
			return err
		}
	}
}

// handle evaluates one request and returns its final frame.
func (s *server) handle(ctx context.Context, req request) response {
	opts := req.Options
	// A worker only evaluates: the output sink spares it go-jsonnet's output buffers and
	// usually a last collection of its whole heap (jsonnet.Options.OutputSink).
	opts.OutputSink = true
	opts.TraceOut = nil
	opts.OnSinkRetry = func() {
		// A failed send ends the worker's output; the parent then reports the worker gone.
		_ = s.send(response{Seq: req.Seq, Restart: true})
	}
	if req.Trace {
		opts.TraceOut = &traceWriter{s: s, seq: req.Seq}
	}
	s.gc.SetBudget(req.HeapBudget)
	stop := s.watchMemory(req.Seq, req.MaxMemory)
	res, err := s.eval.Evaluate(ctx, opts, req.Filename, req.Code)
	stop()
	if err == nil && req.MaxOutputBytes > 0 && int64(len(res.JSON)) > req.MaxOutputBytes {
		err = &LimitError{Limit: LimitMaxOutputBytes, File: req.Filename, Max: req.MaxOutputBytes, Used: int64(len(res.JSON))}
	}
	if err != nil {
		return response{Seq: req.Seq, Done: true, Error: encodeError(err)}
	}
	return response{Seq: req.Seq, Done: true, Result: res}
}

// traceWriter forwards std.trace output as trace frames.
type traceWriter struct {
	s   *server
	seq uint64
}

func (w *traceWriter) Write(p []byte) (int, error) {
	if err := w.s.send(response{Seq: w.seq, Trace: append([]byte(nil), p...)}); err != nil {
		return 0, err
	}
	return len(p), nil
}

// watchMemory samples the process's memory until the returned function is called. It sets the
// runtime's soft memory limit a little below limit, so the collector works hard before limit is
// reached, and reports an evaluation whose memory stays above limit after a forced collection.
func (s *server) watchMemory(seq uint64, limit int64) (stop func()) {
	if limit <= 0 {
		return func() {}
	}
	previous := debug.SetMemoryLimit(limit - limit/10)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(memoryPollInterval)
		defer tick.Stop()
		samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
			}
			if used := memoryInUse(samples); used <= limit {
				continue
			}
			runtime.GC()
			used := memoryInUse(samples)
			if used <= limit {
				continue
			}
			// The evaluation goes on in another goroutine; only the end of the process stops
			// it. Tell the parent, then make Serve return.
			_ = s.send(response{Seq: seq, Memory: used})
			s.exceeded <- &MemoryError{Used: used, Max: limit}
			return
		}
	}()
	return func() {
		close(quit)
		wg.Wait()
		debug.SetMemoryLimit(previous)
	}
}

// memoryInUse is the memory the Go runtime has mapped and not returned to the system: heap,
// stacks and runtime structures.
func memoryInUse(samples []metrics.Sample) int64 {
	metrics.Read(samples)
	var v [2]uint64
	for i, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			v[i] = s.Value.Uint64()
		}
	}
	if v[1] > v[0] {
		return 0
	}
	return int64(v[0] - v[1])
}
