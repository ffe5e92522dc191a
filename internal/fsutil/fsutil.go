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
	if pe := split(err); pe != nil {
		return pe.Err
	}
	return err
}

// OpWithoutPath is WithoutPath keeping the failed operation: "open: no such file or
// directory". The result wraps the cause.
func OpWithoutPath(err error) error {
	if pe := split(err); pe != nil {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// split returns the operation and cause of the first *fs.PathError or *os.LinkError in err's
// chain as an *fs.PathError without a path, or nil when the chain holds neither.
func split(err error) *fs.PathError {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Err: pe.Err}
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return &fs.PathError{Op: le.Op, Err: le.Err}
	}
	return nil
}
