package isolate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/jsonnet"
)

// The test binary doubles as the worker: started with one of these names as Args[0], TestMain
// runs the worker instead of the tests.
const (
	workerName = "isolate-test-worker"
	// crashName is a worker that crashes with an unrecovered panic once it has a request.
	crashName = "isolate-test-crash"
	// envName is a worker that fails on its first request, printing its environment.
	envName = "isolate-test-env"
)

func TestMain(m *testing.M) {
	switch filepath.Base(os.Args[0]) {
	case workerName:
		if err := Serve(context.Background(), os.Stdin, os.Stdout, nil); err != nil {
			fmt.Fprintf(os.Stderr, "Error: %v\n", err)
			os.Exit(2)
		}
		os.Exit(0)
	case crashName:
		buf := make([]byte, 1)
		_, _ = os.Stdin.Read(buf)
		go func() {
			var m map[string]int
			m["x"]++ //nolint:staticcheck // a nil map write on purpose: an unrecovered runtime panic with a goroutine dump, the crash TestPoolWorkerCrash checks
		}()
		select {}
	case envName:
		buf := make([]byte, 1)
		_, _ = os.Stdin.Read(buf)
		fmt.Fprintf(os.Stderr, "Error: environment [%s]\n", strings.Join(os.Environ(), " "))
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// newTestPool returns a pool of test workers started as name, closed when the test ends.
func newTestPool(t *testing.T, name string, size int, limits Limits) *Pool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := NewPool(Config{Executable: exe, Args: []string{name}, Size: size, Limits: limits, Env: WorkerEnv(os.Environ())})
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// testOptions are the options of an evaluation in testdata/repo's environment ok.
func testOptions(t *testing.T) jsonnet.Options {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	return jsonnet.Options{Root: root, JPath: []string{"environments/ok", "lib"}, MaxStack: 100}
}

// runaway loops (2^60 calls at a depth of 60) without growing memory or the stack.
const runaway = "local f(n) = if n == 0 then 1 else f(n - 1) + f(n - 1); f(60)"

func TestPoolMatchesInProcess(t *testing.T) {
	p := newTestPool(t, workerName, 2, Limits{})
	opts := testOptions(t)
	opts.ExtVars = map[string]string{"who": "world"}
	opts.TLACode = map[string]string{"n": "3"}
	tests := []struct {
		name, file, code string
	}{
		{name: "file with imports", file: "environments/ok/main.jsonnet"},
		{name: "snippet", file: "environments/ok/<eval>", code: "function(n) { hello: std.extVar('who'), n: n, lib: (import 'ok.libsonnet').value }"},
		{name: "syntax error", file: "environments/ok/<eval>", code: "{ a: , }"},
		{name: "syntax error in an import", file: "environments/ok/<eval>", code: "function(n) import 'syntax.libsonnet'"},
		{name: "runtime error with a trace", file: "environments/ok/<eval>", code: "function(n) { x: [(import 'bad.libsonnet').value] }"},
		{name: "stack overflow", file: "environments/ok/<eval>", code: "function(n) local f(x) = f(x + 1) + 1; f(n)"},
		{name: "import not found", file: "environments/ok/<eval>", code: "function(n) import 'missing.libsonnet'"},
		{name: "import outside the root", file: "environments/ok/<eval>", code: "function(n) importstr '/etc/passwd'"},
		{name: "missing file", file: "environments/nope/main.jsonnet"},
		{name: "snippet name outside the root", file: "../x", code: "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, wantErr := jsonnet.InProcess{}.Evaluate(context.Background(), opts, tt.file, tt.code)
			got, gotErr := p.Evaluate(context.Background(), opts, tt.file, tt.code)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("result = %+v, want %+v", got, want)
			}
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("error = %v, want %v", gotErr, wantErr)
			}
			if wantErr == nil {
				return
			}
			if gotErr.Error() != wantErr.Error() {
				t.Errorf("error =\n%s\nwant\n%s", gotErr, wantErr)
			}
			var wantJ, gotJ *jsonnet.Error
			if errors.As(wantErr, &wantJ) != errors.As(gotErr, &gotJ) {
				t.Fatalf("errors.As(*jsonnet.Error) differs: got %T, want %T", gotErr, wantErr)
			}
			if wantJ != nil && !reflect.DeepEqual(gotJ, wantJ) {
				t.Errorf("jsonnet error = %#v, want %#v", gotJ, wantJ)
			}
		})
	}
}

