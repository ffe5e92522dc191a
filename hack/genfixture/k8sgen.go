package main

import (
	"fmt"
	"sort"
	"strings"
)

// jsonnetKeywords may not be used as parameter names.
func jsonnetKeywords() map[string]bool {
	return map[string]bool{
		"assert": true, "else": true, "error": true, "false": true, "for": true, "function": true,
		"if": true, "import": true, "importstr": true, "importbin": true, "in": true, "local": true,
		"null": true, "self": true, "super": true, "tailstrict": true, "then": true, "true": true,
	}
}

// libGen writes the generated API library: one object per group, version and type, each with
// `withX` setters (and `withXMixin` for maps and arrays) for every field, nested objects for
// struct fields, a hidden docsonnet entry per function, and `new(name)` for kinds.
type libGen struct {
	structs  map[string][]field
	keywords map[string]bool
	b        strings.Builder
}

// newLibGen parses the API model and checks that it is complete.
func newLibGen() (*libGen, error) {
	g := &libGen{structs: map[string][]field{}, keywords: jsonnetKeywords()}
	for name, specs := range structTypes() {
		fs, err := parseFields(specs)
		if err != nil {
			return nil, fmt.Errorf("parse struct %s: %w", name, err)
		}
		g.structs[name] = fs
	}
	for _, k := range apiKinds() {
		if _, err := parseFields(k.fields); err != nil {
			return nil, fmt.Errorf("parse kind %s: %w", k.name, err)
		}
	}
	names := make([]string, 0, len(g.structs))
	for name := range g.structs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, f := range g.structs[name] {
			if err := g.checkField(f); err != nil {
				return nil, fmt.Errorf("struct %s: %w", name, err)
			}
		}
	}
	for _, h := range helperTypes() {
		for _, name := range h.names {
			if _, ok := g.structs[name]; !ok {
				return nil, fmt.Errorf("helper type %s is not defined", name)
			}
		}
	}
	return g, nil
}

func (g *libGen) checkField(f field) error {
	if g.keywords[f.name] {
		return fmt.Errorf("field %s is a Jsonnet keyword", f.name)
	}
	if !f.array && !isScalar(f.typ) && f.typ != "map" {
		if _, ok := g.structs[f.typ]; !ok {
			return fmt.Errorf("field %s: type %s is not defined", f.name, f.typ)
		}
	}
	return nil
}

// parseFields parses "name:type" field specs.
func parseFields(specs []string) ([]field, error) {
	fs := make([]field, 0, len(specs))
	for _, s := range specs {
		name, typ, ok := strings.Cut(s, ":")
		if !ok || name == "" || typ == "" {
			return nil, fmt.Errorf("malformed field %q", s)
		}
		f := field{name: name, typ: typ}
		if t, ok := strings.CutPrefix(typ, "[]"); ok {
			f.typ, f.array = t, true
		}
		fs = append(fs, f)
	}
	return fs, nil
}

// isScalar reports whether t is a JSON scalar type.
func isScalar(t string) bool {
	switch t {
	case "string", "integer", "number", "boolean":
		return true
	}
	return false
}

// groupKey is the library's key for an API group: "core" for the core group, else the group's
// first label (apps, batch, networking, rbac, ...).
func groupKey(group string) string {
	if group == "" {
		return "core"
	}
	k, _, _ := strings.Cut(group, ".")
	return k
}

// lowerCamel turns a type name into its library key: ConfigMap → configMap,
// HTTPIngressPath → httpIngressPath, IPBlock → ipBlock.
func lowerCamel(s string) string {
	r := []rune(s)
	n := 0
	for n < len(r) && r[n] >= 'A' && r[n] <= 'Z' {
		n++
	}
	if n > 1 && n < len(r) {
		n-- // keep the capital that starts the next word
	}
	return strings.ToLower(string(r[:n])) + string(r[n:])
}

// upperFirst capitalises the first letter: replicas → Replicas.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// quote returns s as a single-quoted Jsonnet string.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}

// docType is the docsonnet type of a field.
func docType(f field) string {
	switch {
	case f.array:
		return "d.T.array"
	case f.typ == "string":
		return "d.T.string"
	case f.typ == "integer", f.typ == "number":
		return "d.T.number"
	case f.typ == "boolean":
		return "d.T.boolean"
	default:
		return "d.T.object"
	}
}

// fieldHelp is a field's synthesised documentation.
func fieldHelp(owner string, f field, path []string) string {
	what := f.typ
	if f.array {
		what = "list of " + f.typ
	}
	at := strings.Join(append(append([]string{}, path...), f.name), ".")
	return fmt.Sprintf("%s of the %s (%s), written to %s as given.", f.name, owner, what, at)
}

// line writes one indented line.
func (g *libGen) line(depth int, format string, args ...any) {
	g.b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteByte('\n')
}

// setterBody is the object a setter returns: the value placed at path + name, merged (+:) into
// the enclosing objects, and merged into an existing value when mixin is set.
func setterBody(path []string, name, value string, mixin bool) string {
	op := ":"
	if mixin {
		op = "+:"
	}
	inner := fmt.Sprintf("{ %s%s %s }", name, op, value)
	for i := len(path) - 1; i >= 0; i-- {
		inner = fmt.Sprintf("{ %s+: %s }", path[i], inner)
	}
	return inner
}

