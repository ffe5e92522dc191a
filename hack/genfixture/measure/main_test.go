//go:build linux

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// busy is a shell loop that burns about a tenth of a second of CPU or more.
const busy = `i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done`

func TestMeasure(t *testing.T) {
	tests := []struct {
		name    string
		argv    []string
		code    int
		minUser time.Duration
	}{
		{"exit code", []string{"sh", "-c", "exit 3"}, 3, 0},
		{"own work", []string{"sh", "-c", busy}, 0, 50 * time.Millisecond},
		// The command exits at once and leaves an orphan doing the work: it must still count.
		{"orphaned descendant", []string{"sh", "-c", "sh -c '" + busy + "' >/dev/null 2>&1 & exit 0"}, 0, 50 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			r, err := measure(tt.argv, nil, &stdout, &stderr)
			if err != nil {
				t.Fatal(err)
			}
			if r.exitCode != tt.code {
				t.Errorf("exit code %d, want %d", r.exitCode, tt.code)
			}
			if r.user+r.sys < tt.minUser {
				t.Errorf("CPU %v + %v, want at least %v", r.user, r.sys, tt.minUser)
			}
			if r.maxSingleKiB <= 0 || r.peakTreeKiB < r.maxSingleKiB {
				t.Errorf("memory: peak of the tree %d KiB, largest process %d KiB", r.peakTreeKiB, r.maxSingleKiB)
			}
			// Shared pages are divided among the processes that map them, so the summed
			// proportional set size never exceeds the summed resident memory.
			if tt.minUser > 0 && (r.peakTreePssKiB <= 0 || r.peakTreePssKiB > r.peakTreeKiB) {
				t.Errorf("memory: peak PSS of the tree %d KiB, peak RSS %d KiB", r.peakTreePssKiB, r.peakTreeKiB)
			}
			if r.wall <= 0 {
				t.Errorf("wall %v", r.wall)
			}
		})
	}
}

func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "figures")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"figures", []string{"-o", out, "--", "sh", "-c", "echo hi; exit 4"}, 4, ""},
		{"no command", []string{"-o", out}, 125, "usage: measure"},
		{"no file", []string{"--", "true"}, 125, "usage: measure"},
		{"missing command", []string{"-o", out, "--", "/nonexistent/cmd"}, 125, "start /nonexistent/cmd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, nil, &stdout, &stderr); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderr)
			}
		})
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(data))
	if len(f) != 6 {
		t.Fatalf("figures %q: want 6 fields", data)
	}
	for _, s := range f {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			t.Errorf("figure %q is not a number", s)
		}
	}
}

func TestProcPss(t *testing.T) {
	if kib := procPss(os.Getpid()); kib <= 0 {
		t.Errorf("procPss(self) = %d KiB", kib)
	}
	if kib := procPss(-1); kib != 0 {
		t.Errorf("procPss(-1) = %d KiB, want 0", kib)
	}
}

func TestProcStat(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
		ppid    int
		pages   int64
		ok      bool
	}{
		{"plain", "42 (kforge) S 7 42 42 0 -1 4194560 100 0 0 0 10 2 0 0 20 0 5 0 100 1000000 250 18446744073709551615", 7, 250, true},
		{"name with spaces and parentheses", "42 (a) b (c) R 9 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 1000 12 0", 9, 12, true},
		{"truncated", "42 (x) S 1 2 3", 0, 0, false},
		{"no name", "garbage", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			if err := os.WriteFile(file, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			ppid, pages, ok := procStat(file)
			if ppid != tt.ppid || pages != tt.pages || ok != tt.ok {
				t.Errorf("procStat = %d, %d, %v; want %d, %d, %v", ppid, pages, ok, tt.ppid, tt.pages, tt.ok)
			}
		})
	}
}
