package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/schema"
	"github.com/kforge/kforge/policies"
)

// PolicyOptions choose the policies of a validation.
type PolicyOptions struct {
	// Project is the repository, nil when validating manifests outside one.
	Project *project.Project
	// WorkDir is the directory Dirs and Data are resolved against, and outside a repository the
	// one paths are reported relative to.
	WorkDir string
	// Dirs are extra policy directories, added to the built-in pack and the repository's
	// (kforge.yaml `policies`).
	Dirs []string
	// Data are extra JSON or YAML data files mounted at the root of data.
	Data []string
	// Namespaces select conftest-style packages (default main).
	Namespaces []string
	// AllNamespaces evaluates every conftest-style package.
	AllNamespaces bool
	// NoBuiltin skips the built-in pack and the repository's own policy directories: only Dirs
	// are evaluated.
	NoBuiltin bool
	// RegoVersion is the Rego syntax of the policies: v1 (or empty) or v0 (policy.RegoV0).
	RegoVersion string
	// None evaluates no policy at all: the run checks schemas only.
	None bool
}

// LoadPolicies compiles the policies, once per run: the built-in pack (unless kforge.yaml
// turns it off, or a policy directory declares one of its packages, as this repository's
// policies/ does), the repository's policy directories and Dirs. No policy at all is not an
// error: the engine then finds nothing and the run checks schemas only.
func LoadPolicies(ctx context.Context, o PolicyOptions) (*policy.Engine, error) {
	var dirs []string
	opts := policy.Options{Namespaces: o.Namespaces, AllNamespaces: o.AllNamespaces, RegoVersion: o.RegoVersion}
	builtin := !o.NoBuiltin
	if p := o.Project; p != nil {
		opts.Root = p.Root
		opts.Timeout = p.Config.Limits.PolicyTimeout
		opts.Settings = PolicySettings(p.Config.Policy)
		builtin = builtin && p.Config.Policy.Builtin
		if !o.NoBuiltin {
			for _, d := range p.Config.Policies {
				if fi, err := os.Stat(p.Abs(d)); err == nil && fi.IsDir() {
					dirs = append(dirs, p.Abs(d))
				}
			}
		}
	} else {
		// Outside a repository, paths are reported relative to the working directory.
		opts.Root = o.WorkDir
	}
	if o.None {
		return policy.Load(ctx, nil, nil, policy.Options{Root: opts.Root})
	}
	if builtin {
		opts.Builtin = policies.FS
	}
	opts.Given = map[string]string{}
	for _, d := range o.Dirs {
		dirs = append(dirs, absPath(o.WorkDir, d))
		opts.Given[absPath(o.WorkDir, d)] = d
	}
	data := make([]string, len(o.Data))
	for i, d := range o.Data {
		data[i] = absPath(o.WorkDir, d)
		opts.Given[data[i]] = d
	}
	return policy.Load(ctx, dirs, data, opts)
}

// PolicySettings converts kforge.yaml's `policy` key into the engine's settings.
func PolicySettings(c project.PolicyConfig) policy.Settings {
	s := policy.Settings{
		Disable: c.Disable,
		Tiers:   policy.Tiers{Label: c.Tiers.Label, Default: c.Tiers.Default},
		File:    project.ConfigFile,
	}
	if len(c.Severity) > 0 {
		s.Severity = make(map[string]finding.Severity, len(c.Severity))
		for id, sev := range c.Severity {
			s.Severity[id] = finding.Severity(sev)
		}
	}
	for _, p := range c.Tiers.Patterns {
		s.Tiers.Patterns = append(s.Tiers.Patterns, policy.TierPattern{Match: p.Match, Tier: p.Tier})
	}
	for _, x := range c.Exceptions {
		s.Exceptions = append(s.Exceptions, policy.Exception{Rule: x.Rule, Resources: x.Resources,
			Environments: x.Environments, Reason: x.Reason, Expires: x.ExpiresOn, Line: x.Line})
	}
	return s
}

// SchemaOptions choose the schemas objects are validated against.
type SchemaOptions struct {
	// Project is the repository, nil when validating manifests outside one.
	Project *project.Project
	// WorkDir is the directory CRDs are resolved against, and outside a repository the one
	// paths are reported relative to.
	WorkDir string
	// KubeVersion is the Kubernetes version of the built-in schemas; empty takes kforge.yaml's.
	KubeVersion string
	// CRDs are extra CustomResourceDefinition files or directories.
	CRDs []string
	// SchemaLocations are extra schema directories or files (CRDs, kubeconform-style JSON
	// schemas), after kforge.yaml's schemaLocations.
	SchemaLocations []string
	// Strict makes a kind without a schema an error.
	Strict bool
}

// LoadSchemas builds the schema validator, once per run.
func LoadSchemas(o SchemaOptions) (*schema.Validator, error) {
	opts := schema.Options{KubernetesVersion: o.KubeVersion, Strict: o.Strict}
	if p := o.Project; p != nil {
		opts.Root = p.Root
		if opts.KubernetesVersion == "" {
			opts.KubernetesVersion = p.Config.KubernetesVersion
		}
		for _, loc := range p.Config.SchemaLocations {
			opts.SchemaLocations = append(opts.SchemaLocations, filepath.Join(p.Root, filepath.FromSlash(loc)))
		}
	} else {
		opts.Root = o.WorkDir
	}
	for _, dir := range o.CRDs {
		opts.CRDDirs = append(opts.CRDDirs, absPath(o.WorkDir, dir))
	}
	for _, loc := range o.SchemaLocations {
		opts.SchemaLocations = append(opts.SchemaLocations, absPath(o.WorkDir, loc))
	}
	v, err := schema.Load(opts)
	if err != nil {
		return nil, fmt.Errorf("load schemas: %w", err)
	}
	return v, nil
}

// absPath resolves p against wd unless it is absolute.
func absPath(wd, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(wd, p)
}
