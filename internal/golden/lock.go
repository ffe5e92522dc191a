package golden

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/kforge/kforge/internal/fsutil"
)

// lockName is the lock file kept beside environment directories while one is being written.
const lockName = ".kforge.lock"

// lockTimeout is how long a run waits for another run's lock before giving up.
const lockTimeout = 2 * time.Minute

// errLockBusy is returned when another run holds the lock for longer than the timeout.
var errLockBusy = errors.New("another kforge run holds the lock " + lockName + " beside it; try again when it has finished")

// fileLock is a held lock; release gives it up and removes the lock file.
type fileLock struct {
	release func()
}

// Lock takes the lock of directory dir, the one [Update] takes for the environment directories
// in it, waiting up to two minutes for another holder; release gives it up.
func Lock(dir string) (release func(), err error) {
	l, err := acquireLock(dir, lockTimeout)
	if err != nil {
		return nil, err
	}
	return l.release, nil
}

// TryLock takes the lock of directory dir as [Lock] does, without waiting: when another run
// holds it, it fails at once.
func TryLock(dir string) (release func(), err error) {
	l, err := acquireLock(dir, 0)
	if err != nil {
		return nil, err
	}
	return l.release, nil
}

// acquireLock takes the lock of directory dir (the parent of the environment directories),
// waiting up to timeout for another holder.
func acquireLock(dir string, timeout time.Duration) (*fileLock, error) {
	return platformLock(filepath.Join(dir, lockName), timeout)
}

// backoff sleeps a little longer on every call, from 100µs up to 5ms, and reports false once the
// deadline has passed. The waits stay short because the usual holder is another worker of the
// same run updating a sibling environment for a millisecond or two.
type backoff struct {
	deadline time.Time
	wait     time.Duration
}

func newBackoff(timeout time.Duration) *backoff {
	return &backoff{deadline: time.Now().Add(timeout), wait: 100 * time.Microsecond}
}

func (b *backoff) next() bool {
	if time.Now().After(b.deadline) {
		return false
	}
	time.Sleep(b.wait)
	b.wait = min(2*b.wait, 5*time.Millisecond)
	return true
}

// exclLock takes a lock by creating path with O_EXCL. A lock file older than stale is assumed
// to be left by a crashed run and is removed. It is the fallback where flock is unavailable;
// two waiters that both judge a lock stale at the same moment can both proceed, a window of a
// few microseconds after a crash that kept the lock for stale.
func exclLock(path string, timeout, stale time.Duration) (*fileLock, error) {
	b := newBackoff(timeout)
	for {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode)
		if err == nil {
			_, werr := f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
			cerr := f.Close()
			if err := errors.Join(werr, cerr); err != nil {
				_ = os.Remove(path)
				return nil, fmt.Errorf("write lock: %w", fsutil.OpWithoutPath(err))
			}
			return &fileLock{release: func() { _ = os.Remove(path) }}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create lock: %w", fsutil.OpWithoutPath(err))
		}
		if info, err := os.Stat(path); err == nil && time.Since(info.ModTime()) > stale {
			_ = os.Remove(path)
			continue
		}
		if !b.next() {
			return nil, errLockBusy
		}
	}
}
