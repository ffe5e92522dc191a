//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package golden

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/kforge/kforge/internal/fsutil"
)

// platformLock takes an advisory flock on path. The kernel releases it when the holder dies,
// so a killed run never leaves a lock behind. The holder removes the file when it is done;
// a waiter that wins the lock on a file that has meanwhile been removed or replaced starts
// over, so two runs never hold locks on different files of the same name.
func platformLock(path string, timeout time.Duration) (*fileLock, error) {
	b := newBackoff(timeout)
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, FileMode)
		if err != nil {
			return nil, fmt.Errorf("open lock: %w", fsutil.OpWithoutPath(err))
		}
		for {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
			if err == nil || !errors.Is(err, syscall.EWOULDBLOCK) {
				break
			}
			if !b.next() {
				_ = f.Close()
				return nil, errLockBusy
			}
		}
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("lock: %w", err)
		}
		if sameFile(f, path) {
			return &fileLock{release: func() {
				_ = os.Remove(path)
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}}, nil
		}
		_ = f.Close()
	}
}

// sameFile reports whether path still names the open file f.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Lstat(path)
	return err == nil && os.SameFile(a, b)
}

// isReadOnly reports a read-only file system.
func isReadOnly(err error) bool { return errors.Is(err, syscall.EROFS) }
