package cli

import (
	"context"
	"path/filepath"
	"strings"

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
	// regoVersion is the Rego syntax of the policies: v1 (default) or v0.
	regoVersion string
	// noPolicies evaluates no policy: the run checks schemas only.
	noPolicies bool
}

func (f *policyFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVarP(&f.policies, "policy", "p", nil, "extra Rego policy directory (repeatable), added to the repository's policies/")
	fs.StringArrayVarP(&f.data, "data", "d", nil, "extra data file (JSON or YAML) for the policies (repeatable)")
	fs.StringArrayVarP(&f.namespaces, "namespace", "n", nil, "conftest-style package to evaluate (repeatable; default main)")
	fs.BoolVar(&f.allNamespaces, "all-namespaces", false, "evaluate every conftest-style package")
	fs.BoolVar(&f.noBuiltin, "no-builtin-policies", false, "skip the built-in policy pack and the repository's own policy directories: only --policy directories")
	fs.BoolVar(&f.noPolicies, "no-policies", false, "evaluate no policy: check schemas only")
	addRegoVersionFlag(fs, &f.regoVersion)
}

// addRegoVersionFlag adds --rego-version, conftest's flag for the syntax of the policies.
func addRegoVersionFlag(fs *pflag.FlagSet, v *string) {
	fs.StringVar(v, "rego-version", policy.RegoV1, "Rego syntax of the policies: "+strings.Join(policy.RegoVersions(), " or ")+" (v0 runs pre-1.0 policies unchanged)")
}

// checkRegoVersion rejects a --rego-version other than v1 or v0 as a usage error.
func checkRegoVersion(v string) error {
	if _, err := policy.ParseRegoVersion(v); err != nil {
		return usageErrorf("--rego-version: %w", err)
	}
	return nil
}

// load compiles the policies. proj may be nil (validating manifests outside a repository).
func (f *policyFlags) load(ctx context.Context, proj *project.Project, wd string) (*policy.Engine, error) {
	if err := checkRegoVersion(f.regoVersion); err != nil {
		return nil, err
	}
	if f.noPolicies && (len(f.policies) > 0 || len(f.data) > 0) {
		return nil, usageErrorf("--no-policies evaluates no policy: drop --policy and --data")
	}
	return pipeline.LoadPolicies(ctx, pipeline.PolicyOptions{
		Project: proj, WorkDir: wd, Dirs: f.policies, Data: f.data,
		Namespaces: f.namespaces, AllNamespaces: f.allNamespaces, NoBuiltin: f.noBuiltin, None: f.noPolicies,
		RegoVersion: f.regoVersion,
	})
}

func absPath(wd, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(wd, p)
}
