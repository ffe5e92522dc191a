package hugeheap

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

func init() {
	if strconv.IntSize < 64 {
		return // Reserve is too much address space to take at start-up.
	}
	enabled, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return
	}
	// Unreadable, the overcommit policy counts as strict.
	overcommit, err := os.ReadFile("/proc/sys/vm/overcommit_memory")
	if err != nil {
		overcommit = []byte("2")
	}
	if !wanted(string(enabled), string(overcommit), os.Getenv("GODEBUG")) {
		return
	}
	size, err := hugePageSize()
	if err != nil {
		return
	}
	// A failed advice only leaves the heap as it was.
	_, _ = advise(Reserve, size)
}

// hugePageSize returns the size of a transparent huge page.
func hugePageSize() (uintptr, error) {
	data, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	if err != nil || n == 0 || n&(n-1) != 0 {
		return 0, syscall.EINVAL
	}
	return uintptr(n), nil
}

// advise allocates size bytes of heap, advises the kernel to back the huge pages inside them
// with huge pages, and frees them again with a collection, so that the allocations after it
// reuse that memory. It returns the advised range's start address (0 when the range holds no
// whole huge page).
func advise(size int, hugePage uintptr) (uintptr, error) {
	region := make([]byte, size)
	start := uintptr(unsafe.Pointer(unsafe.SliceData(region)))
	from := (start + hugePage - 1) &^ (hugePage - 1)
	to := (start + uintptr(size)) &^ (hugePage - 1)
	var err error
	if from < to {
		err = syscall.Madvise(region[from-start:to-start], syscall.MADV_HUGEPAGE)
	} else {
		from = 0
	}
	// region is dead from here on: the collection frees it.
	runtime.GC()
	return from, err
}
