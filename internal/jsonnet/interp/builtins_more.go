package interp

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	gojsonnet "github.com/google/go-jsonnet"
)

// moreBuiltins adds the builtins of the text, number, hash, encoding and manifest families.
func moreBuiltins(add func(name string, params []string, fn func(m *machine, args []value) value, defaults ...value)) {
	add("escapeStringJson", []string{"str_"}, func(m *machine, a []value) value {
		return quoted(m.toString(a[0]))
	})

	add("mantissa", []string{"x"}, num1(func(x float64) float64 { f, _ := math.Frexp(x); return f }))
	add("exponent", []string{"x"}, num1(func(x float64) float64 { _, e := math.Frexp(x); return float64(e) }))
	add("isEven", []string{"x"}, numTest(func(x float64) bool { return math.Mod(intPart(x), 2) == 0 }))
	add("isOdd", []string{"x"}, numTest(func(x float64) bool { return math.Mod(intPart(x), 2) != 0 }))
	add("isInteger", []string{"x"}, numTest(func(x float64) bool { return fracPart(x) == 0 }))
	add("isDecimal", []string{"x"}, numTest(func(x float64) bool { return fracPart(x) != 0 }))

	add("md5", []string{"s"}, hexDigest(func(b []byte) []byte { h := md5.Sum(b); return h[:] }))
	add("sha1", []string{"s"}, hexDigest(func(b []byte) []byte { h := sha1.Sum(b); return h[:] }))
	add("sha256", []string{"s"}, hexDigest(func(b []byte) []byte { h := sha256.Sum256(b); return h[:] }))
	add("sha512", []string{"s"}, hexDigest(func(b []byte) []byte { h := sha512.Sum512(b); return h[:] }))
	add("sha3", []string{"s"}, hexDigest(func(b []byte) []byte { h := sha3.Sum512(b); return h[:] }))

	add("lstripChars", []string{"str", "chars"}, func(m *machine, a []value) value {
		return m.stripLeft(m.str(a[0], "std.lstripChars"), a[1])
	})
	add("rstripChars", []string{"str", "chars"}, func(m *machine, a []value) value {
		return m.stripRight(m.str(a[0], "std.rstripChars"), a[1])
	})
	add("stripChars", []string{"str", "chars"}, func(m *machine, a []value) value {
		return m.stripRight(m.stripLeft(m.str(a[0], "std.stripChars"), a[1]), a[1])
	})
	add("splitLimitR", []string{"str", "c", "maxsplits"}, bSplitLimitR)
	add("equalsIgnoreCase", []string{"str1", "str2"}, func(m *machine, a []value) value {
		return strings.EqualFold(m.str(a[0], "std.equalsIgnoreCase"), m.str(a[1], "std.equalsIgnoreCase"))
	})

	add("base64", []string{"input"}, bBase64)
	add("base64Decode", []string{"str"}, func(m *machine, a []value) value {
		return validString(string(base64Bytes(m, a[0])))
	})
	add("base64DecodeBytes", []string{"str"}, func(m *machine, a []value) value {
		return bytesArray(base64Bytes(m, a[0]))
	})
	add("decodeUTF8", []string{"arr"}, func(m *machine, a []value) value {
		arr := m.arr(a[0], "std.decodeUTF8")
		b := make([]byte, len(arr.elems))
		for i, el := range arr.elems {
			n := m.int32(m.force(el))
			if n < 0 || n > 255 {
				fail("Bytes must be integers in range [0, 255], got %d", n)
			}
			b[i] = byte(n)
		}
		return validString(string(b))
	})

	add("parseInt", []string{"str"}, func(m *machine, a []value) value {
		s := m.str(a[0], "std.parseInt")
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			fail("%s is not a base 10 integer", s)
		}
		return float64(n)
	})
	add("parseJson", []string{"str"}, func(m *machine, a []value) value {
		var v any
		if err := json.Unmarshal([]byte(m.str(a[0], "std.parseJson")), &v); err != nil {
			fail("failed to parse JSON: %v", err)
		}
		return fromJSON(v)
	})
	add("parseYaml", []string{"str"}, func(m *machine, a []value) value {
		return parseYAML(m.str(a[0], "std.parseYaml"))
	})

	add("manifestJsonEx", []string{"value", "indent", "newline", "key_val_sep"}, bManifestJSONEx, nil, nil, "\n", ": ")
	add("manifestTomlEx", []string{"value", "indent"}, func(m *machine, a []value) value {
		o, ok := a[0].(*object)
		if !ok {
			fail("TOML body must be an object. Got %s", typeName(a[0]))
		}
		t := &tomlWriter{m: m, indent: m.str(a[1], "std.manifestTomlEx")}
		return t.table(o, nil, "", m.limit)
	})
	add("manifestYamlDoc", []string{"value", "indent_array_in_object", "quote_keys"}, func(m *machine, a []value) value {
		y := &yamlWriter{m: m}
		y.indentArrays = m.boolean(a[1], "std.manifestYamlDoc")
		y.quoteKeys = m.boolean(a[2], "std.manifestYamlDoc")
		y.write(a[0], "", m.limit)
		return y.b.String()
	}, nil, false, true)

	add("minArray", []string{"arr", "keyF", "onEmpty"}, func(m *machine, a []value) value {
		return extremum(m, a, 1)
	}, nil, idFunction, noValue)
	add("maxArray", []string{"arr", "keyF", "onEmpty"}, func(m *machine, a []value) value {
		return extremum(m, a, -1)
	}, nil, idFunction, noValue)
	add("avg", []string{"arr"}, func(m *machine, a []value) value {
		arr := m.arr(a[0], "std.avg")
		if len(arr.elems) == 0 {
			fail("Cannot calculate average of an empty array.")
		}
		sum := 0.0
		for _, el := range arr.elems {
			sum += m.number(m.force(el), "std.avg")
		}
		avg := sum / float64(len(arr.elems))
		if math.IsInf(avg, 0) || math.IsNaN(avg) {
			// go-jsonnet's sum is unchecked: it goes on with an infinite or NaN number.
			unsupported("std.avg of a sum that overflows")
		}
		return avg
	})
}

