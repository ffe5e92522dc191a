package cli

import (
	"errors"
	"fmt"
)

// Exit codes of kforge, documented in `kforge --help` and the README.
const (
	// ExitClean means no findings and no drift.
	ExitClean = 0
	// ExitFindings means policy or schema findings, or golden drift.
	ExitFindings = 1
	// ExitInvalid means invalid input, a usage error, an evaluation error or a broken policy.
	ExitInvalid = 2
	// ExitNotFormatted means `kforge fmt --test` found files that are not formatted: tk fmt's
	// exit status for it, kept so that scripts written for tk keep working.
	ExitNotFormatted = 16
)

// quietExitError ends the run with its exit code without an "Error:" line: the command already
// printed what it had to (fmt --test lists the files, as tk does).
type quietExitError struct{ code int }

func (e *quietExitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// findingsError reports that a command completed but found problems (exit 1). Its report has
// already been written, so the message is a one-line summary.
type findingsError struct{ summary string }

func (e *findingsError) Error() string { return e.summary }

func findingsErrorf(format string, args ...any) error {
	return &findingsError{summary: fmt.Sprintf(format, args...)}
}

// usageError is a wrong command line (exit 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// ExitCode maps an error returned by Run to kforge's exit code: nil is 0, findings and drift are
// 1, everything else (invalid input, usage, evaluation, policy compile errors) is 2.
func ExitCode(err error) int {
	if err == nil {
		return ExitClean
	}
	var f *findingsError
	if errors.As(err, &f) {
		return ExitFindings
	}
	var q *quietExitError
	if errors.As(err, &q) {
		return q.code
	}
	return ExitInvalid
}
