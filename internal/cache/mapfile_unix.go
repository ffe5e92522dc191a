//go:build unix

package cache

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-only into memory. The mapping outlives f and is
// never unmapped: see memoMaps.
func mapFile(f *os.File, size int) ([]byte, error) {
	return syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
}
