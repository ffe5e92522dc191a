package jsonnet

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// Kind classifies an evaluation error.
type Kind string

// The kinds of evaluation error.
const (
	// KindSyntax is a parse or static-analysis error (also when it is found in an imported file).
	KindSyntax Kind = "syntax"
	// KindRuntime is an error raised while evaluating: error expressions, failed asserts,
	// type errors, native function failures, exceeding the stack limit.
	KindRuntime Kind = "runtime"
	// KindImport is an import that cannot be satisfied: not found, a directory, unreadable.
	KindImport Kind = "import"
	// KindSandbox is an attempt to read outside the repository root or a non-regular file.
	KindSandbox Kind = "sandbox"
)

// maxPrintedFrames bounds the stack trace printed by Error.Error; the full trace stays in
// Error.Trace.
const maxPrintedFrames = 20

// Frame is one entry of a Jsonnet stack trace.
type Frame struct {
	// File is the repository-relative file of the frame, a pseudo file such as "<std>" or
	// "<extvar:name>", or "" for frames without a source position.
	File string
	// Line and Column are 1-based; zero when the frame has no source position.
	Line, Column int
	// Name is go-jsonnet's description of the frame: "function <f>", "object <anonymous>",
	// or, for frames without a source position, what was being done ("Field \"a\"",
	// "During manifestation").
	Name string
}

// String renders the frame as "file:line:col\tname", or just the name without a position.
func (f Frame) String() string {
	if f.Line == 0 {
		return f.Name
	}
	pos := f.File + ":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
	if f.Name == "" {
		return pos
	}
	return pos + "\t" + f.Name
}

// Error is an evaluation error with a repository-relative position. Every error returned by
// VM.EvaluateFile and VM.EvaluateSnippet is an *Error.
type Error struct {
	// Kind says what went wrong.
	Kind Kind
	// File is the repository-relative file the error points at ("" when unknown).
	File string
	// Line and Column are 1-based; zero when the error has no position inside File.
	Line, Column int
	// Message describes the error, without position.
	Message string
	// Trace is the Jsonnet stack, innermost frame first (empty for syntax errors in the
	// evaluated file itself).
	Trace []Frame
}

// Position returns "file:line:col", "file" or "" depending on what is known.
func (e *Error) Position() string {
	switch {
	case e.File == "":
		return ""
	case e.Line == 0:
		return e.File
	default:
		return e.File + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column)
	}
}

// Error renders "file:line:col: message" followed by the Jsonnet stack trace, one
// tab-indented frame per line (long traces are shortened in the middle).
func (e *Error) Error() string {
	var b strings.Builder
	if pos := e.Position(); pos != "" {
		b.WriteString(pos)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	frames := e.Trace
	for i := 0; i < len(frames); i++ {
		if len(frames) > maxPrintedFrames && i == maxPrintedFrames/2 {
			omitted := len(frames) - maxPrintedFrames
			fmt.Fprintf(&b, "\n\t... (%d frames omitted)", omitted)
			i += omitted - 1
			continue
		}
		b.WriteString("\n\t")
		b.WriteString(frames[i].String())
	}
	return b.String()
}

// stdFile is go-jsonnet's name for its standard library source.
const stdFile = "<std>"

// staticError is the method set of go-jsonnet's (internal) StaticError type.
type staticError interface {
	error
	Loc() ast.LocationRange
}

// nestedStaticRE matches the message go-jsonnet builds when an imported file does not parse:
// the static error's location followed by its message.
var nestedStaticRE = regexp.MustCompile(`(?s)^(.+?):(?:(\d+):(\d+)(?:-\d+)?|\((\d+):(\d+)\)-\(\d+:\d+\)) (.*)$`)

// convertError turns an error from go-jsonnet into an *Error. file is the evaluated file
// (or snippet name), used when the error carries no position; maxStack is the configured
// stack limit, quoted in stack overflow messages.
func (imp *importer) convertError(err error, file string, maxStack int) *Error {
	var rte gojsonnet.RuntimeError
	if errors.As(err, &rte) {
		return imp.convertRuntime(rte, file, maxStack)
	}
	var se staticError
	if errors.As(err, &se) {
		loc := se.Loc()
		out := &Error{Kind: KindSyntax, File: file, Message: staticMessage(se)}
		if loc.IsSet() {
			out.File = locationFile(loc)
			out.Line, out.Column = loc.Begin.Line, loc.Begin.Column
		}
		return out
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "(CRASH)") {
		// go-jsonnet recovered a panic and appended a Go stack: keep only the panic value.
		first, _, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(msg, "(CRASH)")), "\n")
		msg = "the jsonnet evaluator crashed: " + first
	}
	return &Error{Kind: KindRuntime, File: file, Message: msg}
}

