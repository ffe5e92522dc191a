package schema

import (
	"encoding/json"
	"fmt"
)

// listProblem is a duplicate entry of a list-type set or map, or a list-type map entry that is
// not an object.
type listProblem struct {
	id, path, msg string
}

// checkLists reports what the API server's list-type validation reports (listtype in
// k8s.io/apiextensions-apiserver): the second occurrence of a value in an
// x-kubernetes-list-type: set, the second entry with the same key fields in a list-type map,
// and list-type map entries that are not objects. It follows only the parts of the schema that
// hold list types, and builds a path only for a problem.
func checkLists(x any, n *node, at pathStack) []listProblem {
	w := listWalker{path: append(pathStack(nil), at...)}
	w.walk(x, n)
	return w.out
}

type listWalker struct {
	path pathStack
	out  []listProblem
}

func (w *listWalker) report(id, detail string) {
	p := w.path.String()
	w.out = append(w.out, listProblem{id: id, path: p, msg: p + ": " + detail})
}

func (w *listWalker) walk(x any, n *node) {
	if n == nil || !n.lists {
		return
	}
	switch x := x.(type) {
	case []any:
		if n.XListType != nil {
			switch *n.XListType {
			case "set":
				for _, i := range repeated(x) {
					w.path.pushIndex(i)
					w.report(RuleDuplicate, "duplicate entry "+formatValue(x[i]))
					w.path.pop()
				}
			case "map":
				w.listMap(x, n.XListMapKeys)
			}
		}
		if n.items != nil {
			for i, v := range x {
				w.path.pushIndex(i)
				w.walk(v, n.items)
				w.path.pop()
			}
		}
	case map[string]any:
		for k, v := range x {
			if next := n.child(k); next != nil {
				w.path.pushKey(k)
				w.walk(v, next)
				w.path.pop()
			}
		}
	}
}

// listMap checks the entries of a list-type map: objects (or null) whose key fields are unique.
func (w *listWalker) listMap(x []any, keyFields []string) {
	for i, e := range x {
		if _, ok := e.(map[string]any); e != nil && !ok {
			w.path.pushIndex(i)
			w.report(RuleInvalidValue, fmt.Sprintf("must be an object for an array of list-type map, found %s", describe(e, true)))
			w.path.pop()
			return
		}
	}
	if len(x) <= 1 {
		return
	}
	keys := make([]any, len(x))
	for i, e := range x {
		key := map[string]any{}
		if m, ok := e.(map[string]any); ok {
			for _, f := range keyFields {
				if v, ok := m[f]; ok {
					key[f] = v
				}
			}
		}
		keys[i] = key
	}
	for _, i := range repeated(keys) {
		w.path.pushIndex(i)
		w.report(RuleDuplicate, "duplicate entry "+formatValue(keys[i]))
		w.path.pop()
	}
}

// repeated returns the index of the second occurrence of every value that occurs more than once;
// compound values compare by their JSON.
func repeated(x []any) []int {
	if len(x) <= 1 {
		return nil
	}
	seen := make(map[any]int, len(x))
	var out []int
	for i, v := range x {
		key := v
		switch x := v.(type) {
		case map[string]any, []any:
			b, err := json.Marshal(x)
			if err != nil {
				continue
			}
			key = "json:" + string(b)
		case string:
			key = "string:" + x
		}
		seen[key]++
		if seen[key] == 2 {
			out = append(out, i)
		}
	}
	return out
}