func TestPoolSequentialRequestsOnOneWorker(t *testing.T) {
	p := newTestPool(t, workerName, 1, Limits{EvalTimeout: time.Minute})
	opts := testOptions(t)
	for i := range 20 {
		code := fmt.Sprintf("{ i: %d }", i)
		wantErr := ""
		if i%3 == 1 {
			code = fmt.Sprintf("error 'request %d'", i)
			wantErr = fmt.Sprintf("request %d", i)
		}
		res, err := p.Evaluate(context.Background(), opts, "environments/ok/<eval>", code)
		switch {
		case wantErr != "":
			if err == nil || !strings.Contains(err.Error(), wantErr) {
				t.Fatalf("request %d: error = %v, want %q", i, err, wantErr)
			}
		case err != nil:
			t.Fatalf("request %d: %v", i, err)
		case res.JSON != fmt.Sprintf("{\n   \"i\": %d\n}\n", i):
			t.Fatalf("request %d: JSON = %q", i, res.JSON)
		}
	}
	if n := p.Started(); n != 1 {
		t.Errorf("started %d workers for 20 sequential requests, want 1", n)
	}
}

func TestPoolTimeoutStopsOnlyTheRunaway(t *testing.T) {
	const timeout = 3 * time.Second
	p := newTestPool(t, workerName, 2, Limits{EvalTimeout: timeout})
	opts := testOptions(t)
	var (
		wg           sync.WaitGroup
		runawayErr   error
		runawayTook  time.Duration
		runawayEnded time.Time
		mu           sync.Mutex
		lastOK       time.Time
	)
	start := time.Now()
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, runawayErr = p.Evaluate(context.Background(), opts, "environments/ok/<runaway>", runaway)
		runawayTook = time.Since(start)
		runawayEnded = time.Now()
	}()
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := p.Evaluate(context.Background(), opts, "environments/ok/main.jsonnet", "")
			if err != nil || !strings.Contains(res.JSON, `"ok"`) {
				t.Errorf("evaluation %d beside the runaway: %q, %v", i, res.JSON, err)
			}
			mu.Lock()
			lastOK = time.Now()
			mu.Unlock()
		}()
	}
	wg.Wait()
	var le *LimitError
	if !errors.As(runawayErr, &le) || le.Limit != LimitEvalTimeout {
		t.Fatalf("runaway: error = %v, want a *LimitError for evalTimeout", runawayErr)
	}
	if want := "environments/ok/<runaway>: evaluation stopped after 3s (limits.evalTimeout; --eval-timeout)"; runawayErr.Error() != want {
		t.Errorf("runaway: error = %q, want %q", runawayErr, want)
	}
	if runawayTook < timeout || runawayTook > timeout+5*time.Second {
		t.Errorf("runaway stopped after %s, want about %s", runawayTook, timeout)
	}
	if !lastOK.Before(runawayEnded) {
		t.Errorf("the other evaluations finished after the runaway was stopped")
	}
	// The killed worker is replaced: the pool still evaluates.
	if _, err := p.Evaluate(context.Background(), opts, "environments/ok/main.jsonnet", ""); err != nil {
		t.Fatalf("evaluation after the timeout: %v", err)
	}
}

func TestPoolMaxOutputBytes(t *testing.T) {
	p := newTestPool(t, workerName, 1, Limits{MaxOutputBytes: 1 << 20})
	opts := testOptions(t)
	code := "std.range(1, 300000)"
	want, err := (jsonnet.InProcess{}).Evaluate(context.Background(), opts, "environments/ok/<big>", code)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Evaluate(context.Background(), opts, "environments/ok/<big>", code)
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitMaxOutputBytes {
		t.Fatalf("error = %v, want a *LimitError for maxOutputBytes", err)
	}
	msg := fmt.Sprintf("environments/ok/<big>: evaluation stopped: the output is %d bytes (%.1f MiB), more than the limit of 1 MiB (limits.maxOutputBytes; --max-output-bytes)",
		len(want.JSON), float64(len(want.JSON))/(1<<20))
	if err.Error() != msg || le.Used != int64(len(want.JSON)) {
		t.Errorf("error = %q, want %q", err, msg)
	}
	// The worker is still good for the next evaluation.
	if _, err := p.Evaluate(context.Background(), opts, "environments/ok/<small>", "{ s: 'x' }"); err != nil {
		t.Fatal(err)
	}
	if n := p.Started(); n != 1 {
		t.Errorf("started %d workers, want 1", n)
	}
}

