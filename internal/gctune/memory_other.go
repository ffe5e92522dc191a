//go:build !linux

package gctune

// TotalMemory returns 0: the machine's memory is not read on this platform, so Apply uses
// MaxLimit.
func TotalMemory() uint64 { return 0 }
