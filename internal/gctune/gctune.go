// Package gctune sets kforge's garbage-collector defaults. Rendering allocates many short-lived
// objects, and how much memory the collector may leave unreclaimed trades memory for CPU
// (docs/performance.md has the figures). Rather than a fixed high GC percent, which multiplies
// whatever an evaluation keeps alive, a [Tracker] sets the GC percent after each collection from
// the live heap it measured: the heap may grow to a budget (the memory one evaluation is given)
// before the next collection, so a small evaluation is collected rarely and cheaply, and a large
// one, whose live heap approaches the budget, may still grow by half its live size. A soft memory
// limit keeps the trade from exhausting the machine.
package gctune

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"time"
)

const (
	// Percent is the GC percent kforge starts with unless GOGC is set; a Tracker replaces it
	// after the first collection.
	Percent = 400
	// DefaultBudget is the heap a Tracker lets a process grow to between collections unless
	// told otherwise: the memory of one evaluation. Evaluation workers get it with each request
	// (isolate.Pool). 96 MiB since kforge's own evaluator (internal/jsonnet/interp) took over
	// from go-jsonnet, whose kube-prometheus evaluation kept about 150 MB alive (192 MiB was
	// its budget): on kube-prometheus the peak of all processes fell from 257-277 MiB to
	// 250-251 MiB at the same speed (48, 64, 96, 128, 160 and 192 MiB measured in alternating
	// rounds; below 96 only CPU rises), and the 40 x 50 fixture's peak from 492-571 MiB to
	// 479-490 MiB for about 5% more CPU (docs/performance.md).
	DefaultBudget = 96 << 20
	// MinPercent is the lowest GC percent a Tracker sets: a heap whose live part approaches
	// the budget may still grow by half its live size before it is collected.
	MinPercent = 50
	// MaxLimit caps the soft memory limit kforge sets unless GOMEMLIMIT is set.
	MaxLimit = 4 << 30
	// trackInterval is how often a Tracker looks for a finished collection.
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

// PercentFor is the GC percent that lets a heap of live bytes grow to budget bytes before the
// next collection, or by half of live when that is more, within [MinPercent, Percent]: a small
// heap is collected at Percent, as before, and never made to grow to the whole budget. The
// runtime's minimum heap (4 MiB scaled by the GC percent) must not exceed the budget either, so
// a nearly empty heap gets at most budget / 4 MiB * 100.
func PercentFor(live, budget uint64) int {
	if live == 0 {
		return Percent
	}
	goal := max(budget, live+live/2)
	ceiling := min(Percent, max(MinPercent, budget*100/runtimeHeapMinimum))
	return int(max(MinPercent, min(ceiling, (goal-live)*100/live)))
}

// runtimeHeapMinimum is the Go runtime's minimum heap goal at GC percent 100.
const runtimeHeapMinimum = 4 << 20

// Tracker sets the GC percent from the live heap measured at the end of each collection
// (PercentFor) and a budget that can change while it runs. Its methods are safe for concurrent
// use; a nil *Tracker does nothing.
type Tracker struct {
	budget atomic.Int64
	// changed wakes Run when the budget changes.
	changed chan struct{}
}

// NewTracker returns a Tracker with budget bytes (DefaultBudget when budget <= 0). Run it only
// when Apply set the GC percent.
func NewTracker(budget int64) *Tracker {
	t := &Tracker{changed: make(chan struct{}, 1)}
	t.SetBudget(budget)
	return t
}

// SetBudget sets the heap the process may grow to between collections (DefaultBudget when
// budget <= 0); it applies at once.
func (t *Tracker) SetBudget(budget int64) {
	if t == nil {
		return
	}
	if budget <= 0 {
		budget = DefaultBudget
	}
	if t.budget.Swap(budget) != budget {
		select {
		case t.changed <- struct{}{}:
		default:
		}
	}
}

// Run tracks collections until ctx ends.
func (t *Tracker) Run(ctx context.Context) {
	samples := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/live:bytes"}}
	tick := time.NewTicker(trackInterval)
	defer tick.Stop()
	var cycles uint64
	current := -1
	for {
		changed := false
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-t.changed:
			changed = true
		}
		metrics.Read(samples)
		if samples[0].Value.Kind() != metrics.KindUint64 || samples[1].Value.Kind() != metrics.KindUint64 {
			return // not measured by this Go runtime
		}
		c := samples[0].Value.Uint64()
		if c == cycles && !changed {
			continue
		}
		cycles = c
		if c == 0 {
			continue // nothing measured yet: Percent stays
		}
		if p := PercentFor(samples[1].Value.Uint64(), uint64(t.budget.Load())); p != current {
			debug.SetGCPercent(p)
			current = p
		}
	}
}
