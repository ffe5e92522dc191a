package golden

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"sigs.k8s.io/yaml"
)

// minLeak is the shortest secret value (or line of one) looked for elsewhere in a Secret.
const minLeak = 8

// Placeholder returns the stable stand-in shown instead of a secret value:
// "<masked sha256:" + the first 8 hex digits of the value's SHA-256 + ">". The same value always
// gives the same placeholder, so a change of value still shows as a changed line.
func Placeholder(value string) string {
	sum := sha256.Sum256([]byte(value))
	return "<masked sha256:" + hex.EncodeToString(sum[:4]) + ">"
}

// MaskSecret returns the YAML of a Secret with every value of data and stringData replaced by
// its [Placeholder], leaving every other line as it was so that diffs stay readable. Block
// scalars, folded and quoted multi-line values are replaced whole. When the text is not in a
// shape the masker can prove it handled — invalid YAML, duplicate keys, flow-style data,
// comments inside data, a value that also appears elsewhere in the document (an annotation or
// an anchor) — the whole document is replaced by one placeholder instead. It never returns a
// secret value.
func MaskSecret(content []byte) []byte {
	var obj map[string]any
	if err := yaml.Unmarshal(content, &obj); err != nil || obj == nil {
		return maskWhole(content)
	}
	want := map[string]map[string]string{}
	var values []string
	for _, sec := range [...]string{"data", "stringData"} {
		v, ok := obj[sec]
		if !ok || v == nil {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return maskWhole(content)
		}
		want[sec] = make(map[string]string, len(m))
		for k, val := range m {
			s := valueString(val)
			want[sec][k] = Placeholder(s)
			values = append(values, s)
			if sec == "data" {
				if dec, err := base64.StdEncoding.DecodeString(s); err == nil {
					values = append(values, string(dec))
				}
			}
		}
	}
	if len(want) == 0 {
		return content
	}
	out, rest, err := maskText(content, want)
	if err != nil || leaks(rest, values) || !verifyMasked(out, obj, want) {
		return maskWhole(content)
	}
	return out
}

// valueString is the text a placeholder is computed from.
func valueString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// maskWhole replaces a whole document that could not be masked value by value.
func maskWhole(content []byte) []byte {
	return []byte("# Secret masked as a whole: its values could not be masked one by one\nmasked: " + Placeholder(string(content)) + "\n")
}

// leaks reports whether a secret value, or a line of one, of at least minLeak bytes appears in
// rest, the text outside the masked sections.
func leaks(rest []byte, values []string) bool {
	for _, v := range values {
		for _, line := range strings.Split(v, "\n") {
			line = strings.TrimSpace(line)
			if len(line) >= minLeak && bytes.Contains(rest, []byte(line)) {
				return true
			}
		}
	}
	return false
}

// verifyMasked parses the masked text and checks that the masked sections hold exactly the
// expected placeholders and that nothing else changed.
func verifyMasked(out []byte, orig map[string]any, want map[string]map[string]string) bool {
	var got map[string]any
	if err := yaml.Unmarshal(out, &got); err != nil || len(got) != len(orig) {
		return false
	}
	for k, v := range orig {
		placeholders, masked := want[k]
		if !masked {
			if !reflect.DeepEqual(v, got[k]) {
				return false
			}
			continue
		}
		m, ok := got[k].(map[string]any)
		if !ok || len(m) != len(placeholders) {
			return false
		}
		for key, ph := range placeholders {
			if m[key] != ph {
				return false
			}
		}
	}
	return true
}

// errUnmaskable says that the text masker met a shape it does not handle.
var errUnmaskable = errors.New("unmaskable")

// maskText replaces, line by line, the values below the top-level keys in want. It returns the
// masked text and the text outside those sections (rest), for the leak check.
func maskText(content []byte, want map[string]map[string]string) (out, rest []byte, err error) {
	lines := strings.SplitAfter(string(content), "\n")
	var o, r strings.Builder
	done := map[string]int{}
	for i := 0; i < len(lines); {
		line := lines[i]
		if line == "" {
			i++
			continue
		}
		sec, ok := sectionStart(line, want)
		if !ok {
			o.WriteString(line)
			r.WriteString(line)
			i++
			continue
		}
		if _, seen := done[sec]; seen {
			return nil, nil, errUnmaskable
		}
		o.WriteString(line)
		r.WriteString(line)
		i++
		n, next, err := maskSection(lines, i, want[sec], &o)
		if err != nil {
			return nil, nil, err
		}
		done[sec] = n
		i = next
	}
	for sec, keys := range want {
		if done[sec] != len(keys) {
			return nil, nil, errUnmaskable
		}
	}
	return []byte(o.String()), []byte(r.String()), nil
}

