package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is kforge's version, set at build time with
// -ldflags "-X github.com/kforge/kforge/internal/cli.Version=v1.2.3"; it is part of every cache key.
var Version = "dev"

func newVersionCmd(streams IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print kforge's version and the versions of its engines",
		Example: "  kforge version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(streams.Out, "kforge %s\n%s", Version, engineVersions())
			return err
		},
	}
}

// engineVersions lists the go-jsonnet and OPA module versions compiled into the binary.
func engineVersions() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	out := fmt.Sprintf("go %s\n", info.GoVersion)
	for _, dep := range info.Deps {
		switch dep.Path {
		case "github.com/google/go-jsonnet", "github.com/open-policy-agent/opa":
			out += fmt.Sprintf("%s %s\n", dep.Path, dep.Version)
		}
	}
	return out
}
