package gctune

import (
	"runtime/debug"
	"testing"
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
