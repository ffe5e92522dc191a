// Package profile writes a CPU profile of the kforge process for `go tool pprof` when
// KFORGE_CPUPROFILE names a file, and a heap profile (allocations, and what was in use at the
// last garbage collection) when KFORGE_MEMPROFILE does (docs/performance.md). Evaluation
// workers are started without them, so the profiles are the main process's.
package profile

import (
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
)

// EnvVar is the environment variable that names the CPU profile file.
const EnvVar = "KFORGE_CPUPROFILE"

// MemEnvVar is the environment variable that names the heap profile file.
const MemEnvVar = "KFORGE_MEMPROFILE"

// Start begins CPU profiling into the file named by EnvVar, when lookupEnv has it, and returns
// the function that stops profiling, writes the heap profile named by MemEnvVar (when set) and
// closes the files (a no-op when neither is set).
func Start(lookupEnv func(string) (string, bool)) (stop func() error, err error) {
	stopCPU, err := startCPU(lookupEnv)
	if err != nil {
		return nil, err
	}
	memPath, _ := lookupEnv(MemEnvVar)
	return func() error {
		err := stopCPU()
		if memPath != "" {
			err = errors.Join(err, writeHeap(memPath))
		}
		return err
	}, nil
}

// writeHeap writes the heap profile to path.
func writeHeap(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: %w", MemEnvVar, err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		_ = f.Close() // the write error is the one to report
		return fmt.Errorf("%s: %w", MemEnvVar, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", MemEnvVar, err)
	}
	return nil
}

// startCPU begins CPU profiling into the file named by EnvVar, when set.
func startCPU(lookupEnv func(string) (string, bool)) (stop func() error, err error) {
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
