//go:build linux

package golden

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"

	"github.com/kforge/kforge/internal/fsutil"
	"golang.org/x/sys/unix"
)

// maxStagedDirFDs bounds the directory descriptors a stagedFiles keeps open.
const maxStagedDirFDs = 64

// stagedFiles creates the directories and files of a staging tree. On Linux it works with plain
// system calls on directory descriptors, one path element at a time and never following a
// symbolic link, as an os.Root does: a file costs openat, write and close, where an os.Root
// walks every directory of its path again and an *os.File adds four fcntl calls and a failed
// epoll registration. The chmod that makes modes independent of the umask is skipped when the
// umask clears none of the mode's bits.
type stagedFiles struct {
	// fds are open directory descriptors by slash path ("." is the staging directory).
	fds map[string]int
	// umask is the process's umask, or -1 when unknown (every mode is then set explicitly).
	umask int
}

// newStagedFiles opens the staging directory dir.
func newStagedFiles(dir string, _ *os.Root) (*stagedFiles, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open staging directory: %w", fsutil.OpWithoutPath(&fs.PathError{Op: "open", Path: dir, Err: err}))
	}
	return &stagedFiles{fds: map[string]int{".": fd}, umask: processUmask()}, nil
}

// mkdirAll creates dir and its missing parents with mode perm; made holds the directories that
// exist already ("." among them) and gains the new ones.
func (s *stagedFiles) mkdirAll(dir string, perm fs.FileMode, made map[string]bool) error {
	s.evict()
	return s.mkdirAllFrom(dir, perm, made)
}

func (s *stagedFiles) mkdirAllFrom(dir string, perm fs.FileMode, made map[string]bool) error {
	if made[dir] {
		return nil
	}
	parent := path.Dir(dir)
	if err := s.mkdirAllFrom(parent, perm, made); err != nil {
		return err
	}
	pfd, err := s.dirFD(parent)
	if err != nil {
		return fmt.Errorf("create directory %s: %w", dir, err)
	}
	base := path.Base(dir)
	if err := unix.Mkdirat(pfd, base, uint32(perm)); err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("create directory %s: mkdirat: %w", dir, err)
	}
	if s.needsChmod(perm) {
		fd, err := s.dirFD(dir)
		if err != nil {
			return fmt.Errorf("chmod %s: %w", dir, err)
		}
		if err := unix.Fchmod(fd, uint32(perm)); err != nil {
			return fmt.Errorf("chmod %s: chmod: %w", dir, err)
		}
	}
	made[dir] = true
	return nil
}

// create writes a new file p (its directory exists) with content and mode perm.
func (s *stagedFiles) create(p string, content []byte, perm fs.FileMode) error {
	s.evict()
	dfd, err := s.dirFD(path.Dir(p))
	if err != nil {
		return fmt.Errorf("create %s: %w", p, err)
	}
	fd, err := unix.Openat(dfd, path.Base(p), unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm))
	if err != nil {
		return fmt.Errorf("create %s: open: %w", p, err)
	}
	err = writeAll(fd, content)
	if err == nil && s.needsChmod(perm) {
		if cerr := unix.Fchmod(fd, uint32(perm)); cerr != nil {
			err = fmt.Errorf("chmod: %w", cerr)
		}
	}
	if cerr := unix.Close(fd); err == nil && cerr != nil {
		err = fmt.Errorf("close: %w", cerr)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}

// writeAll writes content to fd, continuing after short writes and interruptions.
func writeAll(fd int, content []byte) error {
	for len(content) > 0 {
		n, err := unix.Write(fd, content)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("write: %w", err)
		}
		content = content[n:]
	}
	return nil
}

// dirFD returns a descriptor of the directory dir, opening it one element at a time from the
// staging directory without following symbolic links.
func (s *stagedFiles) dirFD(dir string) (int, error) {
	if fd, ok := s.fds[dir]; ok {
		return fd, nil
	}
	pfd, err := s.dirFD(path.Dir(dir))
	if err != nil {
		return -1, err
	}
	fd, err := unix.Openat(pfd, path.Base(dir), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("open %s: %w", dir, err)
	}
	s.fds[dir] = fd
	return fd, nil
}

// evict closes the directory descriptors but the staging directory's when there are many;
// callers evict before they resolve a path, never while they hold a descriptor.
func (s *stagedFiles) evict() {
	if len(s.fds) <= maxStagedDirFDs {
		return
	}
	for d, fd := range s.fds {
		if d != "." {
			_ = unix.Close(fd)
			delete(s.fds, d)
		}
	}
}

// needsChmod reports whether creating with mode perm leaves bits cleared by the umask.
func (s *stagedFiles) needsChmod(perm fs.FileMode) bool {
	return s.umask < 0 || int(perm.Perm())&s.umask != 0
}

// close closes every descriptor.
func (s *stagedFiles) close() {
	for d, fd := range s.fds {
		_ = unix.Close(fd)
		delete(s.fds, d)
	}
}

// processUmask reads the umask from /proc/self/status (Linux 4.7 and later), or -1.
func processUmask() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("Umask:")); ok {
			m, err := strconv.ParseUint(string(bytes.TrimSpace(v)), 8, 32)
			if err != nil {
				return -1
			}
			return int(m)
		}
	}
	return -1
}
