// Package fsutil holds the small file-system helpers that every reader of repository files needs
// to report a bad file without leaking an absolute path.
package fsutil

import (
	"errors"
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

// WithoutPath drops the absolute path an *fs.PathError or *os.LinkError carries, keeping its
// cause ("no such file or directory"), so callers can name the file repository-relative
// themselves.
func WithoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
