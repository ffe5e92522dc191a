package cli

import (
	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/schema"
)

// schemaFlags control the structural validation of rendered objects against the Kubernetes
// OpenAPI documents and CRDs embedded in kforge.
type schemaFlags struct {
	// kubeVersion is the Kubernetes version of the built-in schemas; empty takes kforge.yaml's.
	kubeVersion string
	// crds are extra CustomResourceDefinition files or directories.
	crds []string
	// locations are extra schema directories or files: CRDs and kubeconform-style JSON schemas.
	locations []string
	// strict makes a kind without a schema an error.
	strict bool
	// off skips schema validation.
	off bool
}

func (f *schemaFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&f.kubeVersion, "kube-version", "", "Kubernetes version of the built-in schemas, 1.29 to 1.37, e.g. 1.33 (default: kforge.yaml kubernetesVersion)")
	fs.StringArrayVar(&f.crds, "crds", nil, "extra CustomResourceDefinitions, a file or a directory (repeatable)")
	fs.StringArrayVar(&f.locations, "schema-location", nil, "extra schemas, a directory or file of CRD YAML or kubeconform-style JSON schemas ({kind}-{group}-{version}.json, {kind}_{version}.json) (repeatable; also kforge.yaml schemaLocations)")
	fs.BoolVar(&f.strict, "strict-schemas", false, "a kind without a schema is an error, not a warning")
	fs.BoolVar(&f.off, "no-schemas", false, "skip schema validation (policies only)")
}

// load builds the validator once per run; nil when --no-schemas. proj may be nil (manifests
// outside a repository).
func (f *schemaFlags) load(proj *project.Project, wd string) (*schema.Validator, error) {
	if f.off {
		return nil, nil
	}
	return pipeline.LoadSchemas(pipeline.SchemaOptions{
		Project: proj, WorkDir: wd, KubeVersion: f.kubeVersion, CRDs: f.crds, SchemaLocations: f.locations, Strict: f.strict,
	})
}
