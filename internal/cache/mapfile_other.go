//go:build !unix

package cache

import (
	"errors"
	"os"
)

// mapFile is not offered here: on Windows a mapped file could not be replaced or pruned while
// the process runs. The memo is read instead.
func mapFile(*os.File, int) ([]byte, error) {
	return nil, errors.ErrUnsupported
}
