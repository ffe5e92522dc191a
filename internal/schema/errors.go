package schema

import (
	"fmt"
	"strings"
)

// DataError reports missing, incomplete or stale embedded schema data: the binary was built
// without running `make schemas` first, or from older data.
type DataError struct {
	// Reason says what is wrong.
	Reason string
}

func (e *DataError) Error() string {
	return "schema data " + e.Reason + ": run `make schemas` (hack/schemas.sh) and rebuild"
}

// VersionError reports a Kubernetes version kforge has no schemas for.
type VersionError struct {
	// Version is the requested "major.minor" version.
	Version string
	// Supported lists the versions kforge has schemas for.
	Supported []string
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("no schemas for Kubernetes %s: kforge has %s (set kubernetesVersion in kforge.yaml or --kube-version)",
		e.Version, strings.Join(e.Supported, ", "))
}

// CRDError reports a CustomResourceDefinition kforge cannot use.
type CRDError struct {
	// Source is where the definition comes from: a repository-relative file, or the environment
	// that renders it.
	Source string
	// Name is the definition's metadata.name, when known.
	Name string
	// Err is the cause.
	Err error
}

func (e *CRDError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("%s: %v", e.Source, e.Err)
	}
	return fmt.Sprintf("%s: CustomResourceDefinition %s: %v", e.Source, e.Name, e.Err)
}

// Unwrap returns the cause.
func (e *CRDError) Unwrap() error { return e.Err }

// LocationError reports a schema location (--schema-location, schemaLocations in kforge.yaml)
// kforge cannot use: missing, unreadable, holding nothing usable, or a malformed JSON schema.
type LocationError struct {
	// Path is the location or the file in it, repository-relative when inside the repository.
	Path string
	// Err is the cause.
	Err error
}

func (e *LocationError) Error() string {
	return fmt.Sprintf("schema location %s: %v", e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *LocationError) Unwrap() error { return e.Err }
