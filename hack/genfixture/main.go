// Command genfixture writes a benchmark repository in Grafana Tanka's layout: a vendored
// Kubernetes library generated in the style of k8s-libsonnet (about 0.7 MB of withX mixins), a
// shared lib/ whose app abstraction formats names with % and std.format, and N environments of M
// services each with per-environment overrides. The output depends only on the flags, so two runs
// with the same flags write the same bytes. Nothing in it is specific to kforge, so Tanka renders
// it as well (`tk export OUT environments/ -r`).
//
//	go run ./hack/genfixture -envs 100 -services 30 -out /tmp/fixture
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, writes the fixture and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("genfixture", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var c Config
	fl.IntVar(&c.Envs, "envs", 100, "number of environments")
	fl.IntVar(&c.Services, "services", 30, "number of services per environment")
	out := fl.String("out", "", "directory to write the repository into (must not exist or be empty)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fl.NArg() > 0 {
		_, _ = fmt.Fprintln(stderr, "usage: genfixture [-envs N] [-services M] -out DIR")
		return 2
	}
	if err := Write(*out, c); err != nil {
		_, _ = fmt.Fprintf(stderr, "genfixture: %v\n", err)
		return 1
	}
	_, _ = fmt.Fprintf(stdout, "genfixture: %d environments x %d services (%d resources each) in %s\n",
		c.Envs, c.Services, c.ResourcesPerEnv(), *out)
	return 0
}
