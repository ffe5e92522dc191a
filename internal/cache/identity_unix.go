//go:build unix

package cache

import (
	"os"
	"syscall"
)

// fileIdentity tells two files at one path apart: device and inode (a file replaced by a rename
// has another inode), and the inode's change time, which every write moves and which, unlike
// the modification time, cannot be set back (git's index compares it too).
type fileIdentity struct {
	Dev, Ino uint64
	Ctime    int64
}

// identityOf returns info's identity.
func identityOf(info os.FileInfo) fileIdentity {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileIdentity{}
	}
	//nolint:unconvert // Dev and Ino are narrower or signed on some GOOS/GOARCH
	return fileIdentity{Dev: uint64(st.Dev), Ino: uint64(st.Ino), Ctime: ctimeOf(st)}
}
