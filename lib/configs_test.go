package lib

import (
	"strings"
	"testing"
)

// configShapes names, per embedded configuration file, the keys its consumer needs; the
// policies find these files by the same shapes.
var configShapes = map[string][][]any{
	"apps/user-service-config/config.yaml": {
		{"server", "http", "addr"}, {"server", "grpc", "timeout"},
		{"registry", "etcd", "endpoints"}, {"middleware", "logging"}, {"middleware", "sentinel", "rules", 0, "threshold"},
	},
	"apps/risk-engine-config/config.yaml": {
		{"endpoints", "score", "circuitBreaker", "maxRequests"}, {"endpoints", "score", "rateLimiter", "qps"},
		{"endpoints", "score", "instrumenting", "namespace"},
	},
	"apps/gateway-config/config.yaml": {
		{"server", "readTimeout"}, {"server", "writeTimeout"}, {"server", "idleTimeout"}, {"routes", 1, "upstream"},
	},
	"apps/realtime-cache-config/config.yaml": {{"badger", "syncWrites"}, {"badger", "dir"}},
	"observability/prometheus-config/prometheus.yml": {
		{"global", "scrape_interval"}, {"rule_files", 0}, {"alerting", "alertmanagers", 0, "static_configs"},
		{"scrape_configs", 0, "job_name"}, {"scrape_configs", 0, "relabel_configs", 0, "action"},
	},
	"observability/prometheus-rules/alerts.yml": {
		{"groups", 0, "name"}, {"groups", 0, "rules", 0, "alert"}, {"groups", 0, "rules", 0, "labels", "severity"},
	},
	"observability/alertmanager-config/alertmanager.yml": {{"route", "receiver"}, {"receivers", 0, "name"}},
	"observability/loki-config/loki.yaml": {
		{"ingester", "chunk_idle_period"}, {"ingester", "max_chunk_age"}, {"schema_config", "configs", 0, "schema"},
	},
	"observability/promtail-config/promtail.yaml": {
		{"clients", 0, "url"}, {"scrape_configs", 0, "kubernetes_sd_configs"}, {"scrape_configs", 0, "pipeline_stages"},
	},
	"observability/otel-collector-config/collector.yaml": {
		{"receivers", "otlp", "protocols", "grpc", "endpoint"}, {"processors", "memory_limiter"}, {"processors", "batch"},
		{"processors", "probabilistic_sampler", "sampling_percentage"}, {"service", "pipelines", "traces", "receivers"},
	},
	"observability/grafana-datasources/datasources.yaml": {{"datasources", 0, "url"}, {"datasources", 1, "type"}},
}

func TestEmbeddedConfigs(t *testing.T) {
	root := repoRoot(t)
	for _, env := range []string{"dev", "staging", "prod"} {
		t.Run(env, func(t *testing.T) {
			seen := map[string]bool{}
			for _, m := range manifests(t, evaluateEnv(t, root, env)) {
				if m.kind() != "ConfigMap" {
					continue
				}
				data, _ := get(m.Object, "data").(map[string]any)
				for key := range data {
					id := m.namespace() + "/" + m.name() + "/" + key
					doc := parseYAML(t, m.Object, key)
					if !strings.HasSuffix(key, ".yaml") && !strings.HasSuffix(key, ".yml") {
						t.Errorf("%s: embedded file is not named .yaml or .yml", id)
					}
					shape, ok := configShapes[id]
					if !ok {
						t.Errorf("%s: embedded file without an expected shape in this test", id)
						continue
					}
					seen[id] = true
					for _, keys := range shape {
						if get(doc, keys...) == nil {
							t.Errorf("%s: no %v", id, keys)
						}
					}
				}
			}
			for id := range configShapes {
				if !seen[id] {
					t.Errorf("%s was not rendered", id)
				}
			}
		})
	}
}
