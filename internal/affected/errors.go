package affected

import "fmt"

// NotRepositoryError reports that the kforge root is not inside a git work tree, so changes
// cannot be listed.
type NotRepositoryError struct {
	// Detail is git's own message, with the root written as ".".
	Detail string
}

// Error implements error.
func (e *NotRepositoryError) Error() string {
	msg := "the repository is not inside a git work tree; use --changed-files instead of --since"
	if e.Detail != "" {
		msg += " (git: " + e.Detail + ")"
	}
	return msg
}

// UnknownRevisionError reports that --since names no commit.
type UnknownRevisionError struct {
	// Ref is the revision as given.
	Ref string
}

// Error implements error.
func (e *UnknownRevisionError) Error() string {
	return fmt.Sprintf("unknown git revision %q: give a branch, tag or commit that exists locally (fetch it first in a shallow clone)", e.Ref)
}
