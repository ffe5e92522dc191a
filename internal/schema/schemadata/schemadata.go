// Package schemadata describes the layout of the schema data that `make schemas` (hack/schemas)
// writes into internal/schema/generated and that internal/schema embeds. It holds types only, so
// both the generator and the validator can use it before the data exists.
package schemadata

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
)

// FormatVersion is the version of the layout below. The generator writes it into the index and
// the validator refuses data of another version, asking for `make schemas`. Format 3 stores
// every distinct document once, content-addressed (BlobFile), and the index points at hashes.
const FormatVersion = 3

// Dir is the generated directory, relative to the repository root.
const Dir = "internal/schema/generated"

// BlobDir holds the gzip-compressed JSON documents inside Dir, each named by the Hash of its
// uncompressed content, so a document that several Kubernetes releases share is stored once.
const BlobDir = "blobs"

// Hash is the name of a blob holding data: the first 128 bits of its SHA-256, in hex.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// BlobFile is the path, relative to Dir, of the blob named hash.
func BlobFile(hash string) string {
	return path.Join(BlobDir, hash+".json.gz")
}

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
	// Documents maps an API group version ("v1", "apps/v1") to the blobs that together hold
	// the definitions its OpenAPI v3 document has: one blob per Go package of definitions
	// ("io.k8s.api.core.v1"), each an OpenAPI document with components.schemas only, without
	// description texts and keywords validation ignores. A definition name is unique within a
	// release.
	Documents map[string][]string `json:"documents"`
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
	// Blob is the hash of the blob holding its JSON (BlobFile).
	Blob string `json:"blob"`
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