func TestPoolMaxMemory(t *testing.T) {
	p := newTestPool(t, workerName, 1, Limits{MaxMemory: 128 << 20, EvalTimeout: 2 * time.Minute})
	opts := testOptions(t)
	start := time.Now()
	// Doubling a string 40 times asks for a terabyte.
	_, err := p.Evaluate(context.Background(), opts, "environments/ok/<hog>", "std.length(std.foldl(function(s, i) s + s, std.range(1, 40), 'x'))")
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitMaxMemory {
		t.Fatalf("error = %v, want a *LimitError for maxMemory", err)
	}
	if le.Used <= le.Max || le.Max != 128<<20 {
		t.Errorf("used %d, max %d", le.Used, le.Max)
	}
	if !strings.Contains(err.Error(), "more than the limit of 128 MiB (limits.maxMemory; --max-memory)") {
		t.Errorf("error = %q", err)
	}
	if took := time.Since(start); took > time.Minute {
		t.Errorf("stopped after %s", took)
	}
	if _, err := p.Evaluate(context.Background(), opts, "environments/ok/main.jsonnet", ""); err != nil {
		t.Fatalf("evaluation after the memory limit: %v", err)
	}
}

func TestPoolForwardsTrace(t *testing.T) {
	p := newTestPool(t, workerName, 1, Limits{})
	opts := testOptions(t)
	code := "std.trace('first', std.trace('second', 42))"
	var want bytes.Buffer
	opts.TraceOut = &want
	if _, err := (jsonnet.InProcess{}).Evaluate(context.Background(), opts, "environments/ok/<eval>", code); err != nil {
		t.Fatal(err)
	}
	var trace bytes.Buffer
	opts.TraceOut = &trace
	res, err := p.Evaluate(context.Background(), opts, "environments/ok/<eval>", code)
	if err != nil {
		t.Fatal(err)
	}
	if res.JSON != "42\n" {
		t.Errorf("JSON = %q", res.JSON)
	}
	if !strings.Contains(want.String(), "TRACE: environments/ok/<eval>:1 first\n") || trace.String() != want.String() {
		t.Errorf("trace = %q, want %q", trace.String(), want.String())
	}
}

func TestPoolWorkerCrash(t *testing.T) {
	p := newTestPool(t, crashName, 1, Limits{})
	_, err := p.Evaluate(context.Background(), testOptions(t), "environments/ok/main.jsonnet", "")
	var we *WorkerError
	if !errors.As(err, &we) {
		t.Fatalf("error = %v, want a *WorkerError", err)
	}
	want := "environments/ok/main.jsonnet: evaluation worker failed: exit status 2: crashed: assignment to entry in nil map"
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if strings.Contains(err.Error(), "goroutine") {
		t.Errorf("error shows the Go stack: %q", err)
	}
}

func TestPoolWorkerCannotStart(t *testing.T) {
	dir := t.TempDir()
	p := NewPool(Config{Executable: filepath.Join(dir, "missing"), Args: []string{"kforge"}})
	_, err := p.Evaluate(context.Background(), testOptions(t), "environments/ok/main.jsonnet", "")
	var we *WorkerError
	if !errors.As(err, &we) {
		t.Fatalf("error = %v, want a *WorkerError", err)
	}
	if want := "environments/ok/main.jsonnet: evaluation worker failed: start evaluation worker: no such file or directory"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if strings.Contains(err.Error(), dir) {
		t.Errorf("error names an absolute path: %q", err)
	}
}

