package gctune

import (
	"os"
	"runtime/debug"
)

// init sets the GC percent (Percent, unless GOGC is set) while packages initialise, before main
// calls Apply: kforge's dependencies allocate about 7 MB in their own init functions (Helm's
// JSON-schema meta-schemas, Kubernetes API schemes, metric registries), which at the runtime's
// default of 100 cost two collections, about 7 ms of CPU, in every process, a warm run's or
// `kforge version`'s included. Packages initialise in import-path order as their dependencies
// allow, and gctune, which needs only the standard library, comes before those dependencies
// (GODEBUG=inittrace=1 shows the order). Apply sets the same percent again, and the memory limit.
func init() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(Percent)
	}
}
