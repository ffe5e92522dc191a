package schema

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"
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

// pruneUnknown removes the fields of x that s does not define and reports them, as the API
// server does with strict field validation. It follows the pruning rules of structural schemas:
// x-kubernetes-preserve-unknown-fields keeps unknown fields below a node, and the root and
// embedded resources keep apiVersion, kind and metadata.
func pruneUnknown(x any, s *structuralschema.Structural, path *field.Path, root bool) []unknown {
	var out []unknown
	var walk func(x any, s *structuralschema.Structural, path *field.Path, root bool)
	walk = func(x any, s *structuralschema.Structural, path *field.Path, root bool) {
		preserve := s != nil && s.XPreserveUnknownFields
		switch x := x.(type) {
		case map[string]any:
			embedded := root || (s != nil && s.XEmbeddedResource)
			keys := sortedKeys(x)
			for _, k := range keys {
				v := x[k]
				if embedded && rootFields[k] {
					continue
				}
				if s != nil {
					if prop, ok := s.Properties[k]; ok {
						walk(v, &prop, path.Child(k), false)
						continue
					}
					if s.AdditionalProperties != nil {
						if s.AdditionalProperties.Structural != nil {
							walk(v, s.AdditionalProperties.Structural, childPath(path, k), false)
						}
						continue
					}
				}
				if preserve {
					continue
				}
				out = append(out, unknown{path: path.Child(k).String(), name: k, suggestion: suggest(k, s)})
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
				walk(v, items, path.Index(i), false)
			}
		}
	}
	walk(x, s, path, root)
	return out
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
func checkNumbers(x any, s *structuralschema.Structural, path *field.Path) []numberProblem {
	var out []numberProblem
	var walk func(x any, s *structuralschema.Structural, path *field.Path)
	walk = func(x any, s *structuralschema.Structural, path *field.Path) {
		if s == nil {
			return
		}
		format := ""
		if s.ValueValidation != nil {
			format = s.ValueValidation.Format
		}
		switch x := x.(type) {
		case map[string]any:
			if format == quantityFormat {
				out = append(out, numberProblem{path.String(), fmt.Sprintf("%s: must be a quantity (a string or a number), found %s", path, describe(x, true))})
				return
			}
			for _, k := range sortedKeys(x) {
				if prop, ok := s.Properties[k]; ok {
					walk(x[k], &prop, path.Child(k))
				} else if s.AdditionalProperties != nil {
					walk(x[k], s.AdditionalProperties.Structural, childPath(path, k))
				}
			}
		case []any:
			if format == quantityFormat {
				out = append(out, numberProblem{path.String(), fmt.Sprintf("%s: must be a quantity (a string or a number), found %s", path, describe(x, true))})
				return
			}
			for i, v := range x {
				walk(v, s.Items, path.Index(i))
			}
		case string:
			if format == quantityFormat {
				if _, err := resource.ParseQuantity(x); err != nil {
					out = append(out, numberProblem{path.String(), fmt.Sprintf("%s: invalid quantity %q: %v", path, x, quantityError(err))})
				}
			}
		case bool:
			if format == quantityFormat {
				out = append(out, numberProblem{path.String(), fmt.Sprintf("%s: must be a quantity (a string or a number), found %s", path, describe(x, true))})
			}
		case int64:
			if format == quantityFormat {
				if _, err := resource.ParseQuantity(strconv.FormatInt(x, 10)); err != nil {
					out = append(out, numberProblem{path.String(), fmt.Sprintf("%s: invalid quantity %d: %v", path, x, quantityError(err))})
				}
			}
		case float64:
			if format == quantityFormat {
				if _, err := resource.ParseQuantity(strconv.FormatFloat(x, 'f', -1, 64)); err != nil {
					out = append(out, numberProblem{path.String(), fmt.Sprintf("%s: invalid quantity %v: %v", path, x, quantityError(err))})
				}
			}
		}
	}
	walk(x, s, path)
	return out
}

func quantityError(err error) string {
	if err == resource.ErrFormatWrong {
		return "quantities are a number with an optional suffix, such as 500m, 2, 1.5Gi or 1e3"
	}
	return err.Error()
}
