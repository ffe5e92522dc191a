package lib

import (
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// tierValues are the values STACK.md names per tier, as rendered.
type tierValues struct {
	samplerArg       string // OTEL_TRACES_SAMPLER_ARG and Dapr samplingRate
	samplingPercent  float64
	serviceReplicas  float64
	etcdMembers      float64
	tidb             [3]float64 // PD, TiKV, TiDB
	minIdleConns     string
	orderWeights     []float64 // stable, canary on the primary route; nil without a canary
	canaryHeader     string
	firstRolloutStep float64
	budgets          bool
}

func TestTierValues(t *testing.T) {
	tests := []struct {
		env  string
		want tierValues
	}{
		{env: "dev", want: tierValues{
			samplerArg: "1", samplingPercent: 100, serviceReplicas: 1, etcdMembers: 1,
			tidb: [3]float64{1, 1, 1}, minIdleConns: "1", orderWeights: nil,
			canaryHeader: "dev-canary", firstRolloutStep: 5, budgets: false,
		}},
		{env: "staging", want: tierValues{
			samplerArg: "0.5", samplingPercent: 50, serviceReplicas: 2, etcdMembers: 3,
			tidb: [3]float64{3, 3, 2}, minIdleConns: "5", orderWeights: []float64{80, 20},
			canaryHeader: "staging-canary", firstRolloutStep: 20, budgets: true,
		}},
		{env: "prod", want: tierValues{
			samplerArg: "0.1", samplingPercent: 10, serviceReplicas: 2, etcdMembers: 3,
			tidb: [3]float64{3, 3, 2}, minIdleConns: "10", orderWeights: []float64{95, 5},
			canaryHeader: "prod-canary", firstRolloutStep: 5, budgets: true,
		}},
	}
	root := repoRoot(t)
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			ms := manifests(t, evaluateEnv(t, root, tt.env))
			w := tt.want

			for _, m := range ms {
				if m.namespace() != "apps" {
					continue
				}
				switch m.kind() {
				case "Deployment", "StatefulSet", "Rollout":
					if got := num(t, m.Object, "spec", "replicas"); got != w.serviceReplicas {
						t.Errorf("%s %s: replicas %v, want %v", m.kind(), m.name(), got, w.serviceReplicas)
					}
					env := containerEnv(get(m.Object, "spec", "template", "spec", "containers", 0))
					if env["OTEL_TRACES_SAMPLER"] != "parentbased_traceidratio" || env["OTEL_TRACES_SAMPLER_ARG"] != w.samplerArg {
						t.Errorf("%s %s: sampler %q ratio %q, want parentbased_traceidratio %q", m.kind(), m.name(), env["OTEL_TRACES_SAMPLER"], env["OTEL_TRACES_SAMPLER_ARG"], w.samplerArg)
					}
					if env["OTEL_EXPORTER_OTLP_ENDPOINT"] != "http://otel-collector.observability:4317" {
						t.Errorf("%s %s: OTLP endpoint %q", m.kind(), m.name(), env["OTEL_EXPORTER_OTLP_ENDPOINT"])
					}
				case "HorizontalPodAutoscaler":
					if got := num(t, m.Object, "spec", "minReplicas"); got != w.serviceReplicas {
						t.Errorf("HPA %s: minReplicas %v, want %v", m.name(), got, w.serviceReplicas)
					}
				}
			}

			tracing := find(t, ms, "Configuration", "apps", "tracing")
			if got := str(tracing, "spec", "tracing", "samplingRate"); got != w.samplerArg {
				t.Errorf("Dapr samplingRate %q, want %q", got, w.samplerArg)
			}
			collector := parseYAML(t, find(t, ms, "ConfigMap", "observability", "otel-collector-config"), "collector.yaml")
			if got := num(t, collector, "processors", "probabilistic_sampler", "sampling_percentage"); got != w.samplingPercent {
				t.Errorf("collector sampling_percentage %v, want %v", got, w.samplingPercent)
			}

			etcd := find(t, ms, "StatefulSet", "data", "etcd")
			if got := num(t, etcd, "spec", "replicas"); got != w.etcdMembers {
				t.Errorf("etcd members %v, want %v", got, w.etcdMembers)
			}
			tidb := find(t, ms, "TidbCluster", "data", "tidb")
			got := [3]float64{num(t, tidb, "spec", "pd", "replicas"), num(t, tidb, "spec", "tikv", "replicas"), num(t, tidb, "spec", "tidb", "replicas")}
			if got != w.tidb {
				t.Errorf("TiDB PD/TiKV/TiDB %v, want %v", got, w.tidb)
			}

			for _, name := range []string{"redis-store", "order-pubsub"} {
				meta := daprMetadata(find(t, ms, "Component", "apps", name))
				if meta["minIdleConns"] != w.minIdleConns {
					t.Errorf("Dapr %s minIdleConns %v, want %q", name, meta["minIdleConns"], w.minIdleConns)
				}
				if ref := get(meta["redisPassword"], "secretKeyRef", "name"); ref != "redis" {
					t.Errorf("Dapr %s redisPassword is not a Secret reference: %v", name, meta["redisPassword"])
				}
			}

			http := get(find(t, ms, "VirtualService", "apps", "order-service"), "spec", "http").([]any)
			primary := http[len(http)-1]
			var weights []float64
			for i := range get(primary, "route").([]any) {
				weights = append(weights, num(t, primary, "route", i, "weight"))
			}
			if w.orderWeights == nil {
				if len(http) != 1 || !reflect.DeepEqual(weights, []float64{100}) {
					t.Errorf("order-service without a canary: routes %v", http)
				}
			} else {
				if !reflect.DeepEqual(weights, w.orderWeights) {
					t.Errorf("order-service weights %v, want %v", weights, w.orderWeights)
				}
				if str(http[0], "name") != "canary-header" || str(http[0], "match", 0, "headers", "env", "exact") != w.canaryHeader {
					t.Errorf("order-service: first route is not the header route for %s: %v", w.canaryHeader, http[0])
				}
			}

			steps := get(find(t, ms, "Rollout", "apps", "esign-service"), "spec", "strategy", "canary", "steps").([]any)
			if got := num(t, steps, 1, "setWeight"); got != w.firstRolloutStep {
				t.Errorf("esign-service first setWeight %v, want %v", got, w.firstRolloutStep)
			}
			if got := str(steps[0], "setHeaderRoute", "match", 0, "headerValue", "exact"); got != w.canaryHeader {
				t.Errorf("esign-service header route %q, want %q", got, w.canaryHeader)
			}

			var budgets int
			for _, m := range ms {
				if m.kind() == "PodDisruptionBudget" {
					budgets++
				}
			}
			if (budgets > 0) != w.budgets {
				t.Errorf("%d PodDisruptionBudgets, want budgets: %v", budgets, w.budgets)
			}
		})
	}
}

