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
		name string
		live uint64
		want int
	}{
		{"unknown", 0, Percent},
		{"small heap gets the highest percent", 1 << 20, Percent},
		{"minimum headroom", 32 << 20, 200},
		{"minimum headroom is a quarter", 256 << 20, 50},
		{"large heap grows by half", 1 << 30, MinPercent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PercentFor(tt.live); got != tt.want {
				t.Errorf("PercentFor(%d MiB) = %d, want %d", tt.live>>20, got, tt.want)
			}
		})
	}
}

func TestTrack(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(Percent))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Track(ctx); close(done) }()
	keep := make([][]byte, 0, 300)
	for range 300 { // 300 MiB live: Track must lower the percent to MinPercent
		keep = append(keep, make([]byte, 1<<20))
	}
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	gogc := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	for {
		metrics.Read(gogc)
		if gogc[0].Value.Uint64() == MinPercent || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(keep)
	cancel()
	<-done
	if p := gogc[0].Value.Uint64(); p != MinPercent {
		t.Fatalf("GC percent with 300 MiB live is %d, want %d", p, MinPercent)
	}
}
