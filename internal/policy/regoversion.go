package policy

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
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
