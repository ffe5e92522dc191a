//go:build !linux

package isolate

import "syscall"

// sysProcAttr has nothing to add outside Linux: a worker whose parent died ends when its
// standard input does, once its current evaluation is over.
func sysProcAttr() *syscall.SysProcAttr { return nil }
