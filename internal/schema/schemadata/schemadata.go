// Package schemadata describes the layout of the schema data that `make schemas` (hack/schemas)
// writes into internal/schema/generated and that internal/schema embeds. It holds types only, so
// both the generator and the validator can use it before the data exists.
package schemadata

// FormatVersion is the version of the layout below. The generator writes it into the index and
// the validator refuses data of another version, asking for `make schemas`.
const FormatVersion = 2

// Dir is the generated directory, relative to the repository root.
const Dir = "internal/schema/generated"

// IndexFile and SourcesFile are the names of the index and of the sources record inside Dir.
const (
	IndexFile   = "index.json"
	SourcesFile = "sources.json"
)

// Index lists everything the generated directory holds.
type Index struct {
	// Format is FormatVersion at generation time.
	Format int `json:"format"`
	// Key is a hash of the pinned sources and of Format: the generator does nothing when the
	// index on disk already has the key it would write.
	Key string `json:"key"`
	// Kubernetes holds one entry per pinned Kubernetes minor version, oldest first.
	Kubernetes []KubeVersion `json:"kubernetes"`
	// CRDs lists every CustomResourceDefinition, sorted by group and kind.
	CRDs []CRD `json:"crds"`
}

// KubeVersion is the OpenAPI v3 data of one Kubernetes release.
type KubeVersion struct {
	// Minor is the "major.minor" version users configure ("1.33").
	Minor string `json:"minor"`
	// Release is the k8s.io/kubernetes module version the documents come from ("v1.33.13").
	Release string `json:"release"`
	// Documents maps an API group version ("v1", "apps/v1") to its gzip-compressed OpenAPI v3
	// document, a path relative to Dir. A document keeps components.schemas only, without
	// description texts: what validation reads.
	Documents map[string]string `json:"documents"`
	// Kinds maps an API group version to its kinds and the name of each kind's component schema
	// ("Deployment" → "io.k8s.api.apps.v1.Deployment").
	Kinds map[string]map[string]string `json:"kinds"`
}

// CRD is one CustomResourceDefinition stored as gzip-compressed JSON, without the description
// texts of its schemas.
type CRD struct {
	// Name is metadata.name ("rollouts.argoproj.io").
	Name string `json:"name"`
	// Group and Kind identify the custom resources it defines.
	Group string `json:"group"`
	Kind  string `json:"kind"`
	// Versions are the names of its versions, in the CRD's order.
	Versions []string `json:"versions"`
	// File is the path of the gzip-compressed JSON relative to Dir.
	File string `json:"file"`
	// Source is "module@version/path" of the file the definition was taken from.
	Source string `json:"source"`
}

// Source records one file copied out of the Go module cache.
type Source struct {
	// Module and Version name the Go module ("istio.io/api", "v1.32.0").
	Module  string `json:"module"`
	Version string `json:"version"`
	// Path is the file's path inside the module.
	Path string `json:"path"`
	// SHA256 is the hex SHA-256 of the file as the module holds it.
	SHA256 string `json:"sha256"`
	// License is the module's licence ("Apache-2.0") and LicenseFile a copy of its text, a path
	// relative to Dir.
	License     string `json:"license"`
	LicenseFile string `json:"licenseFile"`
}
