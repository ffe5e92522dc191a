package isolate

import (
	"bufio"
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/jsonnet"
)

// exitGrace is how long a worker that closed its output is given to exit before it is killed.
const exitGrace = 2 * time.Second

// stderrHead is how much of a worker's standard error is kept to explain a crash.
const stderrHead = 16 << 10

// worker is one worker process seen from the parent. Its methods are called by one goroutine at
// a time (the one holding it from the pool).
type worker struct {
	cmd    *exec.Cmd
	stdin  *os.File
	bw     *bufio.Writer
	enc    *gob.Encoder
	frames chan response
	// exited is closed when the process has exited and waitErr is set.
	exited  chan struct{}
	waitErr error
	stderr  *headBuffer
	seq     uint64
	// idle stops the worker after it has been idle for the pool's IdleTimeout.
	idle *time.Timer
}

// startWorker starts a worker process as cfg describes.
func startWorker(cfg Config) (*worker, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start evaluation worker: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		_ = inR.Close()
		_ = inW.Close()
		return nil, fmt.Errorf("start evaluation worker: %w", err)
	}
	env := cfg.Env
	if env == nil {
		env = []string{} // nil would inherit the parent's environment
	}
	w := &worker{
		// Its own output is the worker's protocol stream; Wait does not close os.File
		// descriptors it did not create, so every frame written before exit is read.
		cmd:    &exec.Cmd{Path: cfg.Executable, Args: cfg.Args, Env: env, Dir: cfg.Dir, Stdin: inR, Stdout: outW, SysProcAttr: sysProcAttr()},
		stdin:  inW,
		frames: make(chan response),
		exited: make(chan struct{}),
		stderr: &headBuffer{max: stderrHead},
	}
	w.cmd.Stderr = w.stderr
	w.bw = bufio.NewWriter(inW)
	w.enc = gob.NewEncoder(w.bw)

	started := make(chan error, 1)
	go func() {
		// The parent-death signal (Linux) belongs to the thread that started the child, so
		// that thread stays with this goroutine until the child has exited; it ends with it.
		runtime.LockOSThread()
		if err := w.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		w.waitErr = w.cmd.Wait()
		close(w.exited)
	}()
	err = <-started
	// The child has its own copies of these ends (or never started); the parent's are done.
	_ = inR.Close()
	_ = outW.Close()
	if err != nil {
		_ = inW.Close()
		_ = outR.Close()
		// Without the executable's absolute path: messages name no path outside the repository.
		return nil, fmt.Errorf("start evaluation worker: %w", fsutil.WithoutPath(err))
	}
	go w.read(outR)
	return w, nil
}

// read decodes frames until the worker's output ends, then closes frames.
func (w *worker) read(r *os.File) {
	defer func() { _ = r.Close() }()
	defer close(w.frames)
	br := bufio.NewReader(r)
	dec := gob.NewDecoder(br)
	for {
		f, err := readFrame(dec, br)
		if err != nil {
			return
		}
		w.frames <- f
	}
}

// alive reports whether the process is still running.
func (w *worker) alive() bool {
	select {
	case <-w.exited:
		return false
	default:
		return true
	}
}

// evaluate runs one request. healthy is false when the worker must not be used again (it was
// killed, crashed or broke the protocol).
func (w *worker) evaluate(ctx context.Context, req request, timeout time.Duration, trace io.Writer) (res jsonnet.Result, healthy bool, err error) {
	w.seq++
	req.Seq = w.seq
	var expired <-chan time.Time
	var timer *time.Timer
	if timeout > 0 {
		timer = time.NewTimer(timeout)
		defer timer.Stop()
		expired = timer.C
	}
	sent := make(chan error, 1)
	go func() {
		err := w.enc.Encode(req)
		if err == nil {
			err = w.bw.Flush()
		}
		sent <- err
	}()
	for {
		select {
		case err := <-sent:
			if err != nil {
				w.kill()
				return jsonnet.Result{}, false, &WorkerError{File: req.Filename, Reason: "send request: " + err.Error()}
			}
			sent = nil
		case f, ok := <-w.frames:
			if !ok {
				return jsonnet.Result{}, false, w.died(req)
			}
			if f.Seq != req.Seq {
				w.kill()
				return jsonnet.Result{}, false, &WorkerError{File: req.Filename, Reason: fmt.Sprintf("answer %d to request %d", f.Seq, req.Seq)}
			}
			switch {
			case f.Memory > 0:
				w.kill()
				return jsonnet.Result{}, false, &LimitError{Limit: LimitMaxMemory, File: req.Filename, Max: req.MaxMemory, Used: f.Memory}
			case f.Restart:
				// The normal evaluation after a failed output-sink attempt gets the whole
				// timeout, so a failure is reported with its own error, not as a timeout.
				if timer != nil {
					timer.Reset(timeout)
				}
			case f.Done:
				if sent != nil {
					// The worker has read the whole request; let the writer finish before
					// the next request uses it.
					if err := <-sent; err != nil {
						w.kill()
						return jsonnet.Result{}, false, &WorkerError{File: req.Filename, Reason: "send request: " + err.Error()}
					}
				}
				if f.Error != nil {
					return jsonnet.Result{}, true, f.Error.decode()
				}
				return f.Result, true, nil
			case trace != nil:
				_, _ = trace.Write(f.Trace)
			}
		case <-expired:
			w.kill()
			return jsonnet.Result{}, false, &LimitError{Limit: LimitEvalTimeout, File: req.Filename, Max: int64(timeout)}
		case <-ctx.Done():
			w.kill()
			return jsonnet.Result{}, false, fmt.Errorf("evaluate %s: %w", req.Filename, ctx.Err())
		}
	}
}

// died explains a worker whose output ended in the middle of a request.
func (w *worker) died(req request) error {
	select {
	case <-w.exited:
	case <-time.After(exitGrace):
		w.kill()
		<-w.exited
	}
	reason := "it exited without answering"
	if w.waitErr != nil {
		reason = w.waitErr.Error()
	}
	if strings.Contains(reason, "signal: killed") && req.MaxMemory > 0 {
		reason += " (by the system: out of memory?)"
	}
	if line := crashLine(w.stderr.String()); line != "" {
		reason += ": " + line
	}
	return &WorkerError{File: req.Filename, Reason: reason}
}

// crashLine picks the line explaining a crash from a worker's standard error: a Go fatal
// error, else a panic's value (never the goroutine dump that follows), else kforge's own error
// line.
func crashLine(stderr string) string {
	lines := strings.Split(stderr, "\n")
	for _, prefix := range []string{"fatal error: ", "panic: ", "Error: "} {
		for _, line := range lines {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
				if prefix == "panic: " {
					return "crashed: " + rest
				}
				return rest
			}
		}
	}
	return ""
}

// kill ends the process and discards what it still sends.
func (w *worker) kill() {
	if w.cmd.Process != nil {
		_ = w.cmd.Process.Kill()
	}
	_ = w.stdin.Close()
	go func() {
		for range w.frames {
		}
	}()
}

// stop closes the worker's input, which makes an idle worker exit; one that does not exit
// within exitGrace is killed.
func (w *worker) stop() {
	_ = w.stdin.Close()
	go func() {
		select {
		case <-w.exited:
		case <-time.After(exitGrace):
			w.kill()
		}
		for range w.frames {
		}
	}()
}

// headBuffer keeps the first max bytes written to it: a crash report starts with its reason.
type headBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (h *headBuffer) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if room := h.max - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (h *headBuffer) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return string(h.b)
}