// numTest lifts a predicate on numbers to a builtin, as go-jsonnet's liftNumericToBoolean.
func numTest(f func(float64) bool) func(m *machine, a []value) value {
	return func(m *machine, a []value) value { return f(m.number(a[0], "std.isX")) }
}

// intPart is x without its fraction (math.Modf's integral part).
func intPart(x float64) float64 { i, _ := math.Modf(x); return i }

// fracPart is x's fraction (math.Modf's fractional part).
func fracPart(x float64) float64 { _, f := math.Modf(x); return f }

// hexDigest makes a hash builtin: the hex digest of the string's UTF-8 bytes.
func hexDigest(sum func([]byte) []byte) func(m *machine, a []value) value {
	return func(m *machine, a []value) value {
		return hex.EncodeToString(sum([]byte(m.str(a[0], "hash"))))
	}
}

// quoted is s as go-jsonnet's unparseString writes it (escapeStringJson is the same escaping).
func quoted(s string) string {
	var b strings.Builder
	writeQuoted(&b, s)
	return b.String()
}

// isMember is go-jsonnet's rawMember for the one-character string c: whether chars (a string
// or an array) holds it.
func (m *machine) isMember(chars value, c string) bool {
	switch x := chars.(type) {
	case string:
		return strings.Contains(x, c)
	case *array:
		for _, el := range x.elems {
			if m.equals(m.force(el), c) {
				return true
			}
		}
		return false
	}
	fail("std.member first argument must be an array or a string")
	return false
}

// stripLeft drops the leading characters of s that chars holds; chars is only looked at
// while s is not empty.
func (m *machine) stripLeft(s string, chars value) string {
	for s != "" {
		_, size := utf8.DecodeRuneInString(s)
		if !m.isMember(chars, s[:size]) {
			break
		}
		s = s[size:]
	}
	return s
}

