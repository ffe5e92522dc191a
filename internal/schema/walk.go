package schema

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apimachinery/pkg/api/resource"
)

// unknown is a field the schema does not define.
type unknown struct {
	path       string
	name       string
	suggestion string
}

func (u unknown) message() string {
	msg := fmt.Sprintf("%s: unknown field %q", u.path, u.name)
	if u.suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", u.suggestion)
	}
	return msg
}

// rootFields are the fields of an object root (or embedded resource) that its schema need not
// declare; the metadata is checked on its own.
var rootFields = map[string]bool{"apiVersion": true, "kind": true, "metadata": true}

// dataPath is the path of a value in an object, turned into a string only for a finding. Walks
// keep it on the stack: most values have nothing to report.
type dataPath struct {
	parent *dataPath
	key    string
	index  int // -1 for a key
}

func (p *dataPath) field(k string) dataPath { return dataPath{parent: p, key: k, index: -1} }
func (p *dataPath) at(i int) dataPath       { return dataPath{parent: p, index: i} }

// String renders the path like kubectl: "spec.containers[0].ports[1].name", keys that are not
// plain names in brackets ("metadata.labels[app.kubernetes.io/name]").
func (p *dataPath) String() string {
	var segs []*dataPath
	for q := p; q != nil; q = q.parent {
		segs = append(segs, q)
	}
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		if q := segs[i]; q.index >= 0 {
			fmt.Fprintf(&b, "[%d]", q.index)
		} else {
			writeKey(&b, q.key)
		}
	}
	return b.String()
}

// pruneUnknown removes the fields of x that s does not define and reports them, as the API
// server does with strict field validation. It follows the pruning rules of structural schemas:
// x-kubernetes-preserve-unknown-fields keeps unknown fields below a node, and the root and
// embedded resources keep apiVersion, kind and metadata. path is where x is (nil for the root).
func pruneUnknown(x any, s *structuralschema.Structural, path *dataPath, root bool) []unknown {
	var out []unknown
	pruneWalk(x, s, path, root, &out)
	return out
}

func pruneWalk(x any, s *structuralschema.Structural, path *dataPath, root bool, out *[]unknown) {
	preserve := s != nil && s.XPreserveUnknownFields
	switch x := x.(type) {
	case map[string]any:
		embedded := root || (s != nil && s.XEmbeddedResource)
		for k, v := range x {
			if embedded && rootFields[k] {
				continue
			}
			child := path.field(k)
			if s != nil {
				if prop, ok := s.Properties[k]; ok {
					pruneWalk(v, &prop, &child, false, out)
					continue
				}
				if s.AdditionalProperties != nil {
					if s.AdditionalProperties.Structural != nil {
						pruneWalk(v, s.AdditionalProperties.Structural, &child, false, out)
					}
					continue
				}
			}
			if preserve {
				continue
			}
			*out = append(*out, unknown{path: child.String(), name: k, suggestion: suggest(k, s)})
			delete(x, k)
		}
	case []any:
		var items *structuralschema.Structural
		if s != nil {
			items = s.Items
		}
		if items == nil && preserve {
			return
		}
		for i, v := range x {
			child := path.at(i)
			pruneWalk(v, items, &child, false, out)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// suggest returns the defined field closest to name: same spelling but for case, or at most two
// edits away (one for short names).
func suggest(name string, s *structuralschema.Structural) string {
	if s == nil || len(s.Properties) == 0 {
		return ""
	}
	best, bestDist := "", math.MaxInt
	limit := 2
	if len(name) <= 4 {
		limit = 1
	}
	for _, cand := range sortedPropertyNames(s) {
		if strings.EqualFold(cand, name) {
			return cand
		}
		if d := editDistance(name, cand); d <= limit && d < bestDist {
			best, bestDist = cand, d
		}
	}
	return best
}

func sortedPropertyNames(s *structuralschema.Structural) []string {
	names := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// editDistance is the Levenshtein distance of a and b, counting a swap of two neighbours as one
// edit ("weigth" is one edit from "weight").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// numberProblem is a malformed quantity.
type numberProblem struct {
	path, msg string
}

// checkNumbers parses the quantities of built-in kinds (resources.limits.cpu) as the API server's
// typed decoding does; the schema validator cannot, a quantity being a string or a number.
func checkNumbers(x any, s *structuralschema.Structural, path *dataPath) []numberProblem {
	var out []numberProblem
	numbersWalk(x, s, path, &out)
	return out
}

func numbersWalk(x any, s *structuralschema.Structural, path *dataPath, out *[]numberProblem) {
	if s == nil {
		return
	}
	quantity := s.ValueValidation != nil && s.ValueValidation.Format == quantityFormat
	if !quantity {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				child := path.field(k)
				if prop, ok := s.Properties[k]; ok {
					numbersWalk(v, &prop, &child, out)
				} else if s.AdditionalProperties != nil {
					numbersWalk(v, s.AdditionalProperties.Structural, &child, out)
				}
			}
		case []any:
			for i, v := range x {
				child := path.at(i)
				numbersWalk(v, s.Items, &child, out)
			}
		}
		return
	}
	var err error
	switch x := x.(type) {
	case string:
		_, err = resource.ParseQuantity(x)
	case int64:
		_, err = resource.ParseQuantity(strconv.FormatInt(x, 10))
	case float64:
		_, err = resource.ParseQuantity(strconv.FormatFloat(x, 'f', -1, 64))
	case nil:
		return
	default:
		p := path.String()
		*out = append(*out, numberProblem{p, fmt.Sprintf("%s: must be a quantity (a string or a number), found %s", p, describe(x, true))})
		return
	}
	if err != nil {
		p := path.String()
		*out = append(*out, numberProblem{p, fmt.Sprintf("%s: invalid quantity %s: %v", p, formatValue(x), quantityError(err))})
	}
}

func quantityError(err error) string {
	if err == resource.ErrFormatWrong {
		return "quantities are a number with an optional suffix, such as 500m, 2, 1.5Gi or 1e3"
	}
	return err.Error()
}
