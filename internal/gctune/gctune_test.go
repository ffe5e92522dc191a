package gctune

import (
	"context"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestApply(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	tests := []struct {
		name      string
		vars      map[string]string
		total     uint64
		wantPct   int
		wantLimit int64
	}{
		{name: "defaults", total: 2 << 30, wantPct: Percent, wantLimit: 1 << 30},
		{name: "large machine is capped", total: 64 << 30, wantPct: Percent, wantLimit: MaxLimit},
		{name: "unknown memory", total: 0, wantPct: Percent, wantLimit: MaxLimit},
		{name: "GOGC wins", vars: map[string]string{"GOGC": "50"}, total: 2 << 30, wantPct: -1, wantLimit: 1 << 30},
		{name: "GOMEMLIMIT wins", vars: map[string]string{"GOMEMLIMIT": "1GiB"}, total: 2 << 30, wantPct: Percent, wantLimit: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Apply(env(tt.vars), tt.total)
			if got.Percent != tt.wantPct || got.Limit != tt.wantLimit {
				t.Fatalf("Apply = %+v, want percent %d limit %d", got, tt.wantPct, tt.wantLimit)
			}
			if tt.wantPct > 0 {
				if cur := debug.SetGCPercent(tt.wantPct); cur != tt.wantPct {
					t.Fatalf("GC percent is %d, want %d", cur, tt.wantPct)
				}
			}
		})
	}
}

func TestTotalMemory(t *testing.T) {
	// On Linux the machine's memory is known; elsewhere 0 means unknown.
	if m := TotalMemory(); m != 0 && m < 64<<20 {
		t.Fatalf("TotalMemory = %d bytes, implausibly small", m)
	}
}

func TestPercentFor(t *testing.T) {
	tests := []struct {
		name         string
		live, budget uint64
		want         int
	}{
		{"unknown", 0, DefaultBudget, Percent},
		{"small heap: Percent", 1 << 20, DefaultBudget, Percent},
		{"small budget: the runtime's minimum heap stays within it", 1 << 20, 8 << 20, 200},
		{"grows to the budget", 64 << 20, 256 << 20, 300},
		{"small heap grows by Percent, not to the budget", 32 << 20, 256 << 20, Percent},
		{"half the budget", 128 << 20, 256 << 20, 100},
		{"live near the budget grows by half", 200 << 20, 256 << 20, MinPercent},
		{"live above the budget grows by half", 1 << 30, 256 << 20, MinPercent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PercentFor(tt.live, tt.budget); got != tt.want {
				t.Errorf("PercentFor(%d MiB, %d MiB) = %d, want %d", tt.live>>20, tt.budget>>20, got, tt.want)
			}
		})
	}
}

func TestTracker(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(Percent))
	ctx, cancel := context.WithCancel(context.Background())
	tr := NewTracker(512 << 20)
	done := make(chan struct{})
	go func() { tr.Run(ctx); close(done) }()
	keep := make([][]byte, 0, 300)
	for range 300 { // about 300 MiB live
		keep = append(keep, make([]byte, 1<<20))
	}
	runtime.GC()
	gogc := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	waitFor := func(cond func(uint64) bool) uint64 {
		deadline := time.Now().Add(5 * time.Second)
		for {
			metrics.Read(gogc)
			if v := gogc[0].Value.Uint64(); cond(v) || time.Now().After(deadline) {
				return v
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// 512 MiB budget, 300 MiB live: the heap may grow to the budget (about 70%).
	if p := waitFor(func(v uint64) bool { return v > MinPercent && v < 100 }); p <= MinPercent || p >= 100 {
		t.Fatalf("GC percent with 300 MiB live and a 512 MiB budget is %d, want between %d and 100", p, MinPercent)
	}
	// A smaller budget applies at once: the heap grows by half its live size.
	tr.SetBudget(128 << 20)
	if p := waitFor(func(v uint64) bool { return v == MinPercent }); p != MinPercent {
		t.Fatalf("GC percent after lowering the budget is %d, want %d", p, MinPercent)
	}
	runtime.KeepAlive(keep)
	cancel()
	<-done
	var nilTracker *Tracker
	nilTracker.SetBudget(1) // a nil Tracker does nothing
}
