package helm

import (
	"encoding/json"
	"errors"
	"fmt"
)

// DefaultNameFormat is Tanka's default template for the keys of helmTemplate's result.
const DefaultNameFormat = `{{ print .kind "_" .metadata.name | snakecase }}`

// DefaultKubeVersion is .Capabilities.KubeVersion when the kubeVersion option is not given:
// the Kubernetes release of the k8s.io modules kforge is built with (v0.37 → v1.37.0), as a
// Helm 4.3 binary reports by default.
const DefaultKubeVersion = "v1.37.0"

// Options are helmTemplate's third argument. Keys match case-insensitively and unknown keys
// are ignored, as Tanka decodes them with encoding/json.
type Options struct {
	// CalledFrom is the file calling helmTemplate; the chart path is relative to its
	// directory. Required.
	CalledFrom string `json:"calledFrom"`
	// NameFormat is the text/template (with sprig) that names each object in the result;
	// empty means DefaultNameFormat.
	NameFormat string `json:"nameFormat"`
	// Values are the chart's values (`helm template --values`).
	Values map[string]any `json:"values"`
	// APIVersions are added to .Capabilities.APIVersions (`--api-versions`, each entry may
	// hold several, comma separated).
	APIVersions []string `json:"apiVersions"`
	// IncludeCRDs emits the chart's crds/ files (`--include-crds`); true unless set false.
	IncludeCRDs bool `json:"includeCrds"`
	// SkipTests drops test hooks (`--skip-tests`).
	SkipTests bool `json:"skipTests"`
	// KubeVersion is .Capabilities.KubeVersion (`--kube-version`); empty means
	// DefaultKubeVersion.
	KubeVersion string `json:"kubeVersion"`
	// Namespace is .Release.Namespace (`--namespace`); empty means "default".
	Namespace string `json:"namespace"`
	// NoHooks drops hooks, tests included (`--no-hooks`).
	NoHooks bool `json:"noHooks"`
}

// ParseOptions decodes helmTemplate's opts argument (as go-jsonnet hands it over) the way
// Tanka does: through JSON, includeCrds defaulting to true, calledFrom required.
func ParseOptions(raw any) (Options, error) {
	data, err := json.Marshal(raw)
	if err != nil {
		return Options{}, fmt.Errorf("encode opts: %w", err)
	}
	opts := Options{IncludeCRDs: true}
	if err := json.Unmarshal(data, &opts); err != nil {
		return Options{}, fmt.Errorf("opts: %w", err)
	}
	if opts.CalledFrom == "" {
		return Options{}, errors.New("opts.calledFrom is unset or empty: it names the file calling helmTemplate, " +
			"whose directory the chart path is relative to (pass std.thisFile)")
	}
	return opts, nil
}
