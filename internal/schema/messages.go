package schema

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	openapierrors "k8s.io/kube-openapi/pkg/validation/errors"
)

// classified is a schema validator error turned into a finding's id, path and message.
type classified struct {
	id, path, msg string
}

// openAPIFinding classifies one error of the kube-openapi validator and rewrites its message to
// name the field path the way kubectl does and to show the offending value.
func openAPIFinding(err error, data map[string]any) classified {
	verr, ok := err.(*openapierrors.Validation)
	if !ok {
		return classified{id: RuleInvalidValue, msg: err.Error()}
	}
	path, value, found := locate(data, verr.Name)
	shown := path
	if shown == "" {
		shown = "(object)"
	}
	switch verr.Code() {
	case openapierrors.RequiredFailCode:
		return classified{id: RuleRequired, path: path, msg: shown + ": required field is missing"}
	case openapierrors.InvalidTypeCode:
		want, _ := verr.Valid.(string)
		if want == "" {
			want = typeFromMessage(verr.Error())
		}
		return classified{id: RuleWrongType, path: path, msg: fmt.Sprintf("%s: must be %s, found %s", shown, article(want), describe(value, found))}
	case openapierrors.EnumFailCode:
		allowed := make([]string, len(verr.Values))
		for i, v := range verr.Values {
			allowed[i] = formatValue(v)
		}
		return classified{id: RuleInvalidValue, path: path, msg: fmt.Sprintf("%s: %s is not one of %s", shown, describe(value, found), strings.Join(allowed, ", "))}
	}
	// Pattern, format, length, range, item and property counts, uniqueness, combinators: the
	// validator's own wording names the constraint; show the value with it.
	detail := strings.TrimSpace(strings.Replace(verr.Error(), " in body", "", 1))
	detail = strings.TrimPrefix(detail, strings.TrimPrefix(verr.Name, "."))
	detail = strings.TrimSpace(detail)
	msg := fmt.Sprintf("%s: %s", shown, detail)
	if found && isScalar(value) {
		msg += fmt.Sprintf(" (found %s)", formatValue(value))
	}
	return classified{id: RuleInvalidValue, path: path, msg: msg}
}

var typeInMessage = regexp.MustCompile(`must be of type ([a-z]+)`)

func typeFromMessage(msg string) string {
	if m := typeInMessage.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return "of another type"
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

// locate turns a kube-openapi error name ("spec.template.spec.containers.0.ports.0.containerPort",
// with map keys that may contain dots) into a field path with indices in brackets
// ("spec.template.spec.containers[0].ports[0].containerPort") by walking data along it, and returns
// the value found there.
func locate(data map[string]any, name string) (path string, value any, found bool) {
	name = strings.TrimPrefix(name, ".")
	if name == "" {
		return "", data, true
	}
	segs := strings.Split(name, ".")
	var b strings.Builder
	var cur any = data
	ok := true
	for i := 0; i < len(segs); {
		switch c := cur.(type) {
		case []any:
			n, err := strconv.Atoi(segs[i])
			if err != nil || n < 0 || n >= len(c) {
				ok = false
				break
			}
			fmt.Fprintf(&b, "[%d]", n)
			cur = c[n]
			i++
			continue
		case map[string]any:
			// Longest run of segments that is a key: map keys such as annotation names hold dots.
			matched := 0
			for j := len(segs); j > i; j-- {
				if _, has := c[strings.Join(segs[i:j], ".")]; has {
					matched = j - i
					break
				}
			}
			if matched == 0 {
				ok = false
				break
			}
			key := strings.Join(segs[i:i+matched], ".")
			writeKey(&b, key)
			cur = c[key]
			i += matched
			continue
		default:
			ok = false
		}
		if !ok {
			// The rest is not in the data (a missing required field): keep the names as they are.
			for _, s := range segs[i:] {
				writeKey(&b, s)
			}
			return b.String(), nil, false
		}
	}
	return b.String(), cur, true
}

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