// stripRight drops the trailing characters of s that chars holds.
func (m *machine) stripRight(s string, chars value) string {
	for s != "" {
		_, size := utf8.DecodeLastRuneInString(s)
		if !m.isMember(chars, s[len(s)-size:]) {
			break
		}
		s = s[:len(s)-size]
	}
	return s
}

// bSplitLimitR splits from the right: it counts the separators from the left, caps the count
// at maxsplits, then cuts that many times at the last separator, as go-jsonnet does.
func bSplitLimitR(m *machine, a []value) value {
	s, c, limit := splitArgs(m, a, "std.splitLimitR")
	n := strings.Count(s, c)
	if limit != -1 && n > limit {
		n = limit
	}
	out := make([]value, n+1)
	for i := n; i > 0; i-- {
		at := strings.LastIndex(s, c)
		if at < 0 {
			unsupported("std.splitLimitR ran out of separators")
		}
		out[i] = s[at+len(c):]
		s = s[:at]
	}
	out[0] = s
	return &array{elems: out}
}

// bBase64 encodes a string (its UTF-8 bytes, every character being at most U+00FF) or an
// array of bytes.
func bBase64(m *machine, a []value) value {
	var data []byte
	switch x := a[0].(type) {
	case string:
		for _, r := range x {
			if r > 255 {
				fail("base64 encountered invalid codepoint value in the array (must be 0 <= X <= 255), got %d", r)
			}
		}
		data = []byte(x)
	case *array:
		data = make([]byte, 0, len(x.elems))
		for _, el := range x.elems {
			n := m.int32(m.force(el))
			if n < 0 || n > 255 {
				fail("base64 encountered invalid codepoint value in the array (must be 0 <= X <= 255), got %d", n)
			}
			data = append(data, byte(n))
		}
	default:
		fail("base64 can only base64 encode strings / arrays of single bytes, got %s", typeName(a[0]))
	}
	return base64.StdEncoding.EncodeToString(data)
}

// base64Bytes decodes the string v; its length must be a multiple of 4.
func base64Bytes(m *machine, v value) []byte {
	s := m.str(v, "std.base64Decode")
	if len(s)%4 != 0 {
		fail("input string appears not to be a base64 encoded string. Wrong length found (%d)", len(s))
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		fail("failed to decode: %s", err)
	}
	return b
}

// bytesArray is an array of the numbers of b's bytes.
func bytesArray(b []byte) *array {
	out := make([]value, len(b))
	for i, c := range b {
		out[i] = float64(c)
	}
	return &array{elems: out}
}

// parseYAML is std.parseYaml: go-jsonnet's own YAML document reader, its documents as an
// array when the text is a stream (has a "---" marker), else the only document, null when
// there is none.
func parseYAML(s string) (v value) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(*Decline); ok {
				panic(r)
			}
			// The YAML library panicked; go-jsonnet would panic too.
			unsupported("std.parseYaml: YAML library panic: %v", r)
		}
	}()
	d := gojsonnet.NewYAMLToJSONDecoder(strings.NewReader(s))
	var docs []any
	for {
		var doc any
		err := d.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail("failed to parse YAML: %v", err)
		}
		docs = append(docs, doc)
	}
	switch {
	case len(docs) == 0:
		return null
	case d.IsStream():
		return fromJSON(docs)
	}
	return fromJSON(docs[0])
}

// checkDepth fails where go-jsonnet's manifest builtins give up on nesting: they allow as
// many levels as the stack has frames.
func checkDepth(depth int) {
	if depth <= 0 {
		fail("max manifest depth exceeded, possible infinite recursion")
	}
}

