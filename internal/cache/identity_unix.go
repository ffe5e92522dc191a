//go:build unix

package cache

import (
	"os"
	"syscall"
)

// fileIdentity tells two files at one path apart: device and inode (a file replaced by a rename
// has another inode).
type fileIdentity struct {
	dev, ino uint64
}

// identityOf returns info's identity.
func identityOf(info os.FileInfo) fileIdentity {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileIdentity{}
	}
	return fileIdentity{dev: uint64(st.Dev), ino: uint64(st.Ino)} //nolint:unconvert // Dev and Ino are narrower or signed on some GOOS/GOARCH
}
