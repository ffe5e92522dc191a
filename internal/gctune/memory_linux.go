package gctune

import "syscall"

// TotalMemory returns the machine's physical memory in bytes, or 0 when it cannot be read.
func TotalMemory() uint64 {
	var info syscall.Sysinfo_t
	if err := syscall.Sysinfo(&info); err != nil {
		return 0
	}
	return uint64(info.Totalram) * uint64(info.Unit) //nolint:unconvert // Totalram is 32-bit on 32-bit Linux
}
