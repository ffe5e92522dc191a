package isolate

import "syscall"

// sysProcAttr makes the kernel kill a worker when the thread that started it (kept alive until
// the worker exits) goes away, that is when kforge dies, so no runaway evaluation outlives it.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
