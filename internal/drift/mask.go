package drift

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"sigs.k8s.io/yaml"
)

// minLeak is the shortest secret value (or line of one) looked for elsewhere in a Secret.
const minLeak = 8

// The placeholders shown instead of secret values. They are constants: nothing about a value
// (no hash, no length) can be read from them. A diff still shows which values changed, because
// [MaskSecretPair] masks a value that differs between the two versions with MaskedOld on the
// old side and MaskedNew on the new side, and every other value with Masked.
const (
	// Masked stands for a value that is the same in both versions, or is in only one of them.
	Masked = "<masked>"
	// MaskedOld stands for the old version of a value that changed.
	MaskedOld = "<masked, old value>"
	// MaskedNew stands for the new version of a value that changed.
	MaskedNew = "<masked, new value>"
)

// wholeComment heads a Secret masked as a whole.
const wholeComment = "# Secret masked as a whole: its values could not be masked one by one\n"

// MaskSecret returns the YAML of a Secret with every value of data and stringData replaced by
// [Masked], leaving every other line as it was. See [MaskSecretPair] for how values are found,
// and for masking two versions of a Secret so that a diff shows which values changed.
func MaskSecret(content []byte) []byte {
	doc, ok := parseSecret(content)
	return maskWith(content, doc, ok, doc.leakValues(), func(string, string) string { return Masked }, Masked)
}

// MaskSecretPair masks an old and a new version of a Secret (oldDoc, newDoc) for a diff.
// Every value of data and stringData is replaced by a placeholder, leaving every other line as
// it was so that diffs stay readable; block scalars, folded and quoted multi-line values are
// replaced whole. A key whose value differs between the versions becomes [MaskedOld] in the old
// version and [MaskedNew] in the new one; a key with the same value in both, or present in only
// one, becomes [Masked]. Values are compared as parsed YAML, so a change of quoting alone masks
// to equal lines.
//
// When a version is not in a shape the masker can prove it handled — invalid YAML, duplicate
// keys, flow-style data, comments inside data, a value of either version (or its base64
// decoding) that also appears elsewhere in the document, such as in an annotation or an
// anchor — that whole document is replaced by one "masked:" line instead, which reads
// MaskedOld and MaskedNew when the two documents differ in any way and Masked when they are
// equal. The result is deterministic and never contains a secret value or anything derived
// from one.
func MaskSecretPair(oldDoc, newDoc []byte) (maskedOld, maskedNew []byte) {
	od, oOK := parseSecret(oldDoc)
	nd, nOK := parseSecret(newDoc)
	changed := func(sec, key string) bool {
		if !oOK || !nOK {
			return false
		}
		ov, inOld := od.values[sec][key]
		nv, inNew := nd.values[sec][key]
		return inOld && inNew && ov != nv
	}
	placeholder := func(ifChanged string) func(sec, key string) string {
		return func(sec, key string) string {
			if changed(sec, key) {
				return ifChanged
			}
			return Masked
		}
	}
	wholeOld, wholeNew := Masked, Masked
	if !bytes.Equal(oldDoc, newDoc) {
		wholeOld, wholeNew = MaskedOld, MaskedNew
	}
	// A value that was secret in either version stays secret in the other.
	values := append(od.leakValues(), nd.leakValues()...)
	maskedOld = maskWith(oldDoc, od, oOK, values, placeholder(MaskedOld), wholeOld)
	maskedNew = maskWith(newDoc, nd, nOK, values, placeholder(MaskedNew), wholeNew)
	return maskedOld, maskedNew
}

// secretDoc is a parsed Secret: the document and the text of each value by section and key.
type secretDoc struct {
	obj    map[string]any
	values map[string]map[string]string
}

// parseSecret parses content and collects the values of data and stringData. It reports false
// when the content is not YAML or a section is not a mapping: such a document is masked whole.
func parseSecret(content []byte) (secretDoc, bool) {
	var obj map[string]any
	if err := yaml.Unmarshal(content, &obj); err != nil || obj == nil {
		return secretDoc{}, false
	}
	doc := secretDoc{obj: obj, values: map[string]map[string]string{}}
	for _, sec := range [...]string{"data", "stringData"} {
		v, ok := obj[sec]
		if !ok || v == nil {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return secretDoc{}, false
		}
		doc.values[sec] = make(map[string]string, len(m))
		for k, val := range m {
			doc.values[sec][k] = valueString(val)
		}
	}
	return doc, true
}

// leakValues lists the texts that must not appear outside the masked sections: every value and,
// for data, its base64 decoding.
func (d secretDoc) leakValues() []string {
	var out []string
	for sec, m := range d.values {
		for _, s := range m {
			out = append(out, s)
			if sec == "data" {
				if dec, err := base64.StdEncoding.DecodeString(s); err == nil {
					out = append(out, string(dec))
				}
			}
		}
	}
	return out
}

// maskWith masks one parsed document (ok false: one that did not parse), giving each value the
// placeholder chosen by placeholder, or masks it whole with the placeholder whole when it is
// not in a shape the masker can prove it handled or when one of values appears outside the
// masked sections.
func maskWith(content []byte, doc secretDoc, ok bool, values []string, placeholder func(sec, key string) string, whole string) []byte {
	if !ok {
		return maskWhole(whole)
	}
	if len(doc.values) == 0 {
		return content
	}
	want := make(map[string]map[string]string, len(doc.values))
	for sec, m := range doc.values {
		want[sec] = make(map[string]string, len(m))
		for k := range m {
			want[sec][k] = placeholder(sec, k)
		}
	}
	out, rest, err := maskText(content, want)
	if err != nil || leaks(rest, values) || !verifyMasked(out, doc.obj, want) {
		return maskWhole(whole)
	}
	return out
}

// valueString is the text a value is compared and looked for by.
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

// maskWhole is the stand-in for a whole document that could not be masked value by value.
func maskWhole(placeholder string) []byte {
	return []byte(wholeComment + "masked: " + placeholder + "\n")
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
