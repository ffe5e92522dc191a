//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package golden

import (
	"errors"
	"syscall"
	"time"
)

// staleAfter is the age after which an O_EXCL lock file is taken to be left by a crashed run
// (the flock lock, used where available, is released by the kernel when its holder dies).
const staleAfter = 10 * time.Minute

// platformLock falls back to an O_EXCL lock file where flock is unavailable.
func platformLock(path string, timeout time.Duration) (*fileLock, error) {
	return exclLock(path, timeout, staleAfter)
}

// isReadOnly reports a read-only file system.
func isReadOnly(err error) bool { return errors.Is(err, syscall.EROFS) }
