package cache

import "fmt"

// StaleError reports that Put refused an entry because a file the evaluation read no longer
// has the recorded content: it changed while the environment was being rendered, so the
// output may not match either version. The next run renders it again.
type StaleError struct {
	// Path is the repository-relative file.
	Path string
}

// Error implements error.
func (e *StaleError) Error() string {
	return fmt.Sprintf("%s changed during the evaluation; the output is not cached", e.Path)
}
