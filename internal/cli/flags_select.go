package cli

import (
	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/pipeline"
)

// selectFlags choose the environments and resources a command works on.
type selectFlags struct {
	// all selects every environment of the repository.
	all bool
	// name picks inline environments by metadata.name (exact match beats substring).
	name string
	// targets are -t kind/name filters; a leading ! excludes.
	targets []string
	// selector is -l/--selector: a kubectl label selector over the environments' metadata.labels.
	selector string
	// pIsPolicy leaves -p to --policy (validate, as in conftest) instead of --parallel (tk's -p).
	pIsPolicy bool
	// parallel is the number of environments rendered at once (0: one per core).
	parallel int
	// limits bound each environment's evaluation (flags_limits.go).
	limits limitFlags
	// cache controls the render cache and --since/--changed-files (flags_cache.go).
	cache cacheFlags
	// policiesMatter makes a change to the policies affect every environment (validate).
	policiesMatter bool
	// goldenMatters makes a change to an environment's golden directory affect it (golden, diff).
	goldenMatters bool
	// single makes a selection of several environments, or none, an error naming them
	// (argocd-plugin generate, eval).
	single bool
	// entrypoints keeps an entrypoint that fails to evaluate selectable (tool importers).
	entrypoints bool
	// shard is --shard I/N: one part of the selected environments (pipeline.Shard).
	shard string
}

func (f *selectFlags) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&f.all, "all", false, "select every environment of the repository")
	fs.StringVar(&f.name, "name", "", "select inline environments by metadata.name (exact match wins over substring)")
	fs.StringArrayVarP(&f.targets, "target", "t", nil, "only resources matching kind/name (case-insensitive regular expression); !kind/name excludes")
	fs.StringVarP(&f.selector, "selector", "l", "", "only environments whose metadata.labels match this kubectl label selector (team=web,tier in (prod,canary))")
	if f.pIsPolicy {
		fs.IntVar(&f.parallel, "parallel", 0, "environments rendered at once (default: one per core)")
	} else {
		fs.IntVarP(&f.parallel, "parallel", "p", 0, "environments rendered at once (default: one per core)")
	}
	addShardFlag(fs, &f.shard)
	f.limits.addFlags(fs)
	f.cache.addFlags(fs)
}

// validate checks that args and --all agree.
func (f *selectFlags) validate(args []string) error {
	switch {
	case f.all && len(args) > 0:
		return usageErrorf("pass either environments or --all, not both")
	case !f.all && len(args) == 0 && f.name == "" && !f.cache.affectedOnly():
		return usageErrorf("name at least one environment (a directory, main.jsonnet path, name or slug) or pass --all")
	}
	if _, err := f.labelSelector(); err != nil {
		return err
	}
	_, err := parseShardFlag(f.shard)
	return err
}

// labelSelector parses --selector; a bad one is a usage error.
func (f *selectFlags) labelSelector() (*environment.LabelSelector, error) {
	if f.selector == "" {
		return nil, nil
	}
	sel, err := environment.ParseLabelSelector(f.selector)
	if err != nil {
		return nil, usageErrorf("-l/--selector: %w", err)
	}
	return sel, nil
}

// addShardFlag defines --shard on fs.
func addShardFlag(fs *pflag.FlagSet, v *string) {
	fs.StringVar(v, "shard", "", "work on shard I of N (I/N, 1-based) of the selected environments, the same partition on every machine")
}

// parseShardFlag parses --shard; empty is the whole selection. A bad value is a usage error.
func parseShardFlag(v string) (pipeline.Shard, error) {
	if v == "" {
		return pipeline.Shard{}, nil
	}
	s, err := pipeline.ParseShard(v)
	if err != nil {
		return pipeline.Shard{}, usageErrorf("--shard %w", err)
	}
	return s, nil
}
