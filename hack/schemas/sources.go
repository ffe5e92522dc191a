package main

// kubeRelease pins the k8s.io/kubernetes release whose api/openapi-spec/v3 documents describe
// one Kubernetes minor version.
type kubeRelease struct {
	minor   string // "1.33"
	version string // "v1.33.13"
}

// crdSource pins a Go module that ships CustomResourceDefinitions as data, and the files or
// directories inside it that hold them. Documents of other kinds in those files are skipped.
type crdSource struct {
	module  string
	version string
	paths   []string // files, or directories whose *.yaml files are read
}

// kubernetesModule is the module that ships the Kubernetes OpenAPI documents.
const kubernetesModule = "k8s.io/kubernetes"

// kubeReleases are the supported Kubernetes versions, oldest first: the newest patch release
// of each minor version that the module proxy serves.
func kubeReleases() []kubeRelease {
	return []kubeRelease{
		{minor: "1.29", version: "v1.29.6"},
		{minor: "1.30", version: "v1.30.14"},
		{minor: "1.31", version: "v1.31.14"},
		{minor: "1.32", version: "v1.32.13"},
		{minor: "1.33", version: "v1.33.13"},
		{minor: "1.34", version: "v1.34.4"},
		{minor: "1.35", version: "v1.35.4"},
		{minor: "1.36", version: "v1.36.3"},
		{minor: "1.37", version: "v1.37.2"},
	}
}

// crdSources are the custom resource definitions of the stack kforge renders. Newer tags of
// several of these modules need a newer Go than the project's: keep the pins.
func crdSources() []crdSource {
	return []crdSource{
		{module: "istio.io/api", version: "v1.32.0", paths: []string{"kubernetes/customresourcedefinitions.gen.yaml"}},
		{module: "github.com/argoproj/argo-rollouts", version: "v1.10.1", paths: []string{"manifests/crds"}},
		{module: "github.com/dapr/dapr", version: "v1.14.0", paths: []string{"charts/dapr/crds"}},
		{module: "github.com/argoproj/argo-cd/v3", version: "v3.5.7", paths: []string{"manifests/crds"}},
		{module: "github.com/fluxcd/kustomize-controller", version: "v1.9.6", paths: []string{"config/crd/bases"}},
		{module: "github.com/fluxcd/source-controller", version: "v1.9.6", paths: []string{"config/crd/bases"}},
		{module: "vitess.io/vitess", version: "v0.24.4", paths: []string{"examples/operator/operator.yaml"}},
	}
}
