package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	openapierrors "k8s.io/kube-openapi/pkg/validation/errors"
)

// classified is a schema validator error turned into a finding's id, path and message.
type classified struct {
	id, path, msg string
}

// jsonTypes orders the JSON types in messages.
var jsonTypes = []string{"integer", "number", "string", "boolean", "object", "array", "null"}

var (
	typeInMessage   = regexp.MustCompile(`must be of type ([a-z0-9,-]+)`)
	compositePath   = regexp.MustCompile(`^"?([^"]*)"? must validate`)
	rangeMessage    = regexp.MustCompile(`^(.+?) value must be of type ([a-z]+)(?: with format ([a-z0-9]+)| \(default format\)) in (.*)$`)
	errorNameSuffix = regexp.MustCompile(`^(.*?) in body `)
)

// classifyResult turns the errors of the kube-openapi validator into findings: one per field for
// type errors (the alternatives of an int-or-string are merged into "an integer or a string"),
// the others as they come, each naming the field path the way kubectl does and the value found.
func classifyResult(errs []error, data map[string]any) []classified {
	var out []classified
	typeWants := map[string][]string{} // path → expected JSON types
	var typeOrder []string
	composite := map[string]bool{}
	addType := func(path string, want ...string) {
		if _, ok := typeWants[path]; !ok {
			typeOrder = append(typeOrder, path)
		}
		typeWants[path] = append(typeWants[path], want...)
	}
	for _, err := range errs {
		// "x must validate at least one schema (anyOf)": the alternatives' own errors follow;
		// it is kept only when no type error at the same path explains it.
		if c, ok := err.(interface{ Code() int32 }); ok && c.Code() == openapierrors.CompositeErrorCode {
			if m := compositePath.FindStringSubmatch(err.Error()); m != nil {
				path, value, found := locate(data, m[1])
				composite[path] = true
				out = append(out, classified{RuleInvalidValue, path, fmt.Sprintf("%s: %s matches none of the allowed forms", showPath(path), describe(value, found))})
				continue
			}
		}
		if e := (*openapierrors.Validation)(nil); errors.As(err, &e) {
			path, value, found := locate(data, e.Name)
			shown := showPath(path)
			switch e.Code() {
			case openapierrors.RequiredFailCode:
				out = append(out, classified{RuleRequired, path, shown + ": required field is missing"})
			case openapierrors.UnallowedPropertyCode:
				// additionalProperties: false, in JSON schemas from a schema location.
				key := fmt.Sprint(e.Value)
				var b strings.Builder
				b.WriteString(path)
				writeKey(&b, key)
				out = append(out, classified{RuleUnknownField, b.String(), fmt.Sprintf("%s: unknown field %q", b.String(), key)})
			case openapierrors.InvalidTypeCode:
				want := ""
				if m := typeInMessage.FindStringSubmatch(e.Error()); m != nil {
					want = m[1]
				}
				if parts := strings.Split(want, ","); allJSONTypes(parts) {
					addType(path, parts...)
					continue
				}
				out = append(out, classified{RuleInvalidValue, path, fmt.Sprintf("%s: must be a valid %s, found %s", shown, want, describe(value, found))})
			case openapierrors.EnumFailCode:
				allowed := make([]string, len(e.Values))
				for i, v := range e.Values {
					allowed[i] = formatValue(v)
				}
				out = append(out, classified{RuleInvalidValue, path, fmt.Sprintf("%s: %s is not one of %s", shown, describe(value, found), strings.Join(allowed, ", "))})
			default:
				// Pattern, length, range, item and property counts, uniqueness: the validator's
				// own wording names the constraint; show the value with it.
				detail := e.Error()
				if m := errorNameSuffix.FindStringSubmatch(detail); m != nil {
					detail = strings.TrimPrefix(detail, m[0])
				}
				msg := fmt.Sprintf("%s: %s", shown, strings.TrimSpace(detail))
				if found && isScalar(value) {
					msg += fmt.Sprintf(" (found %s)", formatValue(value))
				}
				out = append(out, classified{RuleInvalidValue, path, msg})
			}
		} else {
			if m := rangeMessage.FindStringSubmatch(err.Error()); m != nil {
				path, value, found := locate(data, m[4])
				if m[1] == "Checked" && m[3] == "" {
					addType(path, m[2]) // a fraction where an integer is expected
					continue
				}
				if m[1] == "Checked" {
					out = append(out, classified{RuleQuantity, path, fmt.Sprintf("%s: %s is out of range for %s", showPath(path), describe(value, found), m[3])})
					continue
				}
			}
			out = append(out, classified{RuleInvalidValue, "", err.Error()})
		}
	}
	for _, path := range typeOrder {
		_, value, found := locate(data, path)
		out = append(out, classified{RuleWrongType, path, fmt.Sprintf("%s: must be %s, found %s", showPath(path), typeList(typeWants[path]), describe(value, found))})
	}
	// Drop what a type error at the same path already explains, and exact repeats.
	seen := map[classified]bool{}
	kept := out[:0]
	for _, c := range out {
		if _, typed := typeWants[c.path]; typed && c.id == RuleInvalidValue && composite[c.path] {
			continue
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		kept = append(kept, c)
	}
	return kept
}

func showPath(path string) string {
	if path == "" {
		return "(object)"
	}
	return path
}

func allJSONTypes(parts []string) bool {
	for _, p := range parts {
		if !slices.Contains(jsonTypes, p) {
			return false
		}
	}
	return len(parts) > 0
}

// typeList renders expected types: "an integer", "an integer or a string".
func typeList(types []string) string {
	var ordered []string
	for _, t := range jsonTypes {
		if slices.Contains(types, t) {
			ordered = append(ordered, article(t))
		}
	}
	return strings.Join(ordered, " or ")
}

func article(t string) string {
	switch t {
	case "integer", "object", "array":
		return "an " + t
	case "string", "number", "boolean":
		return "a " + t
	}
	return t
}

// describe shows a value with its JSON type: `string "three"`, `integer 3`, `object`.
func describe(v any, found bool) string {
	if !found {
		return "nothing"
	}
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string " + strconv.Quote(x)
	case bool:
		return "boolean " + strconv.FormatBool(x)
	case int64:
		return "integer " + strconv.FormatInt(x, 10)
	case float64:
		return "number " + strconv.FormatFloat(x, 'g', -1, 64)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("%v", v)
}

func isScalar(v any) bool {
	switch v.(type) {
	case string, bool, int64, float64:
		return true
	}
	return false
}

// formatValue renders a value as compact JSON.
func formatValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

// locate turns a kube-openapi error name ("spec.template.spec.containers[0].ports[0].containerPort",
// with map keys that may contain dots such as "metadata.annotations.prometheus.io/scrape") into a
// field path ("...containers[0]...", keys that are not plain names in brackets) by walking data
// along it, and returns the value found there.
func locate(data map[string]any, name string) (path string, value any, found bool) {
	name = strings.TrimPrefix(strings.TrimSpace(name), ".")
	var tokens []string
	for _, m := range nameToken.FindAllStringSubmatch(name, -1) {
		tokens = append(tokens, m[0])
	}
	var b strings.Builder
	var cur any = data
	i := 0
	for i < len(tokens) {
		tok := tokens[i]
		if strings.HasPrefix(tok, "[") {
			n, err := strconv.Atoi(strings.Trim(tok, "[]"))
			c, ok := cur.([]any)
			if err != nil || !ok || n < 0 || n >= len(c) {
				break
			}
			b.WriteString(tok)
			cur = c[n]
			i++
			continue
		}
		c, ok := cur.(map[string]any)
		if !ok {
			break
		}
		// The longest run of name tokens that is a key: keys such as annotation names hold dots.
		j := i
		for j < len(tokens) && !strings.HasPrefix(tokens[j], "[") {
			j++
		}
		matched := 0
		for k := j; k > i; k-- {
			if _, has := c[strings.Join(tokens[i:k], ".")]; has {
				matched = k - i
				break
			}
		}
		if matched == 0 {
			break
		}
		key := strings.Join(tokens[i:i+matched], ".")
		writeKey(&b, key)
		cur = c[key]
		i += matched
	}
	if i == len(tokens) {
		return b.String(), cur, true
	}
	// The rest is not in the data (a missing required field): keep the names as they are.
	for _, tok := range tokens[i:] {
		if strings.HasPrefix(tok, "[") {
			b.WriteString(tok)
		} else {
			writeKey(&b, tok)
		}
	}
	return b.String(), nil, false
}

var nameToken = regexp.MustCompile(`\[\d+\]|[^.\[\]]+`)

var plainKey = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$-]*$`)

func writeKey(b *strings.Builder, key string) {
	if !plainKey.MatchString(key) {
		fmt.Fprintf(b, "[%s]", key)
		return
	}
	if b.Len() > 0 {
		b.WriteByte('.')
	}
	b.WriteString(key)
}

// childPath extends p by a map key: a plain name as a field ("limits.cpu"), anything else in
// brackets ("labels[app.kubernetes.io/name]").
func childPath(p *field.Path, key string) *field.Path {
	if plainKey.MatchString(key) {
		return p.Child(key)
	}
	return p.Key(key)
}
