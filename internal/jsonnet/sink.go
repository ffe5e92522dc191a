package jsonnet

import (
	"bytes"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// The output sink is the fast path of evaluating a file (Options.OutputSink): instead of letting go-jsonnet
// manifest the program's value to text (a tree of Go values, then a bytes.Buffer that doubles as
// it grows, then a copy of it into the result string: for kube-prometheus a 17 MB result costs
// about 65 MB at the peak of the evaluation, and usually one more full collection of a heap near
// 200 MB), the program is wrapped in a call of a native function, which go-jsonnet hands the
// value manifested with the same manifestJSON it uses for the top level, and the tree is written
// as go-jsonnet's serializer writes it, once, into a string of the exact size.
//
// Anything the fast path does not handle exactly as the normal evaluation is left to the
// normal evaluation: top-level arguments (a top-level function is called with them), a
// top-level function (its value cannot be manifested), and every error, which go-jsonnet then
// reports with its own message and stack trace. std.trace output of the fast path is kept
// until it succeeds, so it is printed once either way. The price: a program that fails is
// evaluated twice before its error is returned (Options.OnSinkRetry tells the caller when the
// second evaluation starts; workers restart their timeout there).

// sinkNative is the name of the sink's native function: not a name a program would ask
// std.native for (it starts with a NUL byte).
const sinkNative = "\x00kforge.outputSink"

// outputSink receives the value of one evaluation.
type outputSink struct {
	// armed is set while the fast path runs; a call at any other time fails.
	armed bool
	// calls counts the calls while armed; value is the argument of the first.
	calls int
	value any
}

// sinkFunction is the native function of s.
func sinkFunction(s *outputSink) *gojsonnet.NativeFunction {
	return &gojsonnet.NativeFunction{
		Name:   sinkNative,
		Params: ast.Identifiers{"value"},
		Func: func(args []any) (any, error) {
			if !s.armed {
				return nil, errors.New("kforge's output sink is not for programs")
			}
			s.calls++
			if s.calls == 1 {
				s.value = args[0]
			}
			return nil, nil
		},
	}
}

// sinkWrap returns the program node wrapped in a call of the sink, nil when node cannot be
// wrapped. The call keeps the program's location, so std.thisFile is unchanged, and captures
// the program's free variables (the standard library), which its argument is evaluated with.
func sinkWrap(node ast.Node) ast.Node {
	target, err := gojsonnet.SnippetToAST(node.Loc().FileName, "std.native('"+sinkNative+"')")
	if err != nil {
		return nil
	}
	call := &ast.Apply{
		NodeBase:  ast.NodeBase{LocRange: *node.Loc()},
		Target:    target,
		Arguments: ast.Arguments{Positional: []ast.CommaSeparatedExpr{{Expr: node}}},
	}
	free := slices.Concat(node.FreeVariables(), target.FreeVariables())
	slices.Sort(free)
	call.SetFreeVariables(slices.Compact(free))
	return call
}

// runSink evaluates node through the output sink; ok is false when the normal evaluation must
// run instead (nothing of this attempt is visible then: std.trace output is discarded). The
// caller has prepared g as for the normal evaluation, except for its trace output.
func (e *engine) runSink(cfg *config, node ast.Node) (out string, ok bool) {
	if len(cfg.tlaVars) > 0 || len(cfg.tlaCode) > 0 {
		return "", false
	}
	wrapped := sinkWrap(node)
	if wrapped == nil {
		return "", false
	}
	var trace bytes.Buffer
	if cfg.traceOut != io.Discard {
		e.g.SetTraceOut(&trace)
	}
	e.sink.armed, e.sink.calls, e.sink.value = true, 0, nil
	_, err := e.g.Evaluate(wrapped)
	e.sink.armed = false
	value, calls := e.sink.value, e.sink.calls
	e.sink.value = nil
	if err != nil || calls != 1 {
		if err != nil && strings.HasPrefix(err.Error(), "(CRASH)") {
			e.broken = true
		}
		return "", false
	}
	text, ok := serializeOutput(value)
	if !ok {
		return "", false
	}
	if trace.Len() > 0 {
		_, _ = cfg.traceOut.Write(trace.Bytes())
	}
	return text, true
}

// serializeOutput writes v (map[string]any, []any, string, float64, bool or nil, as
// go-jsonnet's manifestJSON gives them) as go-jsonnet's evaluation writes its result: three-space
// indentation, object keys sorted, "[ ]" and "{ }" when empty, its number and string syntax,
// and a final newline. ok is false for a value of another type.
func serializeOutput(v any) (string, bool) {
	n, ok := jsonSize(v, 0)
	if !ok {
		return "", false
	}
	w := jsonWriter{}
	w.b.Grow(n + 1)
	w.value(v, 0)
	w.b.WriteByte('\n')
	return w.b.String(), true
}

// jsonIndent is go-jsonnet's indentation step.
const jsonIndent = "   "

// jsonSize is the length of v written at the given depth, or false for a value of a type
// serializeOutput does not write.
func jsonSize(v any, depth int) (int, bool) {
	switch v := v.(type) {
	case nil:
		return len("null"), true
	case bool:
		if v {
			return len("true"), true
		}
		return len("false"), true
	case float64:
		var buf [32]byte
		return len(appendNumber(buf[:0], v)), true
	case string:
		return stringSize(v), true
	case []any:
		if len(v) == 0 {
			return len("[ ]"), true
		}
		// "[\n", then per element its indentation and ",\n" (the last "\n"), then the
		// closing indentation and "]".
		n := 2 + len(v)*(2+(depth+1)*len(jsonIndent)) - 1 + depth*len(jsonIndent) + 1
		for _, e := range v {
			m, ok := jsonSize(e, depth+1)
			if !ok {
				return 0, false
			}
			n += m
		}
		return n, true
	case map[string]any:
		if len(v) == 0 {
			return len("{ }"), true
		}
		n := 2 + len(v)*(2+(depth+1)*len(jsonIndent)+len(": ")) - 1 + depth*len(jsonIndent) + 1
		for k, e := range v {
			m, ok := jsonSize(e, depth+1)
			if !ok {
				return 0, false
			}
			n += stringSize(k) + m
		}
		return n, true
	}
	return 0, false
}

// jsonWriter writes serializeOutput's text.
type jsonWriter struct {
	b   strings.Builder
	num [32]byte
}

func (w *jsonWriter) indent(depth int) {
	for range depth {
		w.b.WriteString(jsonIndent)
	}
}

func (w *jsonWriter) value(v any, depth int) {
	switch v := v.(type) {
	case nil:
		w.b.WriteString("null")
	case bool:
		if v {
			w.b.WriteString("true")
		} else {
			w.b.WriteString("false")
		}
	case float64:
		w.b.Write(appendNumber(w.num[:0], v))
	case string:
		w.str(v)
	case []any:
		if len(v) == 0 {
			w.b.WriteString("[ ]")
			return
		}
		w.b.WriteString("[\n")
		for i, e := range v {
			if i > 0 {
				w.b.WriteString(",\n")
			}
			w.indent(depth + 1)
			w.value(e, depth+1)
		}
		w.b.WriteByte('\n')
		w.indent(depth)
		w.b.WriteByte(']')
	case map[string]any:
		if len(v) == 0 {
			w.b.WriteString("{ }")
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		w.b.WriteString("{\n")
		for i, k := range keys {
			if i > 0 {
				w.b.WriteString(",\n")
			}
			w.indent(depth + 1)
			w.str(k)
			w.b.WriteString(": ")
			w.value(v[k], depth+1)
		}
		w.b.WriteByte('\n')
		w.indent(depth)
		w.b.WriteByte('}')
	}
}

// appendNumber appends v as go-jsonnet writes numbers: an integral value with no fraction
// ("%.0f"), any other with 17 significant digits ("%.17g").
func appendNumber(b []byte, v float64) []byte {
	if v == math.Floor(v) {
		return strconv.AppendFloat(b, v, 'f', 0, 64)
	}
	return strconv.AppendFloat(b, v, 'g', 17, 64)
}

// needsEscape reports whether go-jsonnet writes the rune r escaped in a string.
func needsEscape(r rune) bool {
	return r == '"' || r == '\\' || r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// escapeSize is the length of r's escape sequence.
func escapeSize(r rune) int {
	switch r {
	case '"', '\\', '\b', '\f', '\n', '\r', '\t':
		return 2
	}
	return len(`\u0000`)
}

// stringSize is the length of s written by jsonWriter.str.
func stringSize(s string) int {
	n := 2
	for _, r := range s {
		switch {
		case needsEscape(r):
			n += escapeSize(r)
		default:
			// An invalid byte is written as U+FFFD, as go-jsonnet writes it.
			n += utf8.RuneLen(r)
		}
	}
	return n
}

// str writes s quoted as go-jsonnet's unparseString does: ", \ and the C0 and C1 control
// characters escaped (\b \f \n \r \t by name, the others as \u00XX in lower case), everything
// else as is, invalid UTF-8 as U+FFFD.
func (w *jsonWriter) str(s string) {
	w.b.WriteByte('"')
	start := 0
	for i, r := range s {
		plain := !needsEscape(r) && (r != utf8.RuneError || isRuneError(s[i:]))
		if plain {
			continue
		}
		w.b.WriteString(s[start:i])
		size := 1
		if r != utf8.RuneError || isRuneError(s[i:]) {
			size = utf8.RuneLen(r)
		}
		start = i + size
		switch r {
		case '"':
			w.b.WriteString(`\"`)
		case '\\':
			w.b.WriteString(`\\`)
		case '\b':
			w.b.WriteString(`\b`)
		case '\f':
			w.b.WriteString(`\f`)
		case '\n':
			w.b.WriteString(`\n`)
		case '\r':
			w.b.WriteString(`\r`)
		case '\t':
			w.b.WriteString(`\t`)
		case utf8.RuneError:
			w.b.WriteRune(utf8.RuneError)
		default:
			const hex = "0123456789abcdef"
			w.b.WriteString(`\u00`)
			w.b.WriteByte(hex[r>>4])
			w.b.WriteByte(hex[r&0xf])
		}
	}
	w.b.WriteString(s[start:])
	w.b.WriteByte('"')
}

// isRuneError reports whether s starts with an encoded U+FFFD, not an invalid byte.
func isRuneError(s string) bool {
	return strings.HasPrefix(s, "\uFFFD")
}
