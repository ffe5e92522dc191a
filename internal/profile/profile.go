// Package profile writes a CPU profile of the kforge process for `go tool pprof`, when
// KFORGE_CPUPROFILE names a file (docs/performance.md). Evaluation workers are started without
// it, so the profile is the main process's.
package profile

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// EnvVar is the environment variable that names the profile file.
const EnvVar = "KFORGE_CPUPROFILE"

// Start begins CPU profiling into the file named by EnvVar, when lookupEnv has it, and returns
// the function that stops profiling and closes the file (a no-op otherwise).
func Start(lookupEnv func(string) (string, bool)) (stop func() error, err error) {
	path, ok := lookupEnv(EnvVar)
	if !ok || path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvVar, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close() // nothing was written; the profiling error is the one to report
		return nil, fmt.Errorf("%s: %w", EnvVar, err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
