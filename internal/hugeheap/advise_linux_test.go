package hugeheap

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestAdvise: the advised range is marked for huge pages (VmFlags hg in /proc/self/smaps), and
// memory allocated after advise comes from it. On a kernel without transparent huge pages the
// advice is refused (EINVAL) and advise still returns.
func TestAdvise(t *testing.T) {
	size, err := hugePageSize()
	if errors.Is(err, os.ErrNotExist) {
		if _, err := advise(8<<20, 2<<20); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("advise without transparent huge pages: %v, want EINVAL", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	from, err := advise(64<<20, size)
	if err != nil {
		t.Fatalf("advise: %v", err)
	}
	if from == 0 || from%size != 0 {
		t.Fatalf("advise returned %#x, want a start aligned to %d", from, size)
	}
	if !advised(t, from) {
		t.Errorf("the range at %#x is not advised for huge pages", from)
	}
	// A later allocation reuses the freed memory. It may start in the part below the first
	// huge-page boundary, which is not advised (less than a huge page), so its second huge
	// page is looked at.
	later := make([]byte, 4*size)
	if p := uintptr(unsafe.Pointer(unsafe.SliceData(later))) + size; !advised(t, p) {
		t.Errorf("an allocation after advise, at %#x, is outside the advised memory", p-size)
	}
}

// advised reports whether the mapping holding addr has the huge-page advice (VmFlags hg).
func advised(t *testing.T, addr uintptr) bool {
	t.Helper()
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x ", &lo, &hi); n == 2 {
			in = lo <= addr && addr < hi
			continue
		}
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && in {
			return strings.Contains(" "+flags+" ", " hg ")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no mapping holds %#x", addr)
	return false
}

// TestHugePageSize: the size the kernel reports is a power of two; without transparent huge
// pages the whole sysfs directory is missing, which init takes as "nothing to do".
func TestHugePageSize(t *testing.T) {
	size, err := hugePageSize()
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("hpage_pmd_size is missing but its directory is not (%v)", err)
		}
		return
	}
	if err != nil || size == 0 || size&(size-1) != 0 {
		t.Fatalf("hugePageSize() = %d, %v; want a power of two", size, err)
	}
}