func TestPoolContextCancel(t *testing.T) {
	p := newTestPool(t, workerName, 1, Limits{})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Evaluate(ctx, testOptions(t), "environments/ok/<runaway>", runaway)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want the context's", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("cancellation took %s", took)
	}
}

func TestPoolIdleWorkersStop(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := NewPool(Config{Executable: exe, Args: []string{workerName}, Size: 1, IdleTimeout: 50 * time.Millisecond})
	defer func() { _ = p.Close() }()
	if _, err := p.Evaluate(context.Background(), testOptions(t), "environments/ok/main.jsonnet", ""); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	if len(p.idle) != 1 {
		p.mu.Unlock()
		t.Fatalf("%d idle workers, want 1", len(p.idle))
	}
	w := p.idle[0]
	p.mu.Unlock()
	select {
	case <-w.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("idle worker still running")
	}
	if w.waitErr != nil {
		t.Errorf("idle worker exited with %v, want a clean exit", w.waitErr)
	}
	// A new evaluation starts a new worker.
	if _, err := p.Evaluate(context.Background(), testOptions(t), "environments/ok/main.jsonnet", ""); err != nil {
		t.Fatal(err)
	}
	if n := p.Started(); n != 2 {
		t.Errorf("started %d workers, want 2", n)
	}
}

func TestPoolClose(t *testing.T) {
	p := newTestPool(t, workerName, 1, Limits{})
	if _, err := p.Evaluate(context.Background(), testOptions(t), "environments/ok/main.jsonnet", ""); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	w := p.idle[0]
	p.mu.Unlock()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("worker still running after Close")
	}
	_, err := p.Evaluate(context.Background(), testOptions(t), "environments/ok/main.jsonnet", "")
	if err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Evaluate after Close: %v", err)
	}
}

func TestWorkerEnvironmentIsMinimal(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	parent := []string{"KFORGE_SECRET_TEST=xyz", "GOGC=200", "HOME=/root", "PATH=/usr/bin", "GOMEMLIMIT=1GiB", "GOGCX=1"}
	tests := []struct {
		name string
		env  []string
		want string
	}{
		{name: "nil is empty, not inherited", env: nil, want: "environment []"},
		{name: "only Go runtime settings", env: WorkerEnv(parent), want: "environment [GOGC=200 GOMEMLIMIT=1GiB]"},
	}
	t.Setenv("KFORGE_SECRET_TEST", "xyz")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPool(Config{Executable: exe, Args: []string{envName}, Env: tt.env})
			defer func() { _ = p.Close() }()
			_, err := p.Evaluate(context.Background(), testOptions(t), "environments/ok/main.jsonnet", "")
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to end with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "xyz") {
				t.Errorf("the worker saw the secret: %v", err)
			}
		})
	}
}

func TestPoolSetDraining(t *testing.T) {
	p := newTestPool(t, workerName, 1, Limits{})
	evaluate := func() {
		t.Helper()
		if _, err := p.Evaluate(context.Background(), testOptions(t), "environments/ok/main.jsonnet", ""); err != nil {
			t.Fatal(err)
		}
	}
	idle := func() []*worker {
		p.mu.Lock()
		defer p.mu.Unlock()
		return slices.Clone(p.idle)
	}
	evaluate()
	kept := idle()
	if len(kept) != 1 {
		t.Fatalf("%d idle workers, want 1", len(kept))
	}
	// Draining stops the idle worker at once.
	p.SetDraining(true)
	select {
	case <-kept[0].exited:
	case <-time.After(30 * time.Second):
		t.Fatal("idle worker still running after SetDraining(true)")
	}
	if kept[0].waitErr != nil {
		t.Errorf("drained worker exited with %v, want a clean exit", kept[0].waitErr)
	}
	// While draining, an evaluation still runs, in a new worker that is not kept.
	evaluate()
	if n, left := p.Started(), len(idle()); n != 2 || left != 0 {
		t.Errorf("while draining: started %d workers (want 2), %d idle (want 0)", n, left)
	}
	// Not draining: the next worker is kept and reused.
	p.SetDraining(false)
	evaluate()
	evaluate()
	if n, left := p.Started(), len(idle()); n != 3 || left != 1 {
		t.Errorf("after draining: started %d workers (want 3), %d idle (want 1)", n, left)
	}
}
