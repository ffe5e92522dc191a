package policy

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorKind classifies an [Error].
type ErrorKind string

// The kinds of policy errors. The CLI maps all of them to exit code 2: a policy
// that cannot be loaded, compiled or evaluated is invalid input, not a finding.
const (
	// KindLoad: a policy directory or data file could not be read or merged.
	KindLoad ErrorKind = "load"
	// KindCompile: a .rego file does not parse or compile (strict mode, restricted built-ins).
	KindCompile ErrorKind = "compile"
	// KindRuntime: evaluation failed (conflicting rule outputs, built-in type errors,
	// a finding of the wrong shape).
	KindRuntime ErrorKind = "runtime"
	// KindTimeout: evaluation exceeded Options.Timeout.
	KindTimeout ErrorKind = "timeout"
)

// Error is a policy error that names the place it comes from: the .rego or data
// file and line when known, otherwise the environment and resource.
type Error struct {
	// Kind says which stage failed.
	Kind ErrorKind
	// File is the repository-relative, slash-separated path of the offending file, if known.
	File string
	// Line and Column locate the problem in File (1-based; 0 when unknown).
	Line, Column int
	// Environment is the environment being evaluated (runtime and timeout errors).
	Environment string
	// Resource identifies the manifest being evaluated by conftest-style rules, if any.
	Resource string
	// Message describes the problem.
	Message string
	// Err is the underlying cause, if any.
	Err error
}

// Error renders "file:line:col: message", prefixed with the environment and
// resource for evaluation errors.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Environment != "" {
		b.WriteString(e.Environment)
		if e.Resource != "" {
			b.WriteString(" (")
			b.WriteString(e.Resource)
			b.WriteString(")")
		}
		b.WriteString(": ")
	}
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(&b, ":%d", e.Column)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errors is a list of policy errors reported together, e.g. every compile
// error of a run. errors.As finds each *Error in it.
type Errors []*Error

// Error renders one error per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes the individual errors to errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// KindOf returns the kind of the first *Error in err's chain, or "" if there is none.
func KindOf(err error) ErrorKind {
	if pe, ok := errors.AsType[*Error](err); ok {
		return pe.Kind
	}
	return ""
}
