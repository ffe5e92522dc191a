//go:build linux

// Command measure runs a command and reports what it cost, counting every process it started,
// also those it leaves behind when it exits (kforge's evaluation workers are closed but not
// waited for, so GNU time, which sees only the processes the command itself reaped, misses
// them):
//
//	measure -o FILE -- CMD [ARG...]
//
// FILE receives one line: wall seconds (until CMD exits, to the millisecond), user and system
// CPU seconds of CMD and all its descendants, the peak of their summed resident memory in KiB
// (sampled every 10 ms), the largest resident memory of any single one of them in KiB (from the
// kernel), and the peak of their summed proportional set size in KiB (smaps_rollup, sampled
// with the resident memory: a page several of them map, such as the kforge executable's text
// in a parent and its workers, is counted once in all instead of once per process). measure
// exits with CMD's exit code. It becomes a child subreaper, so orphaned descendants are
// re-parented to it and their CPU time reaches its own rusage when it reaps them.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER from <linux/prctl.h>.
const prSetChildSubreaper = 36

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run measures the command in args and returns its exit code (125 when measure itself fails).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("measure", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("o", "", "file to write the figures to")
	if err := fl.Parse(args); err != nil {
		return 125
	}
	if *out == "" || fl.NArg() == 0 {
		_, _ = fmt.Fprintln(stderr, "usage: measure -o FILE -- CMD [ARG...]")
		return 125
	}
	r, err := measure(fl.Args(), stdin, stdout, stderr)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "measure: %v\n", err)
		return 125
	}
	line := fmt.Sprintf("%.3f %.3f %.3f %d %d %d\n", r.wall.Seconds(), r.user.Seconds(), r.sys.Seconds(), r.peakTreeKiB, r.maxSingleKiB, r.peakTreePssKiB)
	if err := os.WriteFile(*out, []byte(line), 0o644); err != nil {
		_, _ = fmt.Fprintf(stderr, "measure: %v\n", err)
		return 125
	}
	return r.exitCode
}

// result is what one command cost.
type result struct {
	wall, user, sys           time.Duration
	peakTreeKiB, maxSingleKiB int64
	// peakTreePssKiB is the peak of the summed proportional set size: pages shared by several
	// processes of the tree (the same executable mapped by a parent and its workers) are
	// divided among them instead of counted once per process.
	peakTreePssKiB int64
	exitCode       int
}

// measure runs argv with the given streams and collects its figures.
func measure(argv []string, stdin io.Reader, stdout, stderr io.Writer) (result, error) {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return result{}, fmt.Errorf("become a child subreaper: %w", errno)
	}
	// RUSAGE_CHILDREN accumulates over the life of this process: count only what this command adds.
	var before syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &before); err != nil {
		return result{}, fmt.Errorf("read resource usage: %w", err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return result{}, fmt.Errorf("start %s: %w", argv[0], err)
	}
	ctx, stop := context.WithCancel(context.Background())
	peak := make(chan peaks)
	go func() { peak <- samplePeak(ctx, os.Getpid()) }()

	err := cmd.Wait()
	wall := time.Since(start)
	var res result
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.exitCode = exit.ExitCode()
		if res.exitCode < 0 {
			res.exitCode = 128 + int(exit.Sys().(syscall.WaitStatus).Signal())
		}
	default:
		stop()
		<-peak
		return result{}, fmt.Errorf("run %s: %w", argv[0], err)
	}
	// Reap whatever the command left behind, so that its CPU time is counted.
	for {
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(-1, &ws, 0, nil); err != nil {
			if errors.Is(err, syscall.EINTR) {
				continue
			}
			break // ECHILD: nothing left
		}
	}
	stop()
	p := <-peak
	res.peakTreeKiB, res.peakTreePssKiB = p.rssKiB, p.pssKiB
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return result{}, fmt.Errorf("read resource usage: %w", err)
	}
	res.wall = wall
	res.user = time.Duration(ru.Utime.Nano() - before.Utime.Nano())
	res.sys = time.Duration(ru.Stime.Nano() - before.Stime.Nano())
	res.maxSingleKiB = ru.Maxrss // KiB on Linux
	res.peakTreeKiB = max(res.peakTreeKiB, res.maxSingleKiB)
	return res, nil
}

// peaks are the largest sums of resident memory and of proportional set size seen, in KiB.
type peaks struct {
	rssKiB, pssKiB int64
}

// samplePeak samples the summed resident memory and proportional set size of root's
// descendants every 10 ms until ctx ends and returns the largest sums seen.
func samplePeak(ctx context.Context, root int) peaks {
	page := int64(os.Getpagesize()) / 1024
	var peak peaks
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		rss, pss := treeMemory(root)
		peak.rssKiB = max(peak.rssKiB, rss*page)
		peak.pssKiB = max(peak.pssKiB, pss)
		select {
		case <-ctx.Done():
			return peak
		case <-tick.C:
		}
	}
}

// treeMemory returns the resident pages and the proportional set size in KiB
// (/proc/PID/smaps_rollup) of every descendant of root.
func treeMemory(root int) (rssPages, pssKiB int64) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, 0
	}
	parent := map[int]int{}
	rss := map[int]int64{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, pages, ok := procStat(filepath.Join("/proc", e.Name(), "stat"))
		if ok {
			parent[pid], rss[pid] = ppid, pages
		}
	}
	for pid, pages := range rss {
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == root {
				rssPages += pages
				pssKiB += procPss(pid)
				break
			}
		}
	}
	return rssPages, pssKiB
}

// procPss reads the proportional set size of pid in KiB from /proc/PID/smaps_rollup (0 when
// the process is gone or the kernel lacks the file).
func procPss(pid int) int64 {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "smaps_rollup"))
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(data) {
		rest, ok := bytes.CutPrefix(line, []byte("Pss:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		kib, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0
		}
		return kib
	}
	return 0
}

// procStat reads the parent pid and resident pages from a /proc/PID/stat file.
func procStat(file string) (ppid int, pages int64, ok bool) {
	data, err := os.ReadFile(file)
	if err != nil {
		return 0, 0, false
	}
	// The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := bytes.Fields(data[i+1:])
	// f[0] is field 3 (state), f[1] field 4 (ppid), f[21] field 24 (rss in pages).
	if len(f) < 22 {
		return 0, 0, false
	}
	ppid, err1 := strconv.Atoi(string(f[1]))
	pages, err2 := strconv.ParseInt(string(f[21]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return ppid, pages, true
}