// sectionStart reports whether line opens one of the sections in want ("data:" at column 0
// with nothing after it). A section written in flow style makes the document unmaskable,
// which the caller finds out because the section's keys are then never masked.
func sectionStart(line string, want map[string]map[string]string) (string, bool) {
	if indent(line) != 0 {
		return "", false
	}
	key, value, ok := splitKey(strings.TrimRight(line, "\r\n"))
	if !ok {
		return "", false
	}
	if _, wanted := want[key]; !wanted || strings.TrimSpace(value) != "" {
		return "", false
	}
	return key, true
}

// maskSection masks the block mapping that starts at lines[i], writing to o. It returns the
// number of keys masked and the index of the first line after the section.
func maskSection(lines []string, i int, placeholders map[string]string, o *strings.Builder) (int, int, error) {
	child := -1
	masked := 0
	for i < len(lines) {
		line := lines[i]
		if blank(line) {
			o.WriteString(line)
			i++
			continue
		}
		ind := indent(line)
		if ind == 0 {
			break
		}
		if child < 0 {
			child = ind
		}
		if ind != child {
			return 0, 0, errUnmaskable
		}
		key, _, ok := splitKey(strings.TrimRight(line[ind:], "\r\n"))
		ph, known := placeholders[key]
		if !ok || !known {
			return 0, 0, errUnmaskable
		}
		rawKey := strings.TrimRight(line[ind:], "\r\n")
		rawKey = rawKey[:keyEnd(rawKey)]
		o.WriteString(line[:ind] + rawKey + ": " + ph + "\n")
		masked++
		i++
		// The value's continuation: deeper lines, and blank lines followed by deeper ones.
		for i < len(lines) {
			if blank(lines[i]) {
				j := i
				for j < len(lines) && blank(lines[j]) {
					j++
				}
				if j < len(lines) && indent(lines[j]) > child {
					i = j
					continue
				}
				break
			}
			if indent(lines[i]) <= child {
				break
			}
			i++
		}
	}
	return masked, i, nil
}

// splitKey splits a block-mapping line (without indentation) into its decoded key and the text
// after "key:". It handles plain, single- and double-quoted keys and rejects explicit "? " keys.
func splitKey(s string) (key, value string, ok bool) {
	end := keyEnd(s)
	if end <= 0 || end >= len(s) || s[end] != ':' {
		return "", "", false
	}
	raw, after := s[:end], s[end+1:]
	if after != "" && after[0] != ' ' {
		return "", "", false
	}
	if raw[0] == '"' || raw[0] == '\'' {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(raw+": 0"), &m); err != nil || len(m) != 1 {
			return "", "", false
		}
		for k := range m {
			key = k
		}
		return key, after, true
	}
	if strings.HasPrefix(raw, "? ") || strings.HasPrefix(raw, "- ") || strings.HasPrefix(raw, "#") {
		return "", "", false
	}
	return strings.TrimRight(raw, " "), after, true
}

// keyEnd returns the index of the ':' that ends the key of a block-mapping line, -1 if none.
func keyEnd(s string) int {
	if s == "" {
		return -1
	}
	switch s[0] {
	case '"':
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				if i+1 < len(s) && s[i+1] == ':' {
					return i + 1
				}
				return -1
			}
		}
		return -1
	case '\'':
		for i := 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				if i+1 < len(s) && s[i+1] == ':' {
					return i + 1
				}
				return -1
			}
		}
		return -1
	}
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ') {
			return i
		}
	}
	return -1
}

func indent(line string) int {
	return len(line) - len(strings.TrimLeft(line, " "))
}

func blank(line string) bool {
	return strings.TrimSpace(line) == ""
}

// looksLikeSecret reports a top-level "kind: Secret" line, for content that cannot be parsed.
func looksLikeSecret(content []byte) bool {
	for _, line := range bytes.Split(content, []byte("\n")) {
		switch string(bytes.TrimRight(line, " \r")) {
		case "kind: Secret", `kind: "Secret"`, "kind: 'Secret'":
			return true
		}
	}
	return false
}