// jsonExWriter writes std.manifestJsonEx's text: strings as encoding/json writes them
// (without HTML escaping), numbers in the shortest plain decimal form.
type jsonExWriter struct {
	m                      *machine
	indent, newline, kvSep string
	b                      strings.Builder
	enc                    bytes.Buffer
	// encoder writes the strings plainJSONString refuses into enc.
	encoder *json.Encoder
}

// bManifestJSONEx is std.manifestJsonEx(value, indent, newline, key_val_sep).
func bManifestJSONEx(m *machine, a []value) value {
	w := &jsonExWriter{m: m}
	w.indent = m.str(a[1], "std.manifestJsonEx")
	w.newline = m.str(a[2], "std.manifestJsonEx")
	w.kvSep = m.str(a[3], "std.manifestJsonEx")
	w.write(a[0], "", m.limit)
	return w.b.String()
}

// writeString writes s as go-jsonnet's jsonEncode does (encoding/json without HTML
// escaping). A string with nothing encoding/json escapes is written as is; any other goes
// through encoding/json itself.
func (w *jsonExWriter) writeString(s string) {
	if plainJSONString(s) {
		w.b.WriteByte('"')
		w.b.WriteString(s)
		w.b.WriteByte('"')
		return
	}
	w.enc.Reset()
	if w.encoder == nil {
		w.encoder = json.NewEncoder(&w.enc)
		w.encoder.SetEscapeHTML(false)
	}
	if err := w.encoder.Encode(s); err != nil {
		unsupported("std.manifestJsonEx: %v", err)
	}
	w.b.Write(bytes.TrimRight(w.enc.Bytes(), "\n"))
}

// plainJSONString reports whether encoding/json (without HTML escaping) writes s unchanged
// between quotes: valid UTF-8 without control characters, '"', '\\', U+2028 or U+2029.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == 0xe2 {
			// 0xe2 starts U+2028 and U+2029 (and other characters: checked by encoding/json).
			return false
		}
	}
	return utf8.ValidString(s)
}

// write writes v, nested depth levels deep at most, its lines indented by cindent.
func (w *jsonExWriter) write(v value, cindent string, depth int) {
	checkDepth(depth)
	switch v := v.(type) {
	case nullValue:
		w.b.WriteString("null")
	case bool:
		w.b.WriteString(strconv.FormatBool(v))
	case float64:
		w.b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	case string:
		w.writeString(v)
	case *array:
		inner := cindent + w.indent
		w.b.WriteString("[" + w.newline)
		for i, el := range v.elems {
			if i > 0 {
				w.b.WriteString("," + w.newline)
			}
			w.b.WriteString(inner)
			w.write(w.m.force(el), inner, depth-1)
		}
		w.b.WriteString(w.newline + cindent + "]")
	case *object:
		inner := cindent + w.indent
		w.b.WriteString("{" + w.newline)
		for i, name := range w.m.fieldNames(v, false) {
			fv := w.m.field(v, name)
			if i > 0 {
				w.b.WriteString("," + w.newline)
			}
			w.b.WriteString(inner)
			w.writeString(name)
			w.b.WriteString(w.kvSep)
			w.write(fv, inner, depth-1)
		}
		w.b.WriteString(w.newline + cindent + "}")
	default:
		fail("tried to manifest function")
	}
}

// tomlWriter renders std.manifestTomlEx: an object is a table whose plain fields come first,
// then its sub-tables (object fields) and arrays of tables (non-empty arrays of objects).
type tomlWriter struct {
	m      *machine
	indent string
}

