//go:build linux

package golden

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange atomically swaps the directory entries a and b with renameat2(RENAME_EXCHANGE). It
// returns errNoExchange where the kernel or file system does not support that.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP) {
		return errNoExchange
	}
	return err
}
