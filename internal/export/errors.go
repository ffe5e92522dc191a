package export

import (
	"fmt"
	"strings"
)

// NotEmptyError reports an export into a directory that already holds files without a merge
// strategy (exit code 2).
type NotEmptyError struct {
	// Dir is the export directory as given.
	Dir string
}

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("export into %s: directory not empty: pass a merge strategy (fail-on-conflicts or replace-envs) or replace it", e.Dir)
}

// ConflictError reports exported files that would overwrite files kforge does not own
// (exit code 2). Nothing was written.
type ConflictError struct {
	// Dir is the export directory as given.
	Dir string
	// Paths are the conflicting paths relative to Dir, sorted.
	Paths []string
}

func (e *ConflictError) Error() string {
	shown := e.Paths
	more := ""
	if len(shown) > 5 {
		more = fmt.Sprintf(" and %d more", len(shown)-5)
		shown = shown[:5]
	}
	return fmt.Sprintf("export into %s: %d file(s) already exist: %s%s", e.Dir, len(e.Paths), strings.Join(shown, ", "), more)
}

// UnsafeDirError reports a directory kforge will not replace or remove because it holds
// something that is not kforge output (exit code 2).
type UnsafeDirError struct {
	// Dir is the directory as shown to the user.
	Dir string
	// Reason names the first entry that is not kforge output.
	Reason string
}

func (e *UnsafeDirError) Error() string {
	return fmt.Sprintf("refuse to replace %s: %s", e.Dir, e.Reason)
}