// isSection is whether v is rendered as a table or an array of tables.
func (t *tomlWriter) isSection(v value) bool {
	switch v := v.(type) {
	case *object:
		return true
	case *array:
		if len(v.elems) == 0 {
			return false
		}
		for _, el := range v.elems {
			if _, ok := t.m.force(el).(*object); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// table renders the body of the table o at path.
func (t *tomlWriter) table(o *object, path []string, cindent string, depth int) string {
	checkDepth(depth)
	var lines []string
	sections := []string{""}
	for _, name := range t.m.fieldNames(o, false) {
		v := t.m.field(o, name)
		sub := slices.Concat(path, []string{name})
		if !t.isSection(v) {
			line := tomlKey(name) + " = " + t.value(v, false, "", depth-1)
			lines = append(lines, strings.Split(line, "\n")...)
			continue
		}
		checkDepth(depth - 1)
		if x, ok := v.(*object); ok {
			sections = append(sections, t.header(x, "[", sub, cindent, depth-2))
			continue
		}
		elems := v.(*array).elems
		parts := make([]string, len(elems))
		for i, el := range elems {
			parts[i] = t.header(t.m.force(el).(*object), "[[", sub, cindent, depth-2)
		}
		sections = append(sections, strings.Join(parts, "\n\n"))
	}
	res := ""
	if len(lines) > 0 {
		res = cindent
	}
	return res + strings.Join(lines, "\n"+cindent) + strings.Join(sections, "\n\n")
}

// header renders the table o under its header line, [path] or [[path]]; depth is the one
// its body is rendered with.
func (t *tomlWriter) header(o *object, open string, path []string, cindent string, depth int) string {
	keys := make([]string, len(path))
	for i, p := range path {
		keys[i] = tomlKey(p)
	}
	h := cindent + open + strings.Join(keys, ".") + strings.Repeat("]", len(open))
	if len(t.m.fieldNames(o, false)) > 0 {
		h += "\n"
	}
	return h + t.table(o, path, cindent+t.indent, depth)
}

// value renders a value that is not a section; inline inside an array or inline table.
func (t *tomlWriter) value(v value, inline bool, cindent string, depth int) string {
	checkDepth(depth)
	switch v := v.(type) {
	case nullValue:
		fail("Tried to manifest \"null\"")
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return string(appendNumber(nil, v))
	case string:
		return quoted(v)
	case *array:
		if len(v.elems) == 0 {
			return "[]"
		}
		inner, sep := cindent+t.indent, "\n"
		if inline {
			inner, sep = "", " "
		}
		var b strings.Builder
		b.WriteString("[" + sep)
		for i, el := range v.elems {
			if i > 0 {
				b.WriteString("," + sep)
			}
			b.WriteString(inner)
			b.WriteString(t.value(t.m.force(el), true, "", depth-1))
		}
		b.WriteString(sep)
		if inline {
			b.WriteString(cindent)
		}
		b.WriteString("]")
		return b.String()
	case *object:
		var fields []string
		for _, name := range t.m.fieldNames(v, false) {
			fv := t.m.field(v, name)
			fields = append(fields, tomlKey(name)+" = "+t.value(fv, true, "", depth-1))
		}
		return "{ " + strings.Join(fields, ", ") + " }"
	}
	fail("Tried to manifest function")
	return ""
}

// tomlKey is a key bare when it is made of ASCII letters, digits, '-' and '_', else quoted.
func tomlKey(s string) string {
	if s == "" {
		return "''"
	}
	for _, c := range s {
		if !isASCIIAlnum(c) && c != '-' && c != '_' {
			return quoted(s)
		}
	}
	return s
}

// isASCIIAlnum is whether c is an ASCII letter or digit.
func isASCIIAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// yamlWriter renders std.manifestYamlDoc. A function renders as nothing, as in go-jsonnet.
type yamlWriter struct {
	m                       *machine
	b                       strings.Builder
	indentArrays, quoteKeys bool
}

// write writes v, nested depth levels deep at most, its lines indented by cindent.
func (y *yamlWriter) write(v value, cindent string, depth int) {
	checkDepth(depth)
	switch v := v.(type) {
	case nullValue:
		y.b.WriteString("null")
	case bool:
		y.b.WriteString(strconv.FormatBool(v))
	case float64:
		y.b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	case string:
		switch {
		case v == "":
			y.b.WriteString(`""`)
		case strings.HasSuffix(v, "\n"):
			y.b.WriteString("|")
			for _, line := range strings.Split(v[:len(v)-1], "\n") {
				y.b.WriteString("\n" + cindent + "  " + line)
			}
		default:
			writeQuoted(&y.b, v)
		}
	case *array:
		if len(v.elems) == 0 {
			y.b.WriteString("[]")
			return
		}
		for i, el := range v.elems {
			if i > 0 {
				y.b.WriteString("\n" + cindent)
			}
			ev := y.m.force(el)
			y.b.WriteString("-")
			if a, ok := ev.(*array); ok && len(a.elems) > 0 {
				y.b.WriteString("\n" + cindent + "  ")
			} else {
				y.b.WriteString(" ")
			}
			inner := cindent
			switch ev.(type) {
			case *array, *object:
				inner += "  "
			}
			y.write(ev, inner, depth-1)
		}
	case *object:
		names := y.m.fieldNames(v, false)
		if len(names) == 0 {
			y.b.WriteString("{}")
			return
		}
		for i, name := range names {
			fv := y.m.field(v, name)
			if i > 0 {
				y.b.WriteString("\n" + cindent)
			}
			if y.quoteKeys || !yamlBareSafe(name) {
				writeQuoted(&y.b, name)
			} else {
				y.b.WriteString(name)
			}
			y.b.WriteString(":")
			inner := cindent
			switch x := fv.(type) {
			case *array:
				if len(x.elems) == 0 {
					y.b.WriteString(" ")
					break
				}
				y.b.WriteString("\n" + cindent)
				if y.indentArrays {
					y.b.WriteString("  ")
					inner += "  "
				}
			case *object:
				if len(y.m.fieldNames(x, false)) == 0 {
					y.b.WriteString(" ")
					break
				}
				y.b.WriteString("\n" + cindent + "  ")
				inner += "  "
			default:
				y.b.WriteString(" ")
			}
			y.write(fv, inner, depth-1)
		}
	}
}

// YAML plain scalars that would not read back as the string they are (go-jsonnet's list).
var (
	yamlReserved = []string{
		"true", "false", "yes", "no", "on", "off", "y", "n",
		".nan", "-.inf", "+.inf", ".inf", "null",
		"-", "---", "''",
	}
	yamlTimestamp = regexp.MustCompile(`^(?:[0-9]*-){2}[0-9]*$`)
	yamlBinary    = regexp.MustCompile(`^[-+]?0b[0-1_]+$`)
	// yamlHex is unanchored in go-jsonnet: "0x" followed by a hex digit anywhere counts.
	yamlHex = regexp.MustCompile(`[-+]?0x[0-9a-fA-F_]+`)
)

// yamlBareSafe is whether the key s may be written unquoted.
func yamlBareSafe(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !isASCIIAlnum(c) && c != '_' && c != '-' && c != '/' && c != '.' {
			return false
		}
	}
	for _, r := range yamlReserved {
		if strings.EqualFold(s, r) {
			return false
		}
	}
	if yamlTimestamp.MatchString(s) || yamlBinary.MatchString(s) || yamlHex.MatchString(s) {
		return false
	}
	if _, err := strconv.Atoi(s); err == nil {
		return false
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return false
	}
	return true
}

// extremum is std.minArray (sign 1) and std.maxArray (sign -1): the first element whose key
// no other key beats, every element forced and keyed in order.
func extremum(m *machine, a []value, sign int) value {
	arr := m.arr(a[0], "std.minArray")
	f := m.fn(a[1], "std.minArray")
	if len(arr.elems) == 0 {
		if a[2] == noValue {
			fail("Expected at least one element in array. Got none")
		}
		return a[2]
	}
	best := m.force(arr.elems[0])
	bestKey := m.callValues(f, arr.elems[0])
	for _, el := range arr.elems[1:] {
		cur := m.force(el)
		key := m.callValues(f, el)
		if m.compare(bestKey, key)*sign > 0 {
			best, bestKey = cur, key
		}
	}
	return best
}
