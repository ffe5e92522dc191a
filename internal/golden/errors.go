package golden

import "fmt"

// PathError reports a file path that kforge refuses to write (exit code 2 at the CLI).
type PathError struct {
	// Path is the offending environment-relative path, as given.
	Path string
	// Resource is the resource the path belongs to, when known.
	Resource string
	// Reason says what is wrong with it.
	Reason string
}

func (e *PathError) Error() string {
	if e.Resource == "" {
		return fmt.Sprintf("invalid file path %q: %s", e.Path, e.Reason)
	}
	return fmt.Sprintf("invalid file path %q for resource %s: %s", e.Path, e.Resource, e.Reason)
}
