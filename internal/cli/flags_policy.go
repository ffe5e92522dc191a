package cli

import (
	"context"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/project"
)

// policyFlags choose the policies and how they are evaluated.
type policyFlags struct {
	// policies are extra policy directories, added to the repository's (kforge.yaml `policies`).
	policies []string
	// data are extra JSON or YAML data files mounted at the root of data.
	data []string
	// namespaces select conftest-style packages (default main).
	namespaces []string
	// allNamespaces evaluates every conftest-style package.
	allNamespaces bool
	// noBuiltin skips the built-in pack and the repository's own policy directories.
	noBuiltin bool
	// noPolicies evaluates no policy: the run checks schemas only.
	noPolicies bool
}

func (f *policyFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.policies, "policy", nil, "extra Rego policy directory (repeatable), added to the repository's policies/")
	fs.StringArrayVar(&f.data, "data", nil, "extra data file (JSON or YAML) for the policies (repeatable)")
	fs.StringArrayVar(&f.namespaces, "namespace", nil, "conftest-style package to evaluate (repeatable; default main)")
	fs.BoolVar(&f.allNamespaces, "all-namespaces", false, "evaluate every conftest-style package")
	fs.BoolVar(&f.noBuiltin, "no-builtin-policies", false, "skip the built-in policy pack and the repository's own policy directories: only --policy directories")
	fs.BoolVar(&f.noPolicies, "no-policies", false, "evaluate no policy: check schemas only")
}

// load compiles the policies. proj may be nil (validating manifests outside a repository).
func (f *policyFlags) load(ctx context.Context, proj *project.Project, wd string) (*policy.Engine, error) {
	if f.noPolicies && (len(f.policies) > 0 || len(f.data) > 0) {
		return nil, usageErrorf("--no-policies evaluates no policy: drop --policy and --data")
	}
	return pipeline.LoadPolicies(ctx, pipeline.PolicyOptions{
		Project: proj, WorkDir: wd, Dirs: f.policies, Data: f.data,
		Namespaces: f.namespaces, AllNamespaces: f.allNamespaces, NoBuiltin: f.noBuiltin, None: f.noPolicies,
	})
}

func absPath(wd, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(wd, p)
}
