//go:build linux

package golden

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// dirFiles lists and reads the entries of one directory that the walker opened through its
// root. On Linux both work on the directory's descriptor with plain system calls: each file is
// opened relative to it (openat, fstat, read, close), since an *os.File adds four fcntl calls
// and a failed epoll registration per file; and the listing takes each entry's type from
// getdents, where (*os.File).ReadDir of a directory opened in an os.Root calls lstat for every
// entry (docs/performance.md has the measurements).
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
// in the directory, at most MaxFileSize bytes. A symbolic link is not followed and a special
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

// list returns the entries of the directory sorted by name, without "." and "..". Their type
// comes from the directory itself; a file system that does not record it there costs an lstat.
func (df dirFiles) list() ([]dirEntry, error) {
	var entries []dirEntry
	var err error
	cerr := df.dir.Control(func(dirfd uintptr) {
		entries, err = listAt(int(dirfd))
	})
	if cerr != nil {
		return nil, cerr
	}
	return entries, err
}

// dirPerm returns the permission bits of the entry name, without following a symbolic link.
func (df dirFiles) dirPerm(name string) (fs.FileMode, error) {
	var st unix.Stat_t
	var err error
	cerr := df.dir.Control(func(dirfd uintptr) {
		err = retryEINTR(func() error { return unix.Fstatat(int(dirfd), name, &st, unix.AT_SYMLINK_NOFOLLOW) })
	})
	if cerr != nil {
		return 0, cerr
	}
	if err != nil {
		return 0, fmt.Errorf("stat: %w", err)
	}
	return fs.FileMode(st.Mode & 0o777), nil
}

// Offsets in a struct linux_dirent64 record: d_ino (8 bytes), d_off (8), d_reclen (2),
// d_type (1), then d_name, terminated by NUL and padded to the record length.
const (
	direntReclen = 16
	direntType   = 18
	direntName   = 19
)

// listAt reads the directory dirfd from its start to its end with getdents64.
func listAt(dirfd int) ([]dirEntry, error) {
	var entries []dirEntry
	buf := make([]byte, 32<<10)
	for {
		var n int
		err := retryEINTR(func() (err error) {
			n, err = unix.Getdents(dirfd, buf)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("list: %w", err)
		}
		if n <= 0 {
			break
		}
		for rec := buf[:n]; len(rec) > 0; {
			if len(rec) < direntName {
				return nil, errors.New("list: truncated directory record")
			}
			reclen := int(binary.NativeEndian.Uint16(rec[direntReclen:]))
			if reclen < direntName || reclen > len(rec) {
				return nil, errors.New("list: malformed directory record")
			}
			name := rec[direntName:reclen]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			typ := rec[direntType]
			rec = rec[reclen:]
			if string(name) == "." || string(name) == ".." {
				continue
			}
			e := dirEntry{name: string(name), typ: direntMode(typ)}
			if typ == unix.DT_UNKNOWN {
				var st unix.Stat_t
				if err := retryEINTR(func() error { return unix.Fstatat(dirfd, e.name, &st, unix.AT_SYMLINK_NOFOLLOW) }); err != nil {
					return nil, fmt.Errorf("stat %s: %w", e.name, err)
				}
				e.typ = statMode(st.Mode)
			}
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	return entries, nil
}

// direntMode converts a d_type value to the type bits of an fs.FileMode. A d_type is the file
// type bits of st_mode shifted right by 12 (DTTOIF in <dirent.h>); DT_UNKNOWN becomes
// fs.ModeIrregular.
func direntMode(typ uint8) fs.FileMode {
	return statMode(uint32(typ) << 12)
}

// statMode converts the file type in a stat st_mode to the type bits of an fs.FileMode.
func statMode(mode uint32) fs.FileMode {
	switch mode & unix.S_IFMT {
	case unix.S_IFREG:
		return 0
	case unix.S_IFDIR:
		return fs.ModeDir
	case unix.S_IFLNK:
		return fs.ModeSymlink
	case unix.S_IFIFO:
		return fs.ModeNamedPipe
	case unix.S_IFSOCK:
		return fs.ModeSocket
	case unix.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
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
	defer func() { _ = unix.Close(fd) }()
	var st unix.Stat_t
	if err := retryEINTR(func() error { return unix.Fstat(fd, &st) }); err != nil {
		return nil, 0, fmt.Errorf("stat: %w", err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, 0, errors.New("not a regular file")
	}
	if st.Size > MaxFileSize {
		return nil, 0, fmt.Errorf("file too large (%d bytes, limit %d)", st.Size, MaxFileSize)
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
		if len(buf) > MaxFileSize {
			return nil, 0, fmt.Errorf("file too large (more than %d bytes)", MaxFileSize)
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
