// Package hugeheap backs kforge's Go heap with transparent huge pages where the kernel gives
// them only to memory that asks for them (Linux's THP mode "madvise", the default of many
// distributions). Importing it is enough: its init, which runs before most of kforge's
// dependencies initialise, does the work.
//
// The Go runtime does not ask for huge pages for its heap, so in "madvise" mode every 4 KiB page
// of it costs a page fault when first touched. Rendering builds a large heap quickly: a cold
// kube-prometheus render page-faulted about 37,000 times, a third of its CPU time on a
// virtual machine, and missed the TLB more. init therefore allocates Reserve bytes as one
// object (the runtime maps fresh memory for it without touching it), advises the kernel to
// back that range with huge pages (madvise MADV_HUGEPAGE), and frees it with a collection;
// the allocations after it reuse that memory, now faulted 2 MiB at a time. The same render
// then page-faults about 3,700 times and takes half as long (docs/performance.md).
//
// Nothing is done when the kernel already backs all memory with huge pages (mode "always"),
// never does (mode "never", or no THP support), when it does not overcommit memory
// (vm.overcommit_memory 2, where the untouched 256 MiB would be charged and could make start-up
// fail on a small machine), on 32-bit systems, or when GODEBUG has disablethp=1, Go's own switch
// for turning huge pages off for the heap. The advice changes
// only how memory is backed, never what a program computes; memory that was advised but not
// used is address space only.
package hugeheap

import (
	"strings"
)

// Reserve is the heap range advised at start-up: an evaluation worker's heap on the largest
// real-world workload measured (kube-prometheus) stays below it; whatever the heap grows beyond
// it is backed with small pages as before.
const Reserve = 256 << 20

// wanted reports whether the heap should be advised, given the content of
// /sys/kernel/mm/transparent_hugepage/enabled (whose selected mode is in brackets), that of
// /proc/sys/vm/overcommit_memory and the GODEBUG variable.
func wanted(enabled, overcommit, godebug string) bool {
	for _, setting := range strings.Split(godebug, ",") {
		if strings.TrimSpace(setting) == "disablethp=1" {
			return false
		}
	}
	return strings.Contains(enabled, "[madvise]") && strings.TrimSpace(overcommit) != "2"
}
