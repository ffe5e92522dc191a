package schema_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// loadObject reads testdata/objects/<name>.yaml as internal/manifest decodes rendered output:
// JSON with json.Number numbers.
func loadObject(t testing.TB, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "objects", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return decodeYAML(t, data)
}

func decodeYAML(t testing.TB, data []byte) map[string]any {
	t.Helper()
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

// mutation changes an object in place.
type mutation func(t testing.TB, obj map[string]any)

var pathSegment = regexp.MustCompile(`([^.\[\]]+)|\[([^\]]+)\]`)

// splitPath splits "spec.containers[0].ports[1].name" (keys with dots in brackets:
// "metadata.labels[app.kubernetes.io/name]") into keys and indices.
func splitPath(p string) []string {
	var out []string
	for _, m := range pathSegment.FindAllStringSubmatch(p, -1) {
		if m[1] != "" {
			out = append(out, m[1])
		} else {
			out = append(out, m[2])
		}
	}
	return out
}

// parent walks to the container of the last segment of path, creating objects on the way.
func parent(t testing.TB, obj map[string]any, path string) (any, string) {
	t.Helper()
	segs := splitPath(path)
	var cur any = obj
	for _, s := range segs[:len(segs)-1] {
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[s]
			if !ok {
				next = map[string]any{}
				c[s] = next
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(s)
			if err != nil || i >= len(c) {
				t.Fatalf("path %s: no index %s", path, s)
			}
			cur = c[i]
		default:
			t.Fatalf("path %s: %s is not a container", path, s)
		}
	}
	return cur, segs[len(segs)-1]
}

// set sets the value at path; in a list, an index one past the end appends.
func set(path string, value any) mutation {
	return func(t testing.TB, obj map[string]any) {
		t.Helper()
		c, last := parent(t, obj, path)
		switch c := c.(type) {
		case map[string]any:
			c[last] = value
		case []any:
			i, err := strconv.Atoi(last)
			if err != nil || i > len(c) {
				t.Fatalf("path %s: bad index", path)
			}
			if i == len(c) {
				appendTo(t, obj, path, value)
				return
			}
			c[i] = value
		}
	}
}

// appendTo appends value to the list that holds path's last index.
func appendTo(t testing.TB, obj map[string]any, path string, value any) {
	t.Helper()
	i := strings.LastIndex(path, "[")
	listPath := path[:i]
	c, last := parent(t, obj, listPath)
	m := c.(map[string]any)
	m[last] = append(m[last].([]any), value)
}

// del removes the field at path.
func del(path string) mutation {
	return func(t testing.TB, obj map[string]any) {
		t.Helper()
		c, last := parent(t, obj, path)
		m, ok := c.(map[string]any)
		if !ok {
			t.Fatalf("path %s: not in an object", path)
		}
		if _, ok := m[last]; !ok {
			t.Fatalf("path %s: nothing to delete", path)
		}
		delete(m, last)
	}
}

// get returns the value at path.
func get(t testing.TB, obj map[string]any, path string) any {
	t.Helper()
	c, last := parent(t, obj, path)
	switch c := c.(type) {
	case map[string]any:
		return c[last]
	case []any:
		i, _ := strconv.Atoi(last)
		return c[i]
	}
	return nil
}

// copyOf returns a copy of the value at path, to duplicate list entries.
func copyOf(t testing.TB, obj map[string]any, path string) any {
	t.Helper()
	b, err := json.Marshal(get(t, obj, path))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// duplicate appends a copy of the list entry at path to its list.
func duplicate(path string) mutation {
	return func(t testing.TB, obj map[string]any) {
		t.Helper()
		appendTo(t, obj, path, copyOf(t, obj, path))
	}
}
