// Command kforge renders, validates and freezes a Jsonnet GitOps repository.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/kforge/kforge/internal/cli"
	"github.com/kforge/kforge/internal/gctune"
	// Backs the heap of every kforge process with transparent huge pages (see the package).
	_ "github.com/kforge/kforge/internal/hugeheap"
	"github.com/kforge/kforge/internal/profile"
)

func main() {
	gc := gctune.Apply(os.LookupEnv, gctune.TotalMemory())
	stopProfile, err := profile.Start(os.LookupEnv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
		os.Exit(cli.ExitInvalid)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var tracker *gctune.Tracker
	if gc.Percent > 0 {
		tracker = gctune.NewTracker(0)
		go tracker.Run(ctx)
	}
	code := cli.Main(ctx, cli.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, LookupEnv: os.LookupEnv, Environ: os.Environ, GC: tracker}, os.Args[1:])
	stop()
	if err := stopProfile(); err != nil {
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
	}
	os.Exit(code)
}
