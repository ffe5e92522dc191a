package manifest

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// slowDecode is encoding/json's decoding, as decode did before decodeFast.
func slowDecode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errTrailing
	}
	return v, nil
}

var errTrailing = &Error{Path: ".", Reason: "trailing data"}

// checkFast fails unless decodeFast agrees with encoding/json on b: the same value when it
// accepts b, and it never accepts what encoding/json rejects.
func checkFast(t *testing.T, b []byte) {
	t.Helper()
	fast, ok := decodeFast(b)
	slow, err := slowDecode(b)
	if !ok {
		return // decode falls back to encoding/json: nothing to compare
	}
	if err != nil {
		t.Fatalf("decodeFast accepted %q, encoding/json rejects it: %v", b, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("decodeFast(%q) = %#v, encoding/json gives %#v", b, fast, slow)
	}
}

func TestDecodeFast(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		wantOK bool
	}{
		{"object", `{"a": 1, "b": [true, false, null], "c": {"d": "e"}}`, true},
		{"repeated key keeps the last", `{"a": 1, "a": 2}`, true},
		{"numbers keep their text", `[0, -0, 1.50, 1e3, 1E+3, -2.5e-7, 12345678901234567890]`, true},
		{"escapes", `"a\"b\\c\/d\b\f\n\r\t\u00e9\u2028"`, true},
		{"UTF-8", `"h\u00e9llo wörld ✓ 𝄞"`, true},
		{"empty containers", `{"a": {}, "b": []}`, true},
		{"whitespace around", " \t\r\n{}\n ", true},
		{"surrogate pair goes to encoding/json", `"\ud834\udd1e"`, false},
		{"lone surrogate goes to encoding/json", `"\ud834"`, false},
		{"invalid UTF-8 goes to encoding/json", "\"a\xffb\"", false},
		{"trailing data", `{} {}`, false},
		{"trailing comma", `[1,]`, false},
		{"leading zero", `01`, false},
		{"bare minus", `-`, false},
		{"missing exponent digits", `1e`, false},
		{"control character", "\"a\nb\"", false},
		{"unknown escape", `"\x"`, false},
		{"short unicode escape", `"\u12"`, false},
		{"truncated", `{"a": [1, 2`, false},
		{"empty", ``, false},
		{"bad literal", `nul`, false},
		{"too deep", strings.Repeat("[", maxFastDepth+1) + strings.Repeat("]", maxFastDepth+1), false},
		{"deep enough", strings.Repeat("[", maxFastDepth) + strings.Repeat("]", maxFastDepth), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := decodeFast([]byte(tt.in)); ok != tt.wantOK {
				t.Fatalf("decodeFast(%q) ok = %v, want %v", tt.in, ok, tt.wantOK)
			}
			checkFast(t, []byte(tt.in))
			// decode gives encoding/json's value or error whichever path it takes.
			got, gotErr := decode([]byte(tt.in))
			want, wantErr := slowDecode([]byte(tt.in))
			if (gotErr == nil) != (wantErr == nil) || (gotErr == nil && !reflect.DeepEqual(got, want)) {
				t.Fatalf("decode(%q) = %#v, %v; encoding/json gives %#v, %v", tt.in, got, gotErr, want, wantErr)
			}
		})
	}
}

// TestDecodeFastGenerated compares decodeFast with encoding/json on generated documents: random
// values written by encoding/json (which escapes like go-jsonnet for most text) and by hand
// with random whitespace, escapes and number forms.
func TestDecodeFastGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 22))
	for i := range 3000 {
		v := genValue(r, 0)
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		checkFast(t, b)
		if _, ok := decodeFast(b); !ok {
			t.Fatalf("document %d: decodeFast declined well-formed output %q", i, b)
		}
		var sb strings.Builder
		writeRandomJSON(r, &sb, v)
		checkFast(t, []byte(sb.String()))
	}
}

var genAlphabet = []rune("aZ09 -_.:/\"\\\t\n\u00e9\u2028✓𝄞\x01\x7f")

func genString(r *rand.Rand) string {
	n := r.IntN(12)
	rs := make([]rune, n)
	for i := range rs {
		rs[i] = genAlphabet[r.IntN(len(genAlphabet))]
	}
	return string(rs)
}

func genValue(r *rand.Rand, depth int) any {
	k := r.IntN(8)
	if depth > 4 {
		k = r.IntN(5)
	}
	switch k {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return json.Number(strconv.FormatFloat((r.Float64()-0.5)*1e6, 'g', -1, 64))
	case 3:
		return json.Number(strconv.Itoa(r.IntN(2000) - 1000))
	case 4:
		return genString(r)
	case 5, 6:
		m := map[string]any{}
		for range r.IntN(5) {
			m[genString(r)] = genValue(r, depth+1)
		}
		return m
	default:
		a := []any{}
		for range r.IntN(5) {
			a = append(a, genValue(r, depth+1))
		}
		return a
	}
}

// writeRandomJSON writes v as JSON with random whitespace, \u escapes of some characters and
// repeated keys.
func writeRandomJSON(r *rand.Rand, sb *strings.Builder, v any) {
	ws := func() {
		for range r.IntN(3) {
			sb.WriteByte(" \t\r\n"[r.IntN(4)])
		}
	}
	ws()
	switch v := v.(type) {
	case map[string]any:
		sb.WriteByte('{')
		first := true
		for k, e := range v {
			for range 1 + r.IntN(2) { // sometimes a key twice
				if !first {
					sb.WriteByte(',')
				}
				first = false
				ws()
				writeRandomString(r, sb, k)
				ws()
				sb.WriteByte(':')
				writeRandomJSON(r, sb, e)
			}
		}
		ws()
		sb.WriteByte('}')
	case []any:
		sb.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeRandomJSON(r, sb, e)
		}
		ws()
		sb.WriteByte(']')
	case string:
		writeRandomString(r, sb, v)
	default:
		b, _ := json.Marshal(v)
		sb.Write(b)
	}
	ws()
}

func writeRandomString(r *rand.Rand, sb *strings.Builder, s string) {
	sb.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(c)
		case c < 0x20 || r.IntN(8) == 0:
			if c > 0xffff {
				sb.WriteRune(c)
			} else {
				sb.WriteString(`\u` + strconv.FormatInt(int64(c)+0x10000, 16)[1:])
			}
		case c == '/' && r.IntN(2) == 0:
			sb.WriteString(`\/`)
		default:
			sb.WriteRune(c)
		}
	}
	sb.WriteByte('"')
}

// FuzzDecodeFast checks decodeFast against encoding/json on arbitrary input.
func FuzzDecodeFast(f *testing.F) {
	for _, s := range []string{`{"a":[1,-2.5e3,"x\u00e9\n"],"b":{"c":null,"d":true}}`, `"\ud834\udd1e"`, "[1,]", `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > fuzzMaxInput {
			return
		}
		checkFast(t, b)
	})
}
