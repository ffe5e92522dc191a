package schema_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/schema"
)

// want is one expected finding: its id, field path and a part of its message.
type want struct {
	id, path, message string
}

func (w want) String() string { return fmt.Sprintf("%s %s (%q)", w.id, w.path, w.message) }

func loadValidator(t testing.TB, opts schema.Options) *schema.Validator {
	t.Helper()
	if opts.KubernetesVersion == "" {
		opts.KubernetesVersion = "1.33"
	}
	v, err := schema.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkFindings asserts that got holds exactly the wanted findings, in any order.
func checkFindings(t *testing.T, got []schema.Finding, wants []want) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range wants {
		found := false
		for i, f := range got {
			if !used[i] && f.RuleID == w.id && f.FieldPath == w.path && strings.Contains(f.Message, w.message) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing finding %s", w)
		}
	}
	for i, f := range got {
		if !used[i] {
			t.Errorf("unexpected finding %s %s %s: %s", f.RuleID, f.Severity, f.FieldPath, f.Message)
		}
	}
}

// TestValidateErrorClasses breaks valid objects of every core kind and CRD family the stack
// renders, one error class at a time, and expects exactly the matching finding.
func TestValidateErrorClasses(t *testing.T) {
	v := loadValidator(t, schema.Options{})
	cases := []struct {
		name   string
		object string
		change []mutation
		want   []want
	}{
		// Core kinds.
		{"deployment/valid", "deployment", nil, nil},
		{"deployment/unknown field", "deployment", []mutation{set("spec.replica", json.Number("3"))},
			[]want{{schema.RuleUnknownField, "spec.replica", `unknown field "replica" (did you mean "replicas"?)`}}},
		{"deployment/unknown nested field", "deployment", []mutation{set("spec.template.spec.containers[0].imagePullPolicyy", "Always")},
			[]want{{schema.RuleUnknownField, "spec.template.spec.containers[0].imagePullPolicyy", `did you mean "imagePullPolicy"`}}},
		{"deployment/unknown metadata field", "deployment", []mutation{set("metadata.label", map[string]any{"a": "b"})},
			[]want{{schema.RuleUnknownField, "metadata.label", `did you mean "labels"`}}},
		{"deployment/wrong type", "deployment", []mutation{set("spec.replicas", "three")},
			[]want{{schema.RuleWrongType, "spec.replicas", `must be an integer, found string "three"`}}},
		{"deployment/named containerPort", "deployment", []mutation{set("spec.template.spec.containers[0].ports[0].containerPort", "http")},
			[]want{{schema.RuleWrongType, "spec.template.spec.containers[0].ports[0].containerPort", `found string "http"`}}},
		{"deployment/required selector", "deployment", []mutation{del("spec.selector")},
			[]want{{schema.RuleRequired, "spec.selector", "required field is missing"}}},
		{"deployment/required container name", "deployment", []mutation{del("spec.template.spec.containers[0].name")},
			[]want{{schema.RuleRequired, "spec.template.spec.containers[0].name", "required field is missing"}}},
		{"deployment/invalid name", "deployment", []mutation{set("metadata.name", "Order_Service")},
			[]want{{schema.RuleInvalidValue, "metadata.name", `"Order_Service"`}}},
		{"deployment/invalid label value", "deployment", []mutation{set("metadata.labels[app.kubernetes.io/version]", "v1.9 beta")},
			[]want{{schema.RuleInvalidValue, "metadata.labels", `"v1.9 beta"`}}},
		{"deployment/format", "deployment", []mutation{set("metadata.creationTimestamp", "yesterday")},
			[]want{{schema.RuleInvalidValue, "metadata.creationTimestamp", "date-time"}}},
		{"deployment/duplicate container", "deployment", []mutation{duplicate("spec.template.spec.containers[0]")},
			[]want{{schema.RuleDuplicate, "spec.template.spec.containers[1]", `"name":"order-service"`}}},
		{"deployment/duplicate env var", "deployment", []mutation{duplicate("spec.template.spec.containers[0].env[0]")},
			[]want{{schema.RuleDuplicate, "spec.template.spec.containers[0].env[14]", `"name":"OTEL_SERVICE_NAME"`}}},
		{"deployment/duplicate port (two key fields)", "deployment", []mutation{duplicate("spec.template.spec.containers[0].ports[0]")},
			[]want{{schema.RuleDuplicate, "spec.template.spec.containers[0].ports[1]", `duplicate entry {"containerPort":8080,"protocol":"TCP"}`}}},
		{"deployment/list-type map entry not an object", "deployment", []mutation{set("spec.template.spec.containers[0].env[1]", "OTEL=1")},
			[]want{{schema.RuleInvalidValue, "spec.template.spec.containers[0].env[1]", `must be an object for an array of list-type map, found string "OTEL=1"`},
				{schema.RuleWrongType, "spec.template.spec.containers[0].env[1]", `must be an object, found string "OTEL=1"`}}},
		{"deployment/duplicate finalizer (list-type set)", "deployment", []mutation{set("metadata.finalizers", []any{"a.example.com/x", "a.example.com/x"})},
			[]want{{schema.RuleDuplicate, "metadata.finalizers[1]", `duplicate entry "a.example.com/x"`}}},
		{"deployment/malformed quantity", "deployment", []mutation{set("spec.template.spec.containers[0].resources.limits.cpu", "1 core")},
			[]want{{schema.RuleQuantity, "spec.template.spec.containers[0].resources.limits.cpu", `invalid quantity "1 core"`}}},
		{"deployment/int32 overflow", "deployment", []mutation{set("spec.replicas", json.Number("3000000000"))},
			[]want{{schema.RuleQuantity, "spec.replicas", "integer 3000000000 is out of range for int32"}}},
		{"deployment/status is not checked", "deployment", []mutation{set("status", map[string]any{"replicas": "three", "bogus": true})}, nil},
		{"deployment/removed apiVersion", "deployment", []mutation{set("apiVersion", "apps/v1beta1")},
			[]want{{schema.RuleNotServed, "", "apps/v1beta1 Deployment is not served by Kubernetes 1.33; it is served as apps/v1"}}},
		{"deployment/misspelt kind", "deployment", []mutation{set("kind", "Deploymnet")},
			[]want{{schema.RuleNotServed, "", "did you mean Deployment?"}}},
		{"service/valid", "service", nil, nil},
		{"service/required port", "service", []mutation{del("spec.ports[0].port")},
			[]want{{schema.RuleRequired, "spec.ports[0].port", "required field is missing"}}},
		{"service/targetPort float", "service", []mutation{set("spec.ports[0].targetPort", json.Number("80.5"))},
			[]want{{schema.RuleWrongType, "spec.ports[0].targetPort", "must be an integer or a string, found number 80.5"}}},
		{"service/name is a DNS label", "service", []mutation{set("metadata.name", "order.service")},
			[]want{{schema.RuleInvalidValue, "metadata.name", `"order.service"`}}},
		{"configmap/data value type", "configmap", []mutation{set("data[config.yaml]", json.Number("1"))},
			[]want{{schema.RuleWrongType, "data[config.yaml]", "must be a string, found integer 1"}}},
		{"hpa/valid", "hpa", nil, nil},
		{"hpa/removed version", "hpa", []mutation{set("apiVersion", "autoscaling/v2beta2")},
			[]want{{schema.RuleNotServed, "", "served as autoscaling/v1, autoscaling/v2"}}},
		{"hpa/required maxReplicas", "hpa", []mutation{del("spec.maxReplicas")},
			[]want{{schema.RuleRequired, "spec.maxReplicas", "required field is missing"}}},
		{"pdb/intorstring", "pdb", []mutation{set("spec.minAvailable", true)},
			[]want{{schema.RuleWrongType, "spec.minAvailable", "must be an integer or a string, found boolean true"}}},
		{"statefulset/volumeClaimTemplates quantity", "statefulset", []mutation{set("spec.volumeClaimTemplates[0].spec.resources.requests.storage", "1 GB")},
			[]want{{schema.RuleQuantity, "spec.volumeClaimTemplates[0].spec.resources.requests.storage", `invalid quantity "1 GB"`}}},

		// Istio.
		{"virtualservice/valid", "virtualservice", nil, nil},
		{"virtualservice/weigth", "virtualservice", []mutation{set("spec.http[1].route[0].weigth", json.Number("95")), del("spec.http[1].route[0].weight")},
			[]want{{schema.RuleUnknownField, "spec.http[1].route[0].weigth", `did you mean "weight"`}}},
		{"virtualservice/weight type", "virtualservice", []mutation{set("spec.http[1].route[0].weight", "95")},
			[]want{{schema.RuleWrongType, "spec.http[1].route[0].weight", `must be an integer, found string "95"`}}},
		{"virtualservice/CEL timeout", "virtualservice", []mutation{set("spec.http[0].timeout", "0.5ms")},
			[]want{{schema.RuleCEL, "spec.http[0].timeout", `must be a valid duration greater than 1ms (found "0.5ms")`}}},
		{"destinationrule/required host", "destinationrule", []mutation{del("spec.host")},
			[]want{{schema.RuleRequired, "spec.host", "required field is missing"}}},
		{"gateway/port number type", "gateway", []mutation{set("spec.servers[0].port.number", "https")},
			[]want{{schema.RuleWrongType, "spec.servers[0].port.number", `found string "https"`}}},
		{"gateway/unserved version", "gateway", []mutation{set("apiVersion", "networking.istio.io/v2")},
			[]want{{schema.RuleNotServed, "", "not served by CustomResourceDefinition gateways.networking.istio.io"}}},

		// Argo Rollouts.
		{"rollout/valid", "rollout", nil, nil},
		{"rollout/status is not checked (status subresource)", "rollout", []mutation{set("status.phase", json.Number("1"))}, nil},
		{"rollout/setWeight type", "rollout", []mutation{set("spec.strategy.canary.steps[1].setWeight", "five")},
			[]want{{schema.RuleWrongType, "spec.strategy.canary.steps[1].setWeight", `found string "five"`}}},
		{"rollout/unknown step", "rollout", []mutation{set("spec.strategy.canary.steps[1].setWieght", json.Number("5")), del("spec.strategy.canary.steps[1].setWeight")},
			[]want{{schema.RuleUnknownField, "spec.strategy.canary.steps[1].setWieght", `did you mean "setWeight"`}}},
		{"rollout/pod template port", "rollout", []mutation{set("spec.template.spec.containers[0].ports[0].containerPort", "http")},
			[]want{{schema.RuleWrongType, "spec.template.spec.containers[0].ports[0].containerPort", `must be an integer, found string "http"`}}},
		{"analysistemplate/valid", "analysistemplate", nil, nil},
		{"analysistemplate/required metric name", "analysistemplate", []mutation{del("spec.metrics[0].name")},
			[]want{{schema.RuleRequired, "spec.metrics[0].name", "required field is missing"}}},

		// Dapr.
		{"component/valid", "component", nil, nil},
		{"component/version type", "component", []mutation{set("spec.version", json.Number("1"))},
			[]want{{schema.RuleWrongType, "spec.version", "must be a string, found integer 1"}}},
		{"component/unknown field", "component", []mutation{set("spec.typ", "state.redis")},
			[]want{{schema.RuleUnknownField, "spec.typ", `did you mean "type"`}}},
		{"configuration/valid", "configuration", nil, nil},

		// Argo CD.
		{"application/valid", "application", nil, nil},
		{"application/case", "application", []mutation{set("spec.source.repoUrl", "https://example.com/x.git")},
			[]want{{schema.RuleUnknownField, "spec.source.repoUrl", `did you mean "repoURL"`}}},
		{"application/required destination", "application", []mutation{del("spec.destination")},
			[]want{{schema.RuleRequired, "spec.destination", "required field is missing"}}},
		{"appproject/valid", "appproject", nil, nil},

		// Flux.
		{"kustomization/valid", "kustomization", nil, nil},
		{"kustomization/prune type", "kustomization", []mutation{set("spec.prune", "yes")},
			[]want{{schema.RuleWrongType, "spec.prune", `must be a boolean, found string "yes"`}}},
		{"kustomization/interval pattern", "kustomization", []mutation{set("spec.interval", "10 minutes")},
			[]want{{schema.RuleInvalidValue, "spec.interval", `"10 minutes"`}}},
		{"kustomization/CEL kubeConfig", "kustomization", []mutation{del("spec.kubeConfig.secretRef")},
			[]want{{schema.RuleCEL, "spec.kubeConfig", "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified"}}},
		{"gitrepository/valid", "gitrepository", nil, nil},
		{"gitrepository/required url", "gitrepository", []mutation{del("spec.url")},
			[]want{{schema.RuleRequired, "spec.url", "required field is missing"}}},

		// TiDB (kforge's own schema).
		{"tidbcluster/valid", "tidbcluster", nil, nil},
		{"tidbcluster/unknown field", "tidbcluster", []mutation{set("spec.pd.replcas", json.Number("3"))},
			[]want{{schema.RuleUnknownField, "spec.pd.replcas", `did you mean "replicas"`}}},
		{"tidbcluster/enum", "tidbcluster", []mutation{set("spec.pvReclaimPolicy", "Keep")},
			[]want{{schema.RuleInvalidValue, "spec.pvReclaimPolicy", `string "Keep" is not one of "Retain", "Delete", "Recycle"`}}},
		{"tidbcluster/required replicas", "tidbcluster", []mutation{del("spec.tikv.replicas")},
			[]want{{schema.RuleRequired, "spec.tikv.replicas", "required field is missing"}}},
		{"tidbcluster/quantity pattern", "tidbcluster", []mutation{set("spec.tikv.requests.storage", "20 GB")},
			[]want{{schema.RuleInvalidValue, "spec.tikv.requests.storage", `"20 GB"`}}},

		// Vitess.
		{"vitesscluster/valid", "vitesscluster", nil, nil},
		{"vitesscluster/keyRange type", "vitesscluster", []mutation{set("spec.keyspaces[0].partitionings[0].custom.shards[1].keyRange.start", json.Number("40"))},
			[]want{{schema.RuleWrongType, "spec.keyspaces[0].partitionings[0].custom.shards[1].keyRange.start", "must be a string, found integer 40"}}},
		{"vitesscluster/unknown field", "vitesscluster", []mutation{set("spec.keyspaces[0].partitionings[0].custom.shards[0].tabletPool", []any{})},
			[]want{{schema.RuleUnknownField, "spec.keyspaces[0].partitionings[0].custom.shards[0].tabletPool", `did you mean "tabletPools"`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := loadObject(t, tc.object)
			for _, m := range tc.change {
				m(t, obj)
			}
			got := v.Validate(obj)
			checkFindings(t, got, tc.want)
			for _, f := range got {
				if f.Resource.Kind != obj["kind"] || f.Resource.Name == "" {
					t.Errorf("finding does not name the resource: %+v", f.Resource)
				}
				if f.Severity != finding.SeverityError || f.Title == "" {
					t.Errorf("finding %s: severity %q, title %q", f.RuleID, f.Severity, f.Title)
				}
			}
		})
	}
}
