//go:build !linux

package golden

import "os"

// syncTree makes the files and directories just written below root durable: each one is
// fsynced (Linux syncs the whole file system once instead, see sync_linux.go).
func syncTree(root *os.Root, paths, dirs []string) error {
	return syncEach(root, paths, dirs)
}
