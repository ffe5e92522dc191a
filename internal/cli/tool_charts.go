package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/charts"
)

// newToolChartsCmd is `kforge tool charts`: tk's declarative vendoring of Helm charts through
// chartfile.yaml in the working directory.
func newToolChartsCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "charts",
		Short: "Declarative vendoring of Helm charts (tk tool charts)",
		Long: `Vendors Helm charts as Tanka does: chartfile.yaml in the working directory lists chart
repositories (HTTP repositories serving index.yaml, or oci:// registry paths) and the charts to
vendor (repo/chart at an exact version, optionally into another directory); vendor downloads them
through the Helm SDK (no helm binary) into charts/ (or the chartfile's directory) in tk's layout.

Exit codes:
  0  done
  2  invalid chartfile or arguments, a chart or version that does not exist, a digest mismatch,
     a repository that cannot be reached`,
		Example: "  kforge tool charts init",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return usageErrorf("charts needs a subcommand (see kforge tool charts --help)")
		},
	}
	cmd.AddCommand(
		newChartsInitCmd(streams),
		newChartsAddCmd(streams),
		newChartsAddRepoCmd(streams),
		newChartsVendorCmd(streams),
		newChartsConfigCmd(streams),
	)
	return cmd
}

// loadChartfile reads chartfile.yaml from the working directory.
func loadChartfile(streams IOStreams) (*charts.File, error) {
	wd, err := streams.workDir()
	if err != nil {
		return nil, err
	}
	return charts.Load(wd)
}

func newChartsInitCmd(streams IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:     "init",
		Short:   "Create a new chartfile.yaml in the working directory",
		Example: "  kforge tool charts init",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			wd, err := streams.workDir()
			if err != nil {
				return err
			}
			path, err := charts.Init(wd)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(streams.ErrOut, "Success! New Chartfile created at '%s'\n", path)
			return err
		},
	}
}

// chartsPullFlags are the flags of the commands that pull charts.
type chartsPullFlags struct {
	repoConfig string
	plainHTTP  bool
}

func (f *chartsPullFlags) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.repoConfig, "repository-config", "",
		"a Helm repositories file whose repositories replace the chartfile's (for private repositories)")
	cmd.Flags().BoolVar(&f.plainHTTP, "plain-http", false, "talk to OCI registries over plain HTTP instead of HTTPS")
}

func (f *chartsPullFlags) options(streams IOStreams) (charts.Options, error) {
	opts := charts.Options{PlainHTTP: f.plainHTTP, Log: streams.ErrOut}
	if f.repoConfig != "" {
		repos, err := charts.LoadRepoConfig(f.repoConfig)
		if err != nil {
			return opts, err
		}
		opts.Repositories = repos
	}
	return opts, nil
}

func newChartsAddCmd(streams IOStreams) *cobra.Command {
	var flags chartsPullFlags
	cmd := &cobra.Command{
		Use:   "add repo/chart@version[:directory]...",
		Short: "Add charts to chartfile.yaml and vendor them",
		Long: `Adds each chart to chartfile.yaml's requires, then vendors. An argument that does not parse or
is already required is skipped with a message, the others are still added, and the command then
fails without vendoring (as tk does).`,
		Example: "  kforge tool charts add stable/nginx@1.2.3  # example: needs-chart-repository\n" +
			"  kforge tool charts add stable/nginx@1.2.3:nginx-old  # example: needs-chart-repository",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := flags.options(streams)
			if err != nil {
				return err
			}
			f, err := loadChartfile(streams)
			if err != nil {
				return err
			}
			if err := charts.AddRequirements(f, args, streams.ErrOut); err != nil {
				return err
			}
			_, err = charts.Vendor(cmd.Context(), f, opts)
			return err
		},
	}
	flags.addFlags(cmd)
	return cmd
}

func newChartsAddRepoCmd(streams IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:     "add-repo NAME URL",
		Short:   "Add a chart repository to chartfile.yaml",
		Long:    "Adds a repository: an HTTP(S) chart repository URL, or an OCI registry path oci://host/path.",
		Example: "  kforge tool charts add-repo grafana https://grafana.github.io/helm-charts  # example: needs-chartfile",
		Args:    cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			f, err := loadChartfile(streams)
			if err != nil {
				return err
			}
			return charts.AddRepo(f, charts.Repo{Name: args[0], URL: args[1]}, streams.ErrOut)
		},
	}
}

func newChartsVendorCmd(streams IOStreams) *cobra.Command {
	var flags chartsPullFlags
	var prune bool
	cmd := &cobra.Command{
		Use:   "vendor",
		Short: "Download the charts chartfile.yaml requires into the charts directory",
		Long: `Makes the charts directory hold every required chart at its version. A chart whose vendored
Chart.yaml already has the required version is left untouched, so a second run changes nothing.
Others are downloaded, verified (the archive's sha256 against the repository index or the OCI
manifest, the chart's name and version against the requirement) and moved into place whole.
--prune removes everything in the charts directory no requirement vendors.`,
		Example: "  kforge tool charts vendor  # example: needs-chart-repository\n" +
			"  kforge tool charts vendor --prune  # example: needs-chart-repository",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := flags.options(streams)
			if err != nil {
				return err
			}
			opts.Prune = prune
			f, err := loadChartfile(streams)
			if err != nil {
				return err
			}
			_, err = charts.Vendor(cmd.Context(), f, opts)
			return err
		},
	}
	flags.addFlags(cmd)
	cmd.Flags().BoolVar(&prune, "prune", false, "also remove what no requirement vendors from the charts directory")
	return cmd
}

func newChartsConfigCmd(streams IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Print chartfile.yaml with its defaults applied",
		Long: `Prints the chartfile as kforge reads it (the directory default filled in), in the file's own
format. (tk prints Go's default YAML of its structure instead, with lower-cased field names.)`,
		Example: "  kforge tool charts config  # example: needs-chartfile",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			f, err := loadChartfile(streams)
			if err != nil {
				return err
			}
			data, err := charts.Marshal(f.Chartfile)
			if err != nil {
				return err
			}
			_, err = streams.Out.Write(data)
			return err
		},
	}
}
