package schema

import "embed"

// generated holds the data `make schemas` (hack/schemas) copies out of the Go module cache. The
// directory is git-ignored: if the build stops at this line with "pattern generated: no matching
// files found", run `make schemas` (or hack/schemas.sh) once.
//
//go:embed generated
var generated embed.FS
