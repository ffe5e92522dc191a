//go:build !unix

package pipeline_test

import "time"

// processCPU reports that the CPU time of the process is not measured on this platform.
func processCPU() (time.Duration, bool) { return 0, false }
