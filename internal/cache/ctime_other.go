//go:build unix && !linux

package cache

import "syscall"

// ctimeOf returns 0: the change time is not compared on this platform (its field name differs);
// device, inode, size and modification time still are.
func ctimeOf(*syscall.Stat_t) int64 { return 0 }