func (imp *importer) convertRuntime(rte gojsonnet.RuntimeError, file string, maxStack int) *Error {
	out := &Error{Kind: KindRuntime, File: file, Message: rte.Msg}
	// go-jsonnet lists the outermost frame first; report the innermost first, as jsonnet does.
	for i := len(rte.StackTrace) - 1; i >= 0; i-- {
		out.Trace = append(out.Trace, convertFrame(rte.StackTrace[i]))
	}
	// The position is the innermost frame with a source position, preferring user code over
	// the parts of the standard library written in Jsonnet.
	for _, f := range out.Trace {
		if f.Line != 0 && f.File != stdFile {
			out.File, out.Line, out.Column = f.File, f.Line, f.Column
			break
		}
	}
	if out.Line == 0 {
		for _, f := range out.Trace {
			if f.Line != 0 {
				out.File, out.Line, out.Column = f.File, f.Line, f.Column
				break
			}
		}
	}
	if kind, ok := imp.failureKind(rte.Msg); ok {
		out.Kind = kind
		return out
	}
	if m := nestedStaticRE.FindStringSubmatch(rte.Msg); m != nil && imp.loaded(m[1]) {
		// A syntax error in an imported file: point at it; the trace shows the import site.
		line, col := m[2], m[3]
		if line == "" {
			line, col = m[4], m[5]
		}
		out.Kind = KindSyntax
		out.File = m[1]
		out.Line, _ = strconv.Atoi(line)
		out.Column, _ = strconv.Atoi(col)
		out.Message = m[6]
		return out
	}
	if rte.Msg == "max stack frames exceeded." {
		out.Message = fmt.Sprintf("max stack frames exceeded (limit %d): infinite recursion?", maxStack)
	}
	return out
}

func convertFrame(tf gojsonnet.TraceFrame) Frame {
	if !tf.Loc.IsSet() {
		// Frames without a position carry their description in FileName.
		name := tf.Loc.FileName
		if tf.Name != "" {
			name = strings.TrimSpace(name + " " + tf.Name)
		}
		return Frame{Name: name}
	}
	return Frame{
		File:   locationFile(tf.Loc),
		Line:   tf.Loc.Begin.Line,
		Column: tf.Loc.Begin.Column,
		Name:   tf.Name,
	}
}

// locationFile is the file a location points into: its diagnostic name, which the importer
// makes repository-relative. Every name of `import 'tk'` reads "<tk>", whichever an engine
// gave it.
func locationFile(loc ast.LocationRange) string {
	name := loc.FileName
	if loc.File != nil && loc.File.DiagnosticFileName != "" {
		name = string(loc.File.DiagnosticFileName)
	}
	if isTkName(name) {
		return tkFoundAt
	}
	return name
}

// staticMessage strips the location prefix go-jsonnet puts in front of a static error.
func staticMessage(se staticError) string {
	msg := se.Error()
	loc := se.Loc()
	if loc.IsSet() {
		msg = strings.TrimPrefix(msg, loc.String())
	}
	return strings.TrimSpace(msg)
}
