package helm

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"helm.sh/helm/v4/pkg/chart/common"
	commonutil "helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
)

// defaultNamespace is .Release.Namespace without the namespace option: Tanka never passes
// the environment's namespace to Helm.
const defaultNamespace = "default"

// notesSuffix names the chart notes, which `helm template` does not print.
const notesSuffix = "NOTES.txt"

// renderStream renders the chart loaded from cf as `helm template NAME CHART --values -`
// with opts' flags would, and returns what that command prints: the CRDs (includeCrds),
// the manifests, then the hooks (unless noHooks; tests unless skipTests), each document
// headed by "---" and a "# Source:" comment.
func renderStream(ctx context.Context, cf *chartFiles, name string, opts Options) (string, error) {
	ch, err := cf.load()
	if err != nil {
		return "", err
	}
	if err := chartutil.ValidateReleaseName(name); err != nil {
		return "", fmt.Errorf("release name %q: %w", name, err)
	}
	switch ch.Metadata.Type {
	case "", "application":
	default:
		return "", fmt.Errorf("%s charts are not installable", ch.Metadata.Type)
	}
	if err := checkDependencies(ch); err != nil {
		return "", err
	}
	vals, err := userValues(opts.Values)
	if err != nil {
		return "", err
	}
	caps, err := capabilities(opts)
	if err != nil {
		return "", err
	}
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		return "", fmt.Errorf("chart dependencies processing failed: %w", err)
	}
	namespace := opts.Namespace
	if namespace == "" {
		namespace = defaultNamespace
	}
	relOpts := common.ReleaseOptions{Name: name, Namespace: namespace, Revision: 1, IsInstall: true}
	// Helm's own schema validation may fetch $ref targets from disk or the network; the
	// sandboxed one (schema.go) reads nothing.
	top, err := commonutil.ToRenderValuesWithSchemaValidation(ch, vals, relOpts, caps, true)
	if err != nil {
		return "", err
	}
	if v, ok := top["Values"].(common.Values); ok {
		if err := validateSchemas(ch, v); err != nil {
			return "", fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\n%w", err)
		}
	}
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return "", fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", ch.Metadata.KubeVersion, caps.KubeVersion.Version)
	}
	// The zero Engine has no cluster client (`lookup` returns nothing) and no DNS.
	var e engine.Engine
	files, err := e.RenderWithContext(ctx, ch, top)
	if err != nil {
		return "", err
	}
	for k := range files {
		if strings.HasSuffix(k, notesSuffix) {
			delete(files, k)
		}
	}
	hooks, manifests, err := releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if opts.IncludeCRDs {
		for _, crd := range ch.CRDObjects() {
			fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", crd.Filename, crd.File.Data)
		}
	}
	for _, m := range manifests {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", m.Name, m.Content)
	}
	out := strings.TrimSpace(b.String()) + "\n"
	if opts.NoHooks {
		return out, nil
	}
	var hb strings.Builder
	hb.WriteString(out)
	for _, h := range hooks {
		if opts.SkipTests && slices.Contains(h.Events, release.HookTest) {
			continue
		}
		fmt.Fprintf(&hb, "---\n# Source: %s\n%s\n", h.Path, h.Manifest)
	}
	return hb.String(), nil
}

// checkDependencies fails when a dependency in Chart.yaml is not in charts/, as `helm
// template` does (it never downloads them).
func checkDependencies(ch *chart.Chart) error {
	var missing []string
	for _, d := range ch.Metadata.Dependencies {
		found := false
		for _, sub := range ch.Dependencies() {
			if sub.Name() == d.Name {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, d.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("an error occurred while checking for chart dependencies: found in Chart.yaml, but missing in charts/ directory: %s", strings.Join(missing, ", "))
	}
	return nil
}

// userValues passes values the way Tanka does: written as YAML (gopkg.in/yaml.v3) and read
// back by Helm's values loader, so they have exactly the types `helm template --values -`
// sees (every number a float64; null kept, to delete a chart default).
func userValues(values map[string]any) (map[string]any, error) {
	data, err := yaml.Marshal(values)
	if err != nil {
		return nil, fmt.Errorf("convert values to YAML: %w", err)
	}
	vals, err := loader.LoadValues(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read values: %w", err)
	}
	return loader.MergeMaps(map[string]any{}, vals), nil
}

// capabilities returns .Capabilities: kubeVersion (or DefaultKubeVersion), Helm's default
// API versions plus apiVersions, and the Helm SDK's build information.
func capabilities(opts Options) (*common.Capabilities, error) {
	kv := opts.KubeVersion
	if kv == "" {
		kv = DefaultKubeVersion
	}
	parsed, err := common.ParseKubeVersion(kv)
	if err != nil {
		return nil, fmt.Errorf("invalid kube version '%s': %w", kv, err)
	}
	caps := common.DefaultCapabilities.Copy()
	caps.KubeVersion = *parsed
	apis := slices.Clone(caps.APIVersions)
	for _, v := range opts.APIVersions {
		// --api-versions is a string slice flag: each value is a CSV record.
		if v == "" {
			continue
		}
		fields, err := csv.NewReader(strings.NewReader(v)).Read()
		if err != nil {
			return nil, fmt.Errorf("invalid api version %q: %w", v, err)
		}
		apis = append(apis, fields...)
	}
	caps.APIVersions = apis
	return caps, nil
}

// decodeStream reads the documents of a rendered stream as Tanka does (gopkg.in/yaml.v3 into
// an object each), skipping the empty ones (comments only).
func decodeStream(stream string) ([]map[string]any, error) {
	dec := yaml.NewDecoder(strings.NewReader(stream))
	var out []map[string]any
	for {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("parse Helm output: %w", err)
		}
		if len(m) == 0 {
			continue
		}
		out = append(out, m)
	}
}
