package environment

import (
	"fmt"
	"strconv"
	"strings"
)

// SpecError reports an environment object that cannot be used: invalid JSON
// in spec.json, a field of the wrong type, a missing name.
type SpecError struct {
	// File is the repository-relative spec.json, or the entrypoint whose
	// output held an inline environment.
	File string
	// Line and Column locate the error in spec.json (1-based); 0 when
	// unknown, and always for inline environments.
	Line, Column int
	// Object is the JSON path of an inline environment in the entrypoint's
	// output (".envs.prod"), empty for spec.json.
	Object string
	// Field is the dotted field the error is about, empty for the whole
	// document.
	Field string
	// Message says what is wrong, naming the field.
	Message string
}

// Error implements error.
func (e *SpecError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column))
	}
	if e.Object != "" {
		b.WriteString(": environment " + e.Object)
	}
	b.WriteString(": " + e.Message)
	return b.String()
}

// SelectError reports an environment argument or --name value that selects
// nothing or more than one environment.
type SelectError struct {
	// Arg is the argument as given ("prod", "--name prod").
	Arg string
	// Ambiguous is set when several environments match and one was needed.
	Ambiguous bool
	// Candidates are the matching environments when Ambiguous, else the
	// available ones.
	Candidates []string
	// Reason adds detail, e.g. why a path matched nothing.
	Reason string
}

// Error implements error.
func (e *SelectError) Error() string {
	var msg string
	if e.Ambiguous {
		msg = fmt.Sprintf("%s is ambiguous: it matches %s", e.Arg, strings.Join(e.Candidates, ", "))
	} else {
		msg = fmt.Sprintf("no environment matches %s", e.Arg)
		if e.Reason != "" {
			msg += ": " + e.Reason
		}
		if len(e.Candidates) > 0 {
			msg += " (available: " + strings.Join(e.Candidates, ", ") + ")"
		} else {
			msg += " (no environments available)"
		}
	}
	return msg
}

// DuplicateError reports two environments that would share a golden
// directory.
type DuplicateError struct {
	// Slug is the shared golden directory name.
	Slug string
	// First and Second describe the two environments ("name (entrypoint)").
	First, Second string
}

// Error implements error.
func (e *DuplicateError) Error() string {
	return fmt.Sprintf("environments %s and %s share the golden directory name %q: rename one", e.First, e.Second, e.Slug)
}

// MultipleInlineError reports a path whose entrypoint defines several inline environments, given
// without --name: as in tk, one of them must be picked.
type MultipleInlineError struct {
	// Path is the entrypoint, repository-relative.
	Path string
	// Names are the environments' names, sorted.
	Names []string
}

// Error implements error.
func (e *MultipleInlineError) Error() string {
	return fmt.Sprintf("found multiple Environments in %q: use --name to select a single one (or --all, or their slugs):\n - %s",
		e.Path, strings.Join(e.Names, "\n - "))
}
