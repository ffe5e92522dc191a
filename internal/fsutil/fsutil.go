// Package fsutil holds the small file-system helpers that every reader of repository files needs
// to report a bad file without leaking an absolute path.
package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// FileType names the type of a file that is not a regular one: "a directory", "a named pipe",
// "a socket", "a device" or "a special file".
func FileType(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// WithoutPath drops the absolute path(s) an *fs.PathError or *os.LinkError carries, keeping
// its cause ("no such file or directory"), so callers can name the file repository-relative
// themselves. Other errors are returned unchanged.
func WithoutPath(err error) error {
	if _, cause, ok := split(err); ok {
		return cause
	}
	return err
}

// OpWithoutPath is WithoutPath keeping the failed operation: "open: no such file or
// directory". The result wraps the cause.
func OpWithoutPath(err error) error {
	if op, cause, ok := split(err); ok {
		return fmt.Errorf("%s: %w", op, cause)
	}
	return err
}

// split returns the operation and cause of the first *fs.PathError or *os.LinkError in err's
// chain.
func split(err error) (op string, cause error, ok bool) {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op, pe.Err, true
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Op, le.Err, true
	}
	return "", nil, false
}
