// Command kforge renders, validates and freezes a Jsonnet GitOps repository.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/kforge/kforge/internal/cli"
	"github.com/kforge/kforge/internal/gctune"
)

func main() {
	gctune.Apply(os.LookupEnv, gctune.TotalMemory())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, cli.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, LookupEnv: os.LookupEnv, Environ: os.Environ}, os.Args[1:])
	stop()
	os.Exit(code)
}
