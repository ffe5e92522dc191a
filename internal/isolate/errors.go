package isolate

import (
	"fmt"
	"time"
)

// Limit names a limit of kforge.yaml's `limits` mapping.
type Limit string

// The limits an evaluation can exceed.
const (
	// LimitEvalTimeout is limits.evalTimeout (--eval-timeout).
	LimitEvalTimeout Limit = "evalTimeout"
	// LimitMaxMemory is limits.maxMemory (--max-memory).
	LimitMaxMemory Limit = "maxMemory"
	// LimitMaxOutputBytes is limits.maxOutputBytes (--max-output-bytes).
	LimitMaxOutputBytes Limit = "maxOutputBytes"
)

// flag returns the command-line flag that sets the limit.
func (l Limit) flag() string {
	switch l {
	case LimitEvalTimeout:
		return "--eval-timeout"
	case LimitMaxMemory:
		return "--max-memory"
	case LimitMaxOutputBytes:
		return "--max-output-bytes"
	}
	return ""
}

// LimitError reports an evaluation stopped by one of its limits.
type LimitError struct {
	// Limit is the limit that was exceeded.
	Limit Limit
	// File is the repository-relative file (or snippet name) being evaluated.
	File string
	// Max is the limit's value: nanoseconds for LimitEvalTimeout, bytes otherwise.
	Max int64
	// Used is what was measured, in bytes (memory or output size); 0 for LimitEvalTimeout.
	Used int64
}

// Error reads, for example, "environments/prod/main.jsonnet: evaluation stopped after 2m0s
// (limits.evalTimeout; --eval-timeout)".
func (e *LimitError) Error() string {
	var what string
	switch e.Limit {
	case LimitEvalTimeout:
		what = fmt.Sprintf("evaluation stopped after %s", time.Duration(e.Max))
	case LimitMaxMemory:
		what = fmt.Sprintf("evaluation stopped: it used %s of memory, more than the limit of %s", formatBytes(e.Used), formatBytes(e.Max))
	case LimitMaxOutputBytes:
		what = fmt.Sprintf("evaluation stopped: the output is %s, more than the limit of %s", formatBytes(e.Used), formatBytes(e.Max))
	default:
		what = fmt.Sprintf("evaluation stopped by limit %s", e.Limit)
	}
	msg := fmt.Sprintf("%s (limits.%s; %s)", what, e.Limit, e.Limit.flag())
	if e.File == "" {
		return msg
	}
	return e.File + ": " + msg
}

// WorkerError reports a worker process that failed without answering: it could not be started,
// crashed, or broke the protocol.
type WorkerError struct {
	// File is the repository-relative file (or snippet name) being evaluated.
	File string
	// Reason says what happened: the exit status and the first line of the crash message.
	Reason string
}

func (e *WorkerError) Error() string {
	msg := "evaluation worker failed: " + e.Reason
	if e.File == "" {
		return msg
	}
	return e.File + ": " + msg
}

// formatBytes prints a byte count in the largest binary unit that divides it, or in bytes with
// an approximate size in MiB.
func formatBytes(n int64) string {
	units := []struct {
		size int64
		name string
	}{{1 << 40, "TiB"}, {1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}}
	for _, u := range units {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%d bytes (%.1f MiB)", n, float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

// remoteError is an error from a worker that is neither a *jsonnet.Error nor a *LimitError by
// itself (for example one wrapping a *jsonnet.Error): it keeps the message and the wrapped
// cause.
type remoteError struct {
	msg   string
	cause error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.cause }
