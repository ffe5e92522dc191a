package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
)

// withoutPath drops the absolute path an *fs.PathError carries, so that the message names only
// the path the user gave.
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