func TestProdValues(t *testing.T) {
	root := repoRoot(t)
	ms := manifests(t, evaluateEnv(t, root, "prod"))
	const fqdn = "order-service.apps.svc.cluster.local"

	t.Run("order-service canary 95/5 with the header route first", func(t *testing.T) {
		vs := find(t, ms, "VirtualService", "apps", "order-service")
		want := []any{
			map[string]any{
				"name":  "canary-header",
				"match": []any{map[string]any{"headers": map[string]any{"env": map[string]any{"exact": "prod-canary"}}}},
				"route": []any{map[string]any{"destination": map[string]any{"host": fqdn, "subset": "canary"}, "weight": "100"}},
			},
			map[string]any{
				"name": "primary",
				"route": []any{
					map[string]any{"destination": map[string]any{"host": fqdn, "subset": "stable"}, "weight": "95"},
					map[string]any{"destination": map[string]any{"host": fqdn, "subset": "canary"}, "weight": "5"},
				},
			},
		}
		http := get(vs, "spec", "http").([]any)
		if len(http) != len(want) {
			t.Fatalf("order-service has %d routes, want %d", len(http), len(want))
		}
		for i := range want {
			got := map[string]any{"name": get(http[i], "name"), "route": normalise(get(http[i], "route"))}
			if m := get(http[i], "match"); m != nil {
				got["match"] = m
			}
			if !reflect.DeepEqual(got, want[i]) {
				t.Errorf("route %d:\n got %v\nwant %v", i, got, want[i])
			}
		}
		dr := find(t, ms, "DestinationRule", "apps", "order-service")
		subsets := normalise(get(dr, "spec", "subsets"))
		wantSubsets := []any{
			map[string]any{"name": "stable", "labels": map[string]any{"app": "order-service", "version": "v1.8"}},
			map[string]any{"name": "canary", "labels": map[string]any{"app": "order-service", "version": "v1.9"}},
		}
		if !reflect.DeepEqual(subsets, wantSubsets) {
			t.Errorf("subsets %v, want %v", subsets, wantSubsets)
		}
		for _, name := range []string{"order-service-v1-8", "order-service-v1-9"} {
			d := find(t, ms, "Deployment", "apps", name)
			if v := str(d, "spec", "template", "metadata", "labels", "version"); "order-service-"+strings.ReplaceAll(v, ".", "-") != name {
				t.Errorf("Deployment %s runs pods of version %q", name, v)
			}
		}
	})

	t.Run("canary analysis thresholds 1.2 and 0.003", func(t *testing.T) {
		for _, svc := range []string{"order-service", "esign-service"} {
			at := find(t, ms, "AnalysisTemplate", "apps", svc+"-canary-analysis")
			conditions := map[string][2]string{}
			for _, m := range get(at, "spec", "metrics").([]any) {
				conditions[str(m, "name")] = [2]string{str(m, "successCondition"), str(m, "failureCondition")}
				if a := str(m, "provider", "prometheus", "address"); a != "http://prometheus.observability:9090" {
					t.Errorf("%s: Prometheus address %q", svc, a)
				}
			}
			want := map[string][2]string{
				"latency-p95-ratio": {"result[0] <= 1.2", "result[0] > 1.2"},
				"error-rate-delta":  {"result[0] <= 0.003", "result[0] > 0.003"},
			}
			if !reflect.DeepEqual(conditions, want) {
				t.Errorf("%s conditions %v, want %v", svc, conditions, want)
			}
		}
		rules := parseYAML(t, find(t, ms, "ConfigMap", "observability", "prometheus-rules"), "alerts.yml")
		thresholds := map[string]int{}
		for _, g := range get(rules, "groups").([]any) {
			for _, r := range get(g, "rules").([]any) {
				expr := str(r, "expr")
				switch str(r, "alert") {
				case "CanaryLatencyRegression":
					if strings.HasSuffix(expr, ") > 1.2") {
						thresholds["latency"]++
					}
				case "CanaryErrorRateRegression":
					if strings.HasSuffix(expr, ") > 0.003") {
						thresholds["errors"]++
					}
				case "ConsumerLagHigh":
					if strings.HasSuffix(expr, "> 5000") {
						thresholds["lag"]++
					}
				}
			}
		}
		if want := map[string]int{"latency": 2, "errors": 2, "lag": 1}; !reflect.DeepEqual(thresholds, want) {
			t.Errorf("alert thresholds %v, want %v (one canary rule per canary service)", thresholds, want)
		}
	})

	t.Run("esign-service rollout", func(t *testing.T) {
		canary := get(find(t, ms, "Rollout", "apps", "esign-service"), "spec", "strategy", "canary")
		var kinds []string
		for _, s := range get(canary, "steps").([]any) {
			for k := range s.(map[string]any) {
				kinds = append(kinds, k)
			}
		}
		want := []string{"setHeaderRoute", "setWeight", "pause", "analysis", "setWeight", "pause", "setWeight", "pause"}
		if !reflect.DeepEqual(kinds, want) {
			t.Errorf("steps %v, want %v", kinds, want)
		}
		if got := str(canary, "trafficRouting", "istio", "virtualService", "routes", 0); got != "primary" {
			t.Errorf("rollout route %q, want primary", got)
		}
		vs := find(t, ms, "VirtualService", "apps", "esign-service")
		if w := []float64{num(t, vs, "spec", "http", 0, "route", 0, "weight"), num(t, vs, "spec", "http", 0, "route", 1, "weight")}; !reflect.DeepEqual(w, []float64{100, 0}) {
			t.Errorf("esign-service Git weights %v, want [100 0]", w)
		}
	})

	t.Run("vitess shards", func(t *testing.T) {
		vt := find(t, ms, "VitessCluster", "data", "vitess")
		var shards []string
		for _, s := range get(vt, "spec", "keyspaces", 0, "partitionings", 0, "custom", "shards").([]any) {
			shards = append(shards, str(s, "keyRange", "start")+"-"+str(s, "keyRange", "end"))
		}
		if want := []string{"-40", "40-80", "80-c0", "c0-"}; !reflect.DeepEqual(shards, want) {
			t.Errorf("shards %v, want %v", shards, want)
		}
		if ks := str(vt, "spec", "keyspaces", 0, "name"); ks != "commerce" {
			t.Errorf("keyspace %q, want commerce", ks)
		}
	})

	t.Run("etcd", func(t *testing.T) {
		etcd := find(t, ms, "StatefulSet", "data", "etcd")
		args := get(etcd, "spec", "template", "spec", "containers", 0, "args").([]any)
		if !contains(args, "--data-dir=/var/run/etcd/default.etcd") {
			t.Errorf("etcd args %v lack the data dir", args)
		}
		if claim := str(etcd, "spec", "volumeClaimTemplates", 0, "metadata", "name"); claim != "data" {
			t.Errorf("etcd data volume claim %q", claim)
		}
		kratos := parseYAML(t, find(t, ms, "ConfigMap", "apps", "user-service-config"), "config.yaml")
		endpoints := get(kratos, "registry", "etcd", "endpoints")
		want := []any{"etcd-0.etcd.data:2379", "etcd-1.etcd.data:2379", "etcd-2.etcd.data:2379"}
		if !reflect.DeepEqual(endpoints, want) {
			t.Errorf("Kratos registry endpoints %v, want %v", endpoints, want)
		}
	})
}

