package schema

import (
	"context"
	"encoding/json"
	"sync"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

// celNode is the part of a schema that leads to CEL rules (x-kubernetes-validations). A node
// that carries rules holds the validator of its whole subtree, compiled the first time an
// object has a value there; the nodes on the way only lead to it. Building the API server's CEL
// validator at the root instead would prepare an environment and compile every rule at every
// node up front: Istio's DestinationRule repeats the same duration rule 138 times, most of them
// under fields an object does not set. Identical rule-carrying subtrees share one compiled
// validator.
type celNode struct {
	// rules is the rule-carrying subtree, nil for a node on the way.
	rules        *structuralschema.Structural
	resourceRoot bool
	cache        *celCache
	once         sync.Once
	validator    *cel.Validator

	props      map[string]*celNode
	items      *celNode
	additional *celNode
}

// caches are shared by the validators of every kind of one Load.
type caches struct {
	cel      celCache
	patterns patternCache
}

// celCache shares compiled validators between identical rule-carrying subtrees of every kind.
// cel.Validator is immutable once built and safe for concurrent use.
type celCache struct {
	mu sync.Mutex
	m  map[string]*cel.Validator
}

// compile returns the validator of s, compiled once per distinct subtree.
func (c *celCache) compile(s *structuralschema.Structural, resourceRoot bool) *cel.Validator {
	key, err := json.Marshal(struct {
		Root bool
		S    *structuralschema.Structural
	}{resourceRoot, s})
	if err != nil {
		return cel.NewValidator(s, resourceRoot, celconfig.PerCallLimit)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[string(key)]; ok {
		return v
	}
	v := cel.NewValidator(s, resourceRoot, celconfig.PerCallLimit)
	if c.m == nil {
		c.m = map[string]*cel.Validator{}
	}
	c.m[string(key)] = v
	return v
}

// newCELNode returns the rule tree of s, nil when s has no rules.
func newCELNode(s *structuralschema.Structural, resourceRoot bool, cache *celCache) *celNode {
	if s == nil {
		return nil
	}
	if nodeHasRules(s) {
		return &celNode{rules: s, resourceRoot: resourceRoot, cache: cache}
	}
	n := &celNode{}
	found := false
	for k := range s.Properties {
		p := s.Properties[k]
		if c := newCELNode(&p, p.XEmbeddedResource, cache); c != nil {
			if n.props == nil {
				n.props = map[string]*celNode{}
			}
			n.props[k] = c
			found = true
		}
	}
	if s.Items != nil {
		if c := newCELNode(s.Items, s.Items.XEmbeddedResource, cache); c != nil {
			n.items, found = c, true
		}
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Structural != nil {
		ap := s.AdditionalProperties.Structural
		if c := newCELNode(ap, ap.XEmbeddedResource, cache); c != nil {
			n.additional, found = c, true
		}
	}
	if !found {
		return nil
	}
	return n
}

// validate evaluates the rules that apply to x, within the cost budget shared by the object.
func (n *celNode) validate(ctx context.Context, path *field.Path, x any, budget *int64) field.ErrorList {
	if x == nil || *budget <= 0 {
		return nil
	}
	if n.rules != nil {
		n.once.Do(func() { n.validator = n.cache.compile(n.rules, n.resourceRoot) })
		if n.validator == nil {
			return nil
		}
		errs, remaining := n.validator.Validate(ctx, path, nil, x, nil, *budget)
		*budget = remaining
		return errs
	}
	var errs field.ErrorList
	switch x := x.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if c, ok := n.props[k]; ok {
				errs = append(errs, c.validate(ctx, path.Child(k), x[k], budget)...)
			} else if n.additional != nil {
				errs = append(errs, n.additional.validate(ctx, childPath(path, k), x[k], budget)...)
			}
		}
	case []any:
		if n.items != nil {
			for i, v := range x {
				errs = append(errs, n.items.validate(ctx, path.Index(i), v, budget)...)
			}
		}
	}
	return errs
}

// nodeHasRules reports CEL rules on the node itself, including in its value validations.
func nodeHasRules(s *structuralschema.Structural) bool {
	if len(s.XValidations) > 0 {
		return true
	}
	if vv := s.ValueValidation; vv != nil {
		for _, list := range [][]structuralschema.NestedValueValidation{vv.AllOf, vv.AnyOf, vv.OneOf} {
			for _, n := range list {
				if len(n.XValidations) > 0 {
					return true
				}
			}
		}
		if vv.Not != nil && len(vv.Not.XValidations) > 0 {
			return true
		}
	}
	return false
}
