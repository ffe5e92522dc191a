// Package gctune sets kforge's garbage-collector defaults. Rendering allocates many short-lived
// objects, and how much memory the collector may leave unreclaimed trades memory for CPU
// (docs/performance.md has the figures). Rather than a fixed high GC percent, which multiplies
// whatever an evaluation keeps alive, kforge gives the heap a headroom that follows the
// measured live heap: at least MinHeadroom, so small evaluations are collected rarely, and half
// the live heap above that, so a large evaluation's heap stays within 1.5 times what it needs.
// A soft memory limit keeps the trade from exhausting the machine.
package gctune

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

const (
	// Percent is the GC percent kforge starts with unless GOGC is set: the heap may grow to
	// Percent/100 times the live heap before a collection. Track then keeps the headroom at
	// MinHeadroom or half the live heap, whichever is larger.
	Percent = 400
	// MinHeadroom is the least memory Track lets the heap grow by between collections.
	MinHeadroom = 64 << 20
	// MinPercent is the lowest GC percent Track sets: a heap may always grow by half its live
	// size before it is collected.
	MinPercent = 50
	// MaxLimit caps the soft memory limit kforge sets unless GOMEMLIMIT is set.
	MaxLimit = 4 << 30
	// trackInterval is how often Track looks for a finished collection.
	trackInterval = 5 * time.Millisecond
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
// the machine's memory in bytes (0 when unknown). When it set the GC percent, the process
// should run Track for as long as it allocates.
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

// PercentFor is the GC percent that gives a live heap of live bytes its headroom: MinHeadroom
// or half of live, whichever is larger, as a percentage of live, never below MinPercent nor
// above Percent.
func PercentFor(live uint64) int {
	if live == 0 {
		return Percent
	}
	headroom := max(uint64(MinHeadroom), live/2)
	return int(max(MinPercent, min(Percent, headroom*100/live)))
}

// Track sets the GC percent from the live heap measured at the end of each collection
// (PercentFor) until ctx ends. Run it in its own goroutine, and only when Apply set the GC
// percent.
func Track(ctx context.Context) {
	samples := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/live:bytes"}}
	tick := time.NewTicker(trackInterval)
	defer tick.Stop()
	var cycles uint64
	current := Percent
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		metrics.Read(samples)
		if samples[0].Value.Kind() != metrics.KindUint64 || samples[1].Value.Kind() != metrics.KindUint64 {
			return // not measured by this Go runtime
		}
		if c := samples[0].Value.Uint64(); c == cycles {
			continue
		} else {
			cycles = c
		}
		if p := PercentFor(samples[1].Value.Uint64()); p != current {
			debug.SetGCPercent(p)
			current = p
		}
	}
}
