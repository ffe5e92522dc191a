// Command compat runs the same commands with Grafana Tanka's tk and with kforge on real Tanka
// repositories and prints, as a Markdown table, whether their outputs are identical byte for byte.
//
// The inputs are directories prepared by hack/compat/compare.sh: a working copy of grafana/tanka
// (its examples/ and the Tanka repositories under its pkg/*/testdata) and kube-prometheus
// assembled as a Tanka repository by hack/realworld/assemble.sh. For every case both tools run in
// the same directory with the same arguments (tk's spelling, or kforge's name for the same
// command, e.g. `render` for `show`); the result compares exit status, stdout (or, for export, the
// whole written file tree, manifest.json included) and stderr. The only normalisation is the
// documented number formatting (tk prints integers of 1e6 and more as `1e+06`, kforge as
// `1000000`): a case identical only after rewriting tk's exponent numbers is reported on its own.
// A command or flag kforge does not have is reported as "missing in kforge".
//
// Usage:
//
//	go run ./hack/compat -tk TK -kforge KFORGE -tanka DIR -kp DIR -work DIR [-parallel N]
//	go run ./hack/compat -check-sums ROOT
//
// -check-sums says, for each dependency of ROOT/jsonnetfile.lock.json, whether ROOT/vendor holds
// exactly the pinned content (jsonnet-bundler's checksum).
// The table goes to stdout; each case's outputs, stderr and a diff go under WORK/cases/<n>/.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command line of compat.
type options struct {
	// tk and kforge are the two binaries compared.
	tk, kforge string
	// tanka is a working copy of grafana/tanka; kp is the assembled kube-prometheus repository.
	tanka, kp string
	// work is where cases write their outputs and details.
	work string
	// parallel is how many cases run at once.
	parallel int
	// timeout bounds each command.
	timeout time.Duration
	// only, when set, runs the cases whose group or command contains it.
	only string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.tk, "tk", "", "tk binary")
	fs.StringVar(&o.kforge, "kforge", "", "kforge binary")
	fs.StringVar(&o.tanka, "tanka", "", "working copy of grafana/tanka (empty: skip its cases)")
	fs.StringVar(&o.kp, "kp", "", "kube-prometheus assembled by hack/realworld/assemble.sh (empty: skip)")
	fs.StringVar(&o.work, "work", "", "directory for outputs and details (must not exist or be empty)")
	fs.IntVar(&o.parallel, "parallel", runtime.NumCPU(), "cases run at once")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "limit for one command")
	fs.StringVar(&o.only, "only", "", "run only cases whose input or command contains this text")
	sums := fs.String("check-sums", "", "only check that ROOT/vendor matches ROOT/jsonnetfile.lock.json's sums (exit 1 when not)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *sums != "" {
		bad, err := checkSums(stdout, *sums)
		if err != nil {
			failf(stderr, "compat: %v\n", err)
			return 2
		}
		if bad > 0 {
			return 1
		}
		return 0
	}
	if o.tk == "" || o.kforge == "" || o.work == "" || (o.tanka == "" && o.kp == "") {
		failf(stderr, "compat: -tk, -kforge, -work and at least one of -tanka, -kp are required\n")
		return 2
	}
	for _, p := range []*string{&o.tk, &o.kforge, &o.tanka, &o.kp, &o.work} {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			failf(stderr, "compat: %v\n", err)
			return 2
		}
		*p = abs
	}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		failf(stderr, "compat: %v\n", err)
		return 2
	}
	cases, err := buildCases(o)
	if err != nil {
		failf(stderr, "compat: %v\n", err)
		return 2
	}
	results := runCases(ctx, o, cases, stderr)
	if err := writeTable(stdout, o, results); err != nil {
		failf(stderr, "compat: write the table: %v\n", err)
		return 2
	}
	return 0
}

// failf reports a failure on stderr; when stderr itself cannot be written there is nobody left
// to tell, and the exit code still says it.
func failf(stderr io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(stderr, format, args...)
}
