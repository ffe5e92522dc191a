package schema

import (
	"errors"
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

// pathStack is the path of the value a walk is at, kept as a stack that the walk pushes and pops,
// and turned into a string only for a finding: most values have nothing to report.
type pathStack []pathElem

type pathElem struct {
	key   string
	index int // -1 for a key
}

func (p *pathStack) pushKey(k string) { *p = append(*p, pathElem{key: k, index: -1}) }
func (p *pathStack) pushIndex(i int)  { *p = append(*p, pathElem{index: i}) }
func (p *pathStack) pop()             { *p = (*p)[:len(*p)-1] }

// String renders the path like kubectl: "spec.containers[0].ports[1].name", keys that are not
// plain names in brackets ("metadata.labels[app.kubernetes.io/name]").
func (p pathStack) String() string {
	var b strings.Builder
	for _, e := range p {
		if e.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.index))
			b.WriteByte(']')
			continue
		}
		writeKey(&b, e.key)
	}
	return b.String()
}

// pruneUnknown removes the fields of x that s does not define and reports them, as the API
// server does with strict field validation. It follows the pruning rules of structural schemas:
// x-kubernetes-preserve-unknown-fields keeps unknown fields below a node, and the root and
// embedded resources keep apiVersion, kind and metadata. at is where x is (nil for the root).
func pruneUnknown(x any, s *node, at pathStack, root bool) []unknown {
	w := pruner{path: append(pathStack(nil), at...)}
	w.walk(x, s, root)
	return w.out
}

type pruner struct {
	path pathStack
	out  []unknown
}

func (w *pruner) walk(x any, s *node, root bool) {
	preserve := s != nil && s.XPreserveUnknownFields
	switch x := x.(type) {
	case map[string]any:
		embedded := root || (s != nil && s.XEmbeddedResource)
		for k, v := range x {
			if embedded && rootFields[k] {
				continue
			}
			if s != nil {
				if prop, ok := s.props[k]; ok {
					w.path.pushKey(k)
					w.walk(v, prop, false)
					w.path.pop()
					continue
				}
				if s.AdditionalProperties != nil {
					if s.additional != nil {
						w.path.pushKey(k)
						w.walk(v, s.additional, false)
						w.path.pop()
					}
					continue
				}
			}
			if preserve {
				continue
			}
			var sug string
			if s != nil {
				sug = suggest(k, s.Structural)
			}
			w.path.pushKey(k)
			w.out = append(w.out, unknown{path: w.path.String(), name: k, suggestion: sug})
			w.path.pop()
			delete(x, k)
		}
	case []any:
		var items *node
		if s != nil {
			items = s.items
		}
		if items == nil && preserve {
			return
		}
		for i, v := range x {
			w.path.pushIndex(i)
			w.walk(v, items, false)
			w.path.pop()
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
func checkNumbers(x any, s *node) []numberProblem {
	var w numbersWalker
	w.walk(x, s)
	return w.out
}

type numbersWalker struct {
	path pathStack
	out  []numberProblem
}

func (w *numbersWalker) walk(x any, s *node) {
	if s == nil {
		return
	}
	quantity := s.ValueValidation != nil && s.ValueValidation.Format == quantityFormat
	if !quantity {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				if next := s.child(k); next != nil {
					w.path.pushKey(k)
					w.walk(v, next)
					w.path.pop()
				}
			}
		case []any:
			for i, v := range x {
				w.path.pushIndex(i)
				w.walk(v, s.items)
				w.path.pop()
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
		p := w.path.String()
		w.out = append(w.out, numberProblem{p, fmt.Sprintf("%s: must be a quantity (a string or a number), found %s", p, describe(x, true))})
		return
	}
	if err != nil {
		p := w.path.String()
		w.out = append(w.out, numberProblem{p, fmt.Sprintf("%s: invalid quantity %s: %v", p, formatValue(x), quantityError(err))})
	}
}

func quantityError(err error) string {
	if errors.Is(err, resource.ErrFormatWrong) {
		return "quantities are a number with an optional suffix, such as 500m, 2, 1.5Gi or 1e3"
	}
	return err.Error()
}
