package isolate

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kforge/kforge/internal/jsonnet"
)

// request is one evaluation sent to a worker.
type request struct {
	// Seq numbers the requests of one worker; every frame of the answer repeats it.
	Seq uint64
	// Options configure the VM. TraceOut is never sent (an io.Writer does not cross processes);
	// Trace says whether std.trace output is wanted back.
	Options jsonnet.Options
	// Trace asks for std.trace output as trace frames.
	Trace bool
	// Filename and Code are the arguments of jsonnet.Evaluator.Evaluate.
	Filename, Code string
	// MaxOutputBytes and MaxMemory are the limits the worker enforces itself (0: none).
	MaxOutputBytes, MaxMemory int64
	// HeapBudget is the heap the worker may grow to between collections while it evaluates
	// (gctune.Tracker; 0: gctune.DefaultBudget).
	HeapBudget int64
}

// response is one frame of a worker's answer.
type response struct {
	// Seq is the request's sequence number.
	Seq uint64
	// Trace is a chunk of std.trace output (a frame that is neither final nor a memory frame).
	Trace []byte
	// Memory, when positive, says the worker used that many bytes, more than MaxMemory; it
	// exits after sending this frame.
	Memory int64
	// Restart says the evaluation starts again: the output sink's attempt failed and the normal
	// evaluation, which reports the error as go-jsonnet words it, begins (jsonnet.Options.
	// OnSinkRetry). The parent gives it a whole evaluation timeout of its own.
	Restart bool
	// Done marks the final frame, holding Result or Error.
	Done bool
	// Result is the evaluation's result when Error is nil, without its JSON, which follows the
	// frame on the stream as BodySize raw bytes (see writeFrame).
	Result jsonnet.Result
	// BodySize is the length of the raw body after the frame: the result's JSON.
	BodySize int64
	// Error is the evaluation's error.
	Error *wireError
}

// writeFrame encodes r on enc and, for a final frame with a result, writes the result's JSON
// after it as a raw body, then flushes w. gob would copy the JSON (tens of megabytes for a
// large environment) into a message buffer on each side; raw, it is written straight from the
// evaluation's string and read into one string (readFrame).
func writeFrame(enc *gob.Encoder, w *bufio.Writer, r response) error {
	body := r.Result.JSON
	r.Result.JSON = ""
	r.BodySize = int64(len(body))
	if err := enc.Encode(r); err != nil {
		return err
	}
	if body == "" {
		return w.Flush()
	}
	// Flushed first, the buffer is empty, so the body is handed to the underlying writer in one
	// call instead of being copied through the buffer a few kilobytes at a time.
	if err := w.Flush(); err != nil {
		return err
	}
	if _, err := w.WriteString(body); err != nil {
		return err
	}
	return w.Flush()
}

// readFrame decodes one frame written by writeFrame from r, through dec (a gob decoder reading
// r, which reads no more than each message because r is an io.ByteReader), with its body.
func readFrame(dec *gob.Decoder, r *bufio.Reader) (response, error) {
	var f response
	if err := dec.Decode(&f); err != nil {
		return response{}, err
	}
	switch {
	case f.BodySize < 0 || (f.BodySize > 0 && (!f.Done || f.Error != nil)):
		return response{}, fmt.Errorf("frame %d has a body of %d bytes", f.Seq, f.BodySize)
	case f.BodySize > 0:
		var b strings.Builder
		b.Grow(int(f.BodySize))
		if _, err := io.CopyN(&b, r, f.BodySize); err != nil {
			return response{}, fmt.Errorf("read the result of frame %d: %w", f.Seq, err)
		}
		f.Result.JSON = b.String()
		f.BodySize = 0
	}
	return f, nil
}

// wireError carries an error across the process boundary. Message is the error's text; Jsonnet
// and Limit hold the typed error found in its chain, so errors.As works in the parent and the
// message is unchanged.
type wireError struct {
	Message string
	Jsonnet *jsonnet.Error
	Limit   *LimitError
}

// encodeError prepares err for sending.
func encodeError(err error) *wireError {
	w := &wireError{Message: err.Error()}
	var je *jsonnet.Error
	if errors.As(err, &je) {
		w.Jsonnet = je
	}
	var le *LimitError
	if errors.As(err, &le) {
		w.Limit = le
	}
	return w
}

// decode rebuilds the error: the typed error itself when it is the whole error, else an error
// with the same message wrapping it.
func (w *wireError) decode() error {
	switch {
	case w.Limit != nil && w.Limit.Error() == w.Message:
		return w.Limit
	case w.Jsonnet != nil && w.Jsonnet.Error() == w.Message:
		return w.Jsonnet
	case w.Limit != nil:
		return &remoteError{msg: w.Message, cause: w.Limit}
	case w.Jsonnet != nil:
		return &remoteError{msg: w.Message, cause: w.Jsonnet}
	}
	return &remoteError{msg: w.Message}
}

// goRuntimeVars are the environment variables a worker keeps: settings of the Go runtime and
// of the race detector and coverage tooling, nothing an evaluation could read.
var goRuntimeVars = []string{"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG", "GOTRACEBACK", "GORACE", "GOCOVERDIR"}

// WorkerEnv returns the environment for worker processes: the entries of environ (KEY=value)
// that configure the Go runtime, and nothing else, so no secret in the parent's environment
// reaches a process that evaluates untrusted Jsonnet.
func WorkerEnv(environ []string) []string {
	out := []string{}
	for _, kv := range environ {
		key, _, _ := strings.Cut(kv, "=")
		for _, k := range goRuntimeVars {
			if key == k {
				out = append(out, kv)
			}
		}
	}
	return out
}
