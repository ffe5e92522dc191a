// Package schema checks rendered objects against their schemas, fully offline: built-in kinds
// against the Kubernetes OpenAPI v3 documents of the configured Kubernetes version, custom
// resources against their CustomResourceDefinition (CEL rules included). It is the first half of
// the validate stage; policies come after it.
//
// The schema data is embedded in the binary. `make schemas` (hack/schemas) copies it out of the Go
// module cache into the committed generated/ directory; the
// TidbCluster schema, which no Go module ships, is kforge's own (crds/). Users add definitions with
// Options.CRDDirs, and the definitions an environment renders are used for that environment
// (Validator.AddCRDs).
//
// Each object is checked the way the API server would check it: unknown fields (as with
// fieldValidation=Strict), types, required fields, enums, patterns and formats, list-map keys,
// CEL rules (x-kubernetes-validations), object metadata, and quantities. Every problem is a Finding
// with a stable KF-SCHEMA id and the field path. Schemas load once per run; the validator of each
// kind is built on first use and shared by all goroutines.
package schema
