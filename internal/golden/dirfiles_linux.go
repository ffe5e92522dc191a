//go:build linux

package golden

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"syscall"

	"golang.org/x/sys/unix"
)

// dirFiles reads the files of one directory that the walker opened through its root. On Linux
// each file is opened relative to the directory's descriptor with plain system calls (openat,
// fstat, read, close): an *os.File adds four fcntl calls and a failed epoll registration per
// file, which was a third of the system time of a warm export (18,100 files read).
type dirFiles struct {
	dir syscall.RawConn
}

// newDirFiles prepares reads of the entries of d; root and rel (d's path below root) are what
// the portable implementation needs.
func newDirFiles(d *os.File, _ *os.Root, _ string) (dirFiles, error) {
	rc, err := d.SyscallConn()
	if err != nil {
		return dirFiles{}, err
	}
	return dirFiles{dir: rc}, nil
}

// read returns the content and permission bits of the regular file name (one path element)
// in the directory, at most maxFileSize bytes. A symbolic link is not followed and a special
// file is refused without blocking, should either have replaced the file since it was listed.
func (df dirFiles) read(name string) (content []byte, perm fs.FileMode, err error) {
	cerr := df.dir.Control(func(dirfd uintptr) {
		content, perm, err = readAt(int(dirfd), name)
	})
	if cerr != nil {
		return nil, 0, cerr
	}
	return content, perm, err
}

// readAt reads the regular file name in the directory dirfd.
func readAt(dirfd int, name string) ([]byte, fs.FileMode, error) {
	var fd int
	err := retryEINTR(func() (err error) {
		fd, err = unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("open: %w", err)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := retryEINTR(func() error { return unix.Fstat(fd, &st) }); err != nil {
		return nil, 0, fmt.Errorf("stat: %w", err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, 0, errors.New("not a regular file")
	}
	if st.Size > maxFileSize {
		return nil, 0, fmt.Errorf("file too large (%d bytes, limit %d)", st.Size, maxFileSize)
	}
	// One spare byte, so that a file read whole takes two reads: its bytes, then end of file.
	buf := make([]byte, 0, st.Size+1)
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 4096)
		}
		var n int
		err := retryEINTR(func() (err error) {
			n, err = unix.Read(fd, buf[len(buf):cap(buf)])
			return err
		})
		if err != nil {
			return nil, 0, fmt.Errorf("read: %w", err)
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
		if len(buf) > maxFileSize {
			return nil, 0, fmt.Errorf("file too large (more than %d bytes)", maxFileSize)
		}
	}
	return buf, fs.FileMode(st.Mode & 0o777), nil
}

// retryEINTR calls f again while it is interrupted by a signal (the Go runtime preempts
// goroutines with SIGURG).
func retryEINTR(f func() error) error {
	for {
		if err := f(); !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}
