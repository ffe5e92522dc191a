package policy

import (
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
)

// capabilities returns the built-ins kforge lets policies use: everything this
// OPA version offers except the built-ins OPA marks non-deterministic. Those
// reach the network (http.send, net.lookup_ip_addr, remote JSON schemas), leak
// the process environment (opa.runtime) or depend on the clock or randomness
// (time.now_ns, rand.intn, uuid.rfc4122, JWT signing and verification), and
// would make a validation result depend on where and when it ran. AllowNet is
// empty, so no host may be contacted either.
//
// It also returns the names it removed, sorted, for error hints.
func capabilities() (*ast.Capabilities, []string) {
	caps := ast.CapabilitiesForThisVersion()
	kept := make([]*ast.Builtin, 0, len(caps.Builtins))
	var removed []string
	for _, b := range caps.Builtins {
		if b.Nondeterministic {
			removed = append(removed, b.Name)
			continue
		}
		kept = append(kept, b)
	}
	caps.Builtins = kept
	caps.AllowNet = []string{}
	slices.Sort(removed)
	return caps, slices.Compact(removed)
}
