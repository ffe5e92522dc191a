package policy

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
)

// The Rego syntax versions a policy directory can be written in (Options.RegoVersion,
// conftest's --rego-version).
const (
	// RegoV1 is OPA 1.0's syntax (`deny contains msg if { ... }`), the default.
	RegoV1 = "v1"
	// RegoV0 is the syntax before OPA 1.0 (`deny[msg] { ... }`), for older conftest policies.
	RegoV0 = "v0"
)

// RegoVersions lists the accepted values of Options.RegoVersion.
func RegoVersions() []string { return []string{RegoV1, RegoV0} }

// ParseRegoVersion maps "v1", "v0" or "" (v1) to OPA's Rego version.
func ParseRegoVersion(s string) (ast.RegoVersion, error) {
	switch s {
	case "", RegoV1:
		return ast.RegoV1, nil
	case RegoV0:
		return ast.RegoV0, nil
	}
	return ast.RegoUndefined, fmt.Errorf("rego version %q: use %s or %s", s, RegoV1, RegoV0)
}

// strictFor reports whether the compiler runs in strict mode for policies of version v. Rego
// v1 policies are held to it (unused variables and imports, deprecated built-ins are errors);
// v0 policies are read as OPA 0.x read them, so that they run unchanged.
func strictFor(v ast.RegoVersion) bool { return v != ast.RegoV0 }

// loadFiles loads the .rego and data files below paths (policyFileFilter) in the given Rego
// version. With RegoV0, a file that does not parse as v0 but does as v1 is read as v1: kforge's
// own policies, and a repository's, are v1 and sit beside the older policies --rego-version v0
// is for. Every other file, and every error, is v0's.
func loadFiles(paths []string, version ast.RegoVersion, caps *ast.Capabilities) (*loader.Result, error) {
	newLoader := func(v ast.RegoVersion) loader.FileLoader {
		return loader.NewFileLoader().WithProcessAnnotation(true).WithRegoVersion(v).WithCapabilities(caps)
	}
	if version != ast.RegoV0 {
		return newLoader(version).Filtered(paths, policyFileFilter)
	}
	v1Files, err := v1Only(paths)
	if err != nil {
		return nil, err
	}
	result, err := newLoader(ast.RegoV0).Filtered(paths, func(abspath string, info os.FileInfo, depth int) bool {
		return policyFileFilter(abspath, info, depth) || v1Files[abspath]
	})
	if err != nil || len(v1Files) == 0 {
		return result, err
	}
	v1, err := newLoader(ast.RegoV1).Filtered(paths, func(abspath string, info os.FileInfo, depth int) bool {
		return policyFileFilter(abspath, info, depth) || (!info.IsDir() && !v1Files[abspath])
	})
	if err != nil {
		return nil, err
	}
	maps.Copy(result.Modules, v1.Modules)
	return result, nil
}

// v1Only returns the .rego files below paths that parse as Rego v1 but not as v0.
func v1Only(paths []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, root := range paths {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != root && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, ".rego") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("read policy: %w", err)
			}
			if _, err := ast.ParseModuleWithOpts(p, string(src), ast.ParserOptions{RegoVersion: ast.RegoV0}); err == nil {
				return nil
			}
			if _, err := ast.ParseModuleWithOpts(p, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1}); err == nil {
				abs, err := filepath.Abs(p)
				if err != nil {
					return fmt.Errorf("resolve %s: %w", p, err)
				}
				out[abs] = true
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read policies %s: %w", root, err)
		}
	}
	return out, nil
}
