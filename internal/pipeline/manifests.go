package pipeline

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/report"
	"github.com/kforge/kforge/internal/schema"
)

// ReadManifests reads already-rendered YAML manifests from src: a file, every .yaml/.yml/.json
// file below a directory (in lexical order), or stdin for "-". src is named as given in
// messages and resolved against wd. It returns each manifest with its file.
func ReadManifests(stdin io.Reader, wd, src string) ([]*manifest.Manifest, []string, error) {
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	switch src {
	case "-":
		data, err := io.ReadAll(stdin)
		if err != nil {
			return nil, nil, fmt.Errorf("read manifests from stdin: %w", err)
		}
		inputs = append(inputs, input{name: "<stdin>", data: data})
	default:
		root := absPath(wd, src)
		fi, err := os.Stat(root)
		if err != nil {
			return nil, nil, fmt.Errorf("read manifests %s: %w", src, fsutil.OpWithoutPath(err))
		}
		if !fi.IsDir() {
			data, err := os.ReadFile(root)
			if err != nil {
				return nil, nil, fmt.Errorf("read manifests %s: %w", src, fsutil.OpWithoutPath(err))
			}
			inputs = append(inputs, input{name: src, data: data})
			break
		}
		var names []string
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".yaml", ".yml", ".json":
				if !d.IsDir() {
					names = append(names, p)
				}
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read manifests in %s: %w", src, fsutil.OpWithoutPath(err))
		}
		sort.Strings(names)
		for _, p := range names {
			rel, _ := filepath.Rel(root, p)
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, nil, fmt.Errorf("read manifests %s: %w", filepath.ToSlash(filepath.Join(src, rel)), fsutil.OpWithoutPath(err))
			}
			inputs = append(inputs, input{name: filepath.ToSlash(filepath.Join(src, rel)), data: data})
		}
	}
	var all []*manifest.Manifest
	var files []string
	seen := map[manifest.ID]string{}
	for _, in := range inputs {
		ms, err := manifest.ParseYAML(in.data, in.name)
		if err != nil {
			return nil, nil, err
		}
		for _, m := range ms {
			// Objects named only by generateName are never duplicates of each other.
			if prev, dup := seen[m.ID()]; dup && !hasGenerateNameOnly(m) {
				return nil, nil, fmt.Errorf("%s: duplicate resource %s, already defined in %s", in.name, m.ID(), prev)
			}
			seen[m.ID()] = in.name
			all = append(all, m)
			files = append(files, in.name)
		}
	}
	return all, files, nil
}

// hasGenerateNameOnly reports whether m has no metadata.name, only a generateName.
func hasGenerateNameOnly(m *manifest.Manifest) bool {
	meta, _ := m.Object["metadata"].(map[string]any)
	_, named := meta["name"].(string)
	return !named
}

// Manifests are already-rendered manifests to validate, with the environment the policies see.
type Manifests struct {
	// Manifests and Files are what ReadManifests returned.
	Manifests []*manifest.Manifest
	Files     []string
	// Source is where they were read from (input.entrypoint).
	Source string
	// EnvName and Tier describe the environment to the policies.
	EnvName, Tier string
}

// ValidateManifests checks ms against the schemas (nil: none) and the policies, as Validate does
// for a rendered environment. When they cannot be checked (a policy fails at run time), the
// result has status error and the run failure (KF-RUN-*) as its finding, and err says why.
func ValidateManifests(ctx context.Context, ms Manifests, policies *policy.Engine, schemas *schema.Validator) (report.EnvironmentResult, error) {
	res, err := validateManifests(ctx, ms, policies, schemas)
	if err != nil && stopsOneEnvironment(err) {
		f := failureFinding(ms.EnvName, ms.Source, err)
		res = report.EnvironmentResult{Name: ms.EnvName, Tier: ms.Tier, Entrypoint: ms.Source,
			Status: report.StatusError, Findings: []finding.Finding{f}}
	}
	return res, err
}

func validateManifests(ctx context.Context, ms Manifests, policies *policy.Engine, schemas *schema.Validator) (report.EnvironmentResult, error) {
	in := policy.Input{
		Environment: policy.EnvInfo{Name: ms.EnvName, Tier: ms.Tier},
		Resources:   Objects(ms.Manifests),
		Files:       ms.Files,
		Entrypoint:  ms.Source,
	}
	findings, err := SchemaFindings(ctx, schemas, ms.EnvName, in.Resources, in.Files)
	if err != nil {
		return report.EnvironmentResult{}, err
	}
	policyFindings, err := policies.Evaluate(ctx, in)
	if err != nil {
		return report.EnvironmentResult{}, err
	}
	findings = append(findings, policyFindings...)
	// Expired exceptions of kforge.yaml (whether one waives nothing needs every environment).
	for _, f := range policies.SettingsFindings(false) {
		f.Environment = ms.EnvName
		findings = append(findings, f)
	}
	finding.Sort(findings)
	return report.EnvironmentResult{
		Name: ms.EnvName, Tier: ms.Tier, Entrypoint: ms.Source,
		Resources: len(ms.Manifests), Findings: findings,
	}, nil
}
