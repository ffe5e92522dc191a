package schema

import "embed"

// generated holds the data `make schemas` (hack/schemas) copies out of the Go module cache. It is
// committed, so `go build` and `go install` work from any clone or module download; a test in
// hack/schemas fails when it no longer matches the pinned sources.
//
//go:embed generated
var generated embed.FS
