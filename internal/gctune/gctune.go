// Package gctune sets kforge's garbage-collector defaults. Rendering allocates many short-lived
// objects; a higher GC percent trades memory for CPU (docs/performance.md has the figures), and a
// soft memory limit keeps that trade from exhausting the machine.
package gctune

import (
	"runtime/debug"
)

const (
	// Percent is the GC percent kforge uses unless GOGC is set.
	Percent = 400
	// MaxLimit caps the soft memory limit kforge sets unless GOMEMLIMIT is set.
	MaxLimit = 4 << 30
)

// Settings are what Apply did.
type Settings struct {
	// Percent is the GC percent set, or -1 when GOGC was left in charge.
	Percent int
	// Limit is the soft memory limit set in bytes, or -1 when GOMEMLIMIT was left in charge.
	Limit int64
}

// Apply sets the GC percent and a soft memory limit (half the machine's memory, at most
// MaxLimit), each only when the user did not choose one with GOGC or GOMEMLIMIT. totalMemory is
// the machine's memory in bytes (0 when unknown).
func Apply(lookupEnv func(string) (string, bool), totalMemory uint64) Settings {
	s := Settings{Percent: -1, Limit: -1}
	if _, set := lookupEnv("GOGC"); !set {
		debug.SetGCPercent(Percent)
		s.Percent = Percent
	}
	if _, set := lookupEnv("GOMEMLIMIT"); !set {
		s.Limit = limitFor(totalMemory)
		debug.SetMemoryLimit(s.Limit)
	}
	return s
}

// limitFor is half of totalMemory, capped at MaxLimit; MaxLimit when the memory is unknown.
func limitFor(totalMemory uint64) int64 {
	if totalMemory == 0 || totalMemory/2 > MaxLimit {
		return MaxLimit
	}
	return int64(totalMemory / 2)
}
