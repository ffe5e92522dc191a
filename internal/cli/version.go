package cli

import (
	"github.com/kforge/kforge/internal/buildinfo"
	"github.com/spf13/cobra"
)

// Version overrides the version kforge reports, set at build time with
// -ldflags "-X github.com/kforge/kforge/internal/cli.Version=v1.2.3" (make dist does); left at
// "dev", the main module's version from the build information is reported. The reported version is
// part of every cache key.
var Version = buildinfo.DevVersion

// kforgeVersion is the version kforge reports: the -X override, else the module version, else "dev".
func kforgeVersion() string {
	return buildinfo.Read(Version).Version
}

func newVersionCmd(streams IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print kforge's version, its revision and the versions of its engines",
		Long: `Prints "kforge <version>", then the commit the binary was built from (revision, its time, and
whether the working tree had uncommitted changes: "unknown" for a build without version-control
information), the Go version, the build tags ("none" for a plain go build; release builds
say kustomize_disable_go_plugin_support) and the go-jsonnet and OPA versions compiled in.
kforge --version prints the same.`,
		Example: "  kforge version\n  kforge version | awk '$1 == \"revision\" {print $2}'",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return buildinfo.Read(Version).Write(streams.Out)
		},
	}
}

// addVersionFlag gives root a --version flag printing what `kforge version` prints: cobra prints
// root.Version through the version template, so root.Version holds the whole text.
func addVersionFlag(root *cobra.Command) {
	root.Version = buildinfo.Read(Version).String()
	root.SetVersionTemplate("{{.Version}}")
}
