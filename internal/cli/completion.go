package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/report"
	"github.com/kforge/kforge/internal/schema"
)

// envArgs reports whether the command at path takes environment arguments, and how many
// leading arguments are something else (export's output directory).
func envArgs(path string) (skip int, ok bool) {
	switch path {
	case "kforge render", "kforge eval", "kforge validate", "kforge golden check",
		"kforge golden update", "kforge diff":
		return 0, true
	case "kforge export":
		return 1, true
	}
	return 0, false
}

// outputFormats are the -o values of the command at path.
func outputFormats(path string) []string {
	switch path {
	case "kforge render":
		return []string{"yaml", "json"}
	case "kforge diff":
		return []string{"text", "markdown"}
	case "kforge policy test":
		return []string{"text", "json"}
	}
	return report.Formats()
}

// addCompletions teaches shell completion (`kforge completion …`, cobra's hidden __complete
// command) the environment names of the repository for the commands that take them, and the
// values of the flags that take one of a fixed set.
func addCompletions(root *cobra.Command, streams IOStreams) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := c.CommandPath()
		if skip, ok := envArgs(path); ok {
			c.ValidArgsFunction = completeEnvironments(streams, skip)
		}
		fixed := map[string]func() []string{
			"layout":         func() []string { return []string{"tanka", "golden"} },
			"merge-strategy": func() []string { return []string{"fail-on-conflicts", "replace-envs"} },
			"rego-version":   policy.RegoVersions,
			"fail-on": func() []string {
				return []string{string(finding.SeverityError), string(finding.SeverityWarning)}
			},
			"kube-version": func() []string {
				versions, _ := schema.SupportedKubernetesVersions()
				return versions
			},
			"output": func() []string { return outputFormats(path) },
		}
		for name, values := range fixed {
			if c.Flags().Lookup(name) == nil {
				continue
			}
			// Registering fails only for an unknown or already registered flag.
			_ = c.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
				return values(), cobra.ShellCompDirectiveNoFileComp
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completeEnvironments offers the environments of the repository around the working directory:
// each one's slug and name, except those already on the command line. The first skip arguments
// are directories.
func completeEnvironments(streams IOStreams, skip int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) < skip {
			return nil, cobra.ShellCompDirectiveFilterDirs
		}
		if cmd.Name() == "eval" && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		proj, wd, err := findProject(streams, nil)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		ropts, err := rendererOptions(streams, proj, wd, selectFlags{}, evalFlags{})
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		envs, err := pipeline.NewRenderer(ropts).Environments(cmd.Context(), "")
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var out []cobra.Completion
		for _, e := range envs {
			for _, name := range []string{e.Slug(), e.Name} {
				if strings.HasPrefix(name, toComplete) && !slices.Contains(args, name) && !slices.Contains(out, name) {
					out = append(out, name)
				}
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
