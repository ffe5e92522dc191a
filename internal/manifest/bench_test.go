package manifest

import (
	"encoding/json"
	"fmt"
	"io"
	"testing"
)

// benchServices × benchKinds objects make the benchmark output (~200).
const benchServices = 30

// benchOutput builds the JSON output of an environment with benchServices
// services of seven objects each, nested like a Tanka environment's output
// and indented like go-jsonnet's.
func benchOutput(tb testing.TB) []byte {
	tb.Helper()
	labels := func(svc string) map[string]any {
		return map[string]any{
			"app.kubernetes.io/name": svc, "app.kubernetes.io/instance": svc + "-prod",
			"app.kubernetes.io/version": "v1.8", "app.kubernetes.io/component": "api",
			"app.kubernetes.io/part-of": "kforge-platform", "app.kubernetes.io/managed-by": "kforge",
		}
	}
	meta := func(svc, name string) map[string]any {
		return map[string]any{"name": name, "namespace": "apps", "labels": labels(svc)}
	}
	apps := map[string]any{}
	for i := range benchServices {
		svc := fmt.Sprintf("service-%02d", i)
		container := map[string]any{
			"name": svc, "image": "registry.example.com/" + svc + ":v1.8",
			"env": []any{
				map[string]any{"name": "OTEL_SERVICE_NAME", "value": svc},
				map[string]any{"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://otel-collector.observability:4317"},
				map[string]any{"name": "OTEL_TRACES_SAMPLER", "value": "parentbased_traceidratio"},
				map[string]any{"name": "OTEL_TRACES_SAMPLER_ARG", "value": "0.1"},
			},
			"ports":          []any{map[string]any{"name": "http", "containerPort": 8080}},
			"readinessProbe": map[string]any{"httpGet": map[string]any{"path": "/healthz", "port": "http"}, "periodSeconds": 10},
			"livenessProbe":  map[string]any{"httpGet": map[string]any{"path": "/healthz", "port": "http"}, "periodSeconds": 10},
			"resources": map[string]any{
				"requests": map[string]any{"cpu": "250m", "memory": "256Mi"},
				"limits":   map[string]any{"cpu": "1", "memory": "512Mi"},
			},
			"securityContext": map[string]any{
				"runAsNonRoot": true, "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false,
				"capabilities": map[string]any{"drop": []any{"ALL"}},
			},
		}
		apps[svc] = map[string]any{
			"deployment": map[string]any{
				"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(svc, svc),
				"spec": map[string]any{
					"replicas": 2,
					"selector": map[string]any{"matchLabels": map[string]any{"app": svc}},
					"template": map[string]any{
						"metadata": map[string]any{
							"labels":      map[string]any{"app": svc, "version": "v1.8"},
							"annotations": map[string]any{"prometheus.io/scrape": "true", "prometheus.io/port": "8080", "prometheus.io/path": "/metrics"},
						},
						"spec": map[string]any{"serviceAccountName": svc, "containers": []any{container}},
					},
				},
			},
			"service": map[string]any{
				"apiVersion": "v1", "kind": "Service", "metadata": meta(svc, svc),
				"spec": map[string]any{"selector": map[string]any{"app": svc}, "ports": []any{map[string]any{"name": "http", "port": 8080, "targetPort": "http"}}},
			},
			"service_account": map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(svc, svc)},
			"config": map[string]any{
				"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(svc, svc+"-config"),
				"data": map[string]any{"config.yaml": "server:\n  http:\n    addr: 0.0.0.0:8080\n    timeout: 1s\nmiddleware:\n  logging: true\n"},
			},
			"hpa": map[string]any{
				"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta(svc, svc),
				"spec": map[string]any{
					"minReplicas": 2, "maxReplicas": 10,
					"scaleTargetRef": map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "name": svc},
					"metrics":        []any{map[string]any{"type": "Resource", "resource": map[string]any{"name": "cpu", "target": map[string]any{"type": "Utilization", "averageUtilization": 70}}}},
				},
			},
			"pdb": map[string]any{
				"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta(svc, svc),
				"spec": map[string]any{"minAvailable": 1, "selector": map[string]any{"matchLabels": map[string]any{"app": svc}}},
			},
			"virtual_service": map[string]any{
				"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": meta(svc, svc),
				"spec": map[string]any{
					"hosts": []any{svc + ".apps.svc.cluster.local"},
					"http": []any{map[string]any{"name": "primary", "route": []any{
						map[string]any{"destination": map[string]any{"host": svc + ".apps.svc.cluster.local", "subset": "stable"}, "weight": 95},
						map[string]any{"destination": map[string]any{"host": svc + ".apps.svc.cluster.local", "subset": "canary"}, "weight": 5},
					}}},
				},
			},
		}
	}
	out, err := json.MarshalIndent(map[string]any{"apps": apps}, "", "   ")
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestBenchOutput(t *testing.T) {
	ms, err := Extract(benchOutput(t), Settings{Namespace: "apps"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(ms), benchServices*7; got != want {
		t.Errorf("%d manifests, want %d", got, want)
	}
}

func BenchmarkExtract(b *testing.B) {
	output := benchOutput(b)
	s := Settings{
		Namespace:     "apps",
		InjectLabels:  map[string]string{"tanka.dev/environment": "0123456789abcdef0123456789abcdef0123456789abcdef"},
		DefaultLabels: map[string]string{"team": "platform"},
	}
	b.SetBytes(int64(len(output)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(output, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	ms, err := Extract(benchOutput(b), Settings{Namespace: "apps"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteStream(io.Discard, ms); err != nil {
			b.Fatal(err)
		}
	}
}
