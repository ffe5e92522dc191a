package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// argoEnvPrefix is how Argo CD passes an Application's plugin environment to a Config
// Management Plugin: each entry of spec.source.plugin.env becomes ARGOCD_ENV_<name>.
const argoEnvPrefix = "ARGOCD_ENV_"

func newArgoCDPluginCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "argocd-plugin",
		Short:   "Run kforge as an Argo CD Config Management Plugin",
		Example: `  ARGOCD_ENV_KFORGE_ENV=environments/prod kforge argocd-plugin generate`,
		Long: `For teams that render in the cluster instead of committing golden/, kforge runs as an Argo CD
Config Management Plugin sidecar (see docs/argocd-plugin/plugin.yaml). Argo CD runs 'kforge
argocd-plugin generate' in the Application's source path.`,
	}
	cmd.AddCommand(newArgoCDGenerateCmd(streams))
	return cmd
}

func newArgoCDGenerateCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Print the manifests of the environment in the current directory for Argo CD",
		Long: `Generate renders one environment and prints its manifests on stdout (and only manifests:
logs and warnings go to stderr), as Argo CD's CMP protocol expects. A path that selects several
environments (a directory above them, an entrypoint with several inline environments) is an
error naming them (exit 2): an Application must not deploy them all at once. Parameters come from the
Application's plugin env, which Argo CD passes as ARGOCD_ENV_* variables:

  ARGOCD_ENV_KFORGE_ENV            environment to render (default: the current directory)
  ARGOCD_ENV_KFORGE_NAME           inline environment name (--name)
  ARGOCD_ENV_KFORGE_TARGETS        comma-separated -t filters
  ARGOCD_ENV_KFORGE_EXT_STR_<var>  ext var <var> (a string)
  ARGOCD_ENV_KFORGE_TLA_STR_<arg>  top-level argument <arg> (a string)`,
		Example: `  ARGOCD_ENV_KFORGE_ENV=environments/prod kforge argocd-plugin generate`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runArgoCDGenerate(cmd.Context(), streams)
		},
	}
	return cmd
}

func runArgoCDGenerate(ctx context.Context, streams IOStreams) error {
	// An Application deploys what this prints: one environment, never several at once.
	opts := &renderOptions{output: "yaml"}
	opts.sel.single = true
	env, ok := streams.lookupEnv(argoEnvPrefix + "KFORGE_ENV")
	if !ok || env == "" {
		env = "."
	}
	if name, ok := streams.lookupEnv(argoEnvPrefix + "KFORGE_NAME"); ok {
		opts.sel.name = name
	}
	if targets, ok := streams.lookupEnv(argoEnvPrefix + "KFORGE_TARGETS"); ok && targets != "" {
		for _, t := range strings.Split(targets, ",") {
			opts.sel.targets = append(opts.sel.targets, strings.TrimSpace(t))
		}
	}
	opts.eval.extStr = append(opts.eval.extStr, pluginVars(streams, "KFORGE_EXT_STR_")...)
	opts.eval.tlaStr = append(opts.eval.tlaStr, pluginVars(streams, "KFORGE_TLA_STR_")...)
	if _, err := fmt.Fprintf(streams.ErrOut, "kforge %s: rendering %s for Argo CD\n", kforgeVersion(), env); err != nil {
		return err
	}
	return runRender(ctx, streams, []string{env}, opts)
}

// pluginVars returns name=value for every ARGOCD_ENV_<prefix><name> variable, sorted. The
// process environment is read through IOStreams.Environ.
func pluginVars(streams IOStreams, prefix string) []string {
	var out []string
	for _, kv := range streams.environ() {
		key, value, _ := strings.Cut(kv, "=")
		if name, ok := strings.CutPrefix(key, argoEnvPrefix+prefix); ok && name != "" {
			out = append(out, name+"="+value)
		}
	}
	sort.Strings(out)
	return out
}