// fields writes the setters of a struct's fields found at path, recursing into struct fields.
// seen holds the struct types on the current path, so that a recursive type stops.
func (g *libGen) fields(depth int, owner string, fs []field, path []string, seen map[string]bool) {
	for _, f := range fs {
		help := fieldHelp(owner, f, path)
		sub, isStruct := g.structs[f.typ]
		if isStruct && !f.array && !seen[f.typ] {
			g.line(depth, "'#%s':: d.obj(help=%s),", f.name, quote(help))
			g.line(depth, "%s: {", f.name)
			seen[f.typ] = true
			g.fields(depth+1, f.typ, sub, append(append([]string{}, path...), f.name), seen)
			delete(seen, f.typ)
			g.line(depth, "},")
			continue
		}
		fn := "with" + upperFirst(f.name)
		value := f.name
		if f.array {
			value = fmt.Sprintf("if std.isArray(v=%s) then %s else [%s]", f.name, f.name, f.name)
		}
		g.line(depth, "'#%s':: d.fn(help=%s, args=[d.arg(name=%s, type=%s)]),", fn, quote(help), quote(f.name), docType(f))
		g.line(depth, "%s(%s): %s,", fn, f.name, setterBody(path, f.name, value, false))
		if f.array || !isScalar(f.typ) {
			mixinHelp := help + "\n\nMerges into the value already set."
			g.line(depth, "'#%sMixin':: d.fn(help=%s, args=[d.arg(name=%s, type=%s)]),", fn, quote(mixinHelp), quote(f.name), docType(f))
			g.line(depth, "%sMixin(%s): %s,", fn, f.name, setterBody(path, f.name, value, true))
		}
	}
}

// kindObject writes one kind: metadata setters, new(name), the kind's own fields.
func (g *libGen) kindObject(depth int, k kind, apiVersion string) {
	key := lowerCamel(k.name)
	g.line(depth, "%s: {", key)
	g.line(depth+1, "'#':: d.pkg(name=%s, url='', help=%s),", quote(key),
		quote(fmt.Sprintf("%s of %s, generated for the kforge benchmark fixture.", k.name, apiVersion)))
	g.line(depth+1, "'#metadata':: d.obj(help=%s),", quote("Standard object metadata of a "+k.name+"."))
	g.line(depth+1, "metadata: {")
	g.fields(depth+2, "ObjectMeta", g.structs["ObjectMeta"], []string{"metadata"}, map[string]bool{"ObjectMeta": true})
	g.line(depth+1, "},")
	g.line(depth+1, "'#new':: d.fn(help=%s, args=[d.arg(name='name', type=d.T.string)]),",
		quote("new returns an instance of "+k.name+" with the given name."))
	g.line(depth+1, "new(name): {")
	g.line(depth+2, "apiVersion: %s,", quote(apiVersion))
	g.line(depth+2, "kind: %s,", quote(k.name))
	g.line(depth+1, "} + self.metadata.withName(name=name),")
	fs, _ := parseFields(k.fields)
	g.fields(depth+1, k.name, fs, nil, map[string]bool{})
	g.line(depth+1, "'#mixin': 'ignore',")
	g.line(depth+1, "mixin: self,")
	g.line(depth, "},")
}

// helperObject writes one helper type: setters at the root of the object.
func (g *libGen) helperObject(depth int, name, apiVersion string) {
	key := lowerCamel(name)
	g.line(depth, "%s: {", key)
	g.line(depth+1, "'#':: d.pkg(name=%s, url='', help=%s),", quote(key),
		quote(fmt.Sprintf("%s of %s, generated for the kforge benchmark fixture.", name, apiVersion)))
	g.fields(depth+1, name, g.structs[name], nil, map[string]bool{name: true})
	g.line(depth+1, "'#mixin': 'ignore',")
	g.line(depth+1, "mixin: self,")
	g.line(depth, "},")
}

// generate returns the library source: groups, versions and types in a fixed order.
func (g *libGen) generate(docUtil string) string {
	g.b.Reset()
	type gv struct{ group, version string }
	var order []gv
	kindsOf := map[gv][]kind{}
	helpersOf := map[gv][]string{}
	add := func(k gv) {
		if _, ok := kindsOf[k]; ok {
			return
		}
		if _, ok := helpersOf[k]; ok {
			return
		}
		order = append(order, k)
	}
	for _, k := range apiKinds() {
		key := gv{k.group, k.version}
		add(key)
		kindsOf[key] = append(kindsOf[key], k)
	}
	for _, h := range helperTypes() {
		key := gv{h.group, h.version}
		add(key)
		helpersOf[key] = append(helpersOf[key], h.names...)
	}
	// Group the versions under their group key, keeping first-seen order.
	var groups []string
	versions := map[string][]gv{}
	for _, k := range order {
		gk := groupKey(k.group)
		if _, ok := versions[gk]; !ok {
			groups = append(groups, gk)
		}
		versions[gk] = append(versions[gk], k)
	}

	g.line(0, "// Generated by hack/genfixture: a Kubernetes API library in the style of k8s-libsonnet,")
	g.line(0, "// written from a hand-made model of the API for benchmarking. Do not edit.")
	g.line(0, "local d = import %s;", quote(docUtil))
	g.line(0, "")
	g.line(0, "{")
	for _, gk := range groups {
		g.line(1, "%s: {", gk)
		for _, k := range versions[gk] {
			apiVersion := k.version
			if k.group != "" {
				apiVersion = k.group + "/" + k.version
			}
			g.line(2, "%s: {", k.version)
			for _, kd := range kindsOf[k] {
				g.kindObject(3, kd, apiVersion)
			}
			for _, h := range helpersOf[k] {
				g.helperObject(3, h, apiVersion)
			}
			g.line(2, "},")
		}
		g.line(1, "},")
	}
	g.line(0, "}")
	return g.b.String()
}