// normalise turns json.Number leaves into their string form so expectations can be literals.
func normalise(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			out[k] = normalise(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normalise(e)
		}
		return out
	case interface{ String() string }:
		return v.String()
	default:
		return v
	}
}

func contains(list []any, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func containerEnv(c any) map[string]string {
	env := map[string]string{}
	list, _ := get(c, "env").([]any)
	for _, e := range list {
		env[str(e, "name")] = str(e, "value")
	}
	return env
}

func daprMetadata(component map[string]any) map[string]any {
	meta := map[string]any{}
	list, _ := get(component, "spec", "metadata").([]any)
	for _, e := range list {
		meta[str(e, "name")] = e
		if v, ok := get(e, "value").(string); ok {
			meta[str(e, "name")] = v
		}
	}
	return meta
}

// parseYAML parses one data key of a ConfigMap, failing the test when it is not valid YAML.
func parseYAML(t testing.TB, configMap map[string]any, key string) any {
	t.Helper()
	text := str(configMap, "data", key)
	if text == "" {
		t.Fatalf("ConfigMap %s has no data key %s", str(configMap, "metadata", "name"), key)
	}
	js, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		t.Fatalf("parse %s of ConfigMap %s: %v", key, str(configMap, "metadata", "name"), err)
	}
	return decode(t, string(js))
}
