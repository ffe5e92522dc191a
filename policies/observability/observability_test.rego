package kforge.observability_test

import data.kforge.observability

_promtail := {"scrape_configs": [{
	"job_name": "kubernetes-pods",
	"kubernetes_sd_configs": [{"role": "pod"}],
	"relabel_configs": [
		{"source_labels": ["__meta_kubernetes_namespace"], "target_label": "namespace"},
		{"source_labels": ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], "target_label": "app"},
		{
			"source_labels": ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"],
			"separator": "/",
			"target_label": "__path__",
			"replacement": "/var/log/pods/*$1/*.log",
		},
	],
	"pipeline_stages": [
		{"json": {"expressions": {"level": "level", "trace_id": "trace_id", "service": "service"}}},
		{"labels": {"level": "", "service": ""}},
	],
}]}

_prometheus := {
	"global": {"scrape_interval": "30s"},
	"rule_files": ["/etc/prometheus/rules/*.yml"],
	"scrape_configs": [{
		"job_name": "kubernetes-pods",
		"kubernetes_sd_configs": [{"role": "pod"}],
		"relabel_configs": [
			{"source_labels": ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], "action": "keep", "regex": "true"},
			{"source_labels": ["__meta_kubernetes_namespace"], "action": "replace", "target_label": "namespace"},
			{"action": "labelmap", "regex": "__meta_kubernetes_pod_label_(.+)"},
			{
				"source_labels": ["__meta_kubernetes_pod_name"],
				"regex": "(.+)-[a-z0-9]+-[a-z0-9]+",
				"target_label": "workload",
			},
		],
		"metric_relabel_configs": [{"action": "labeldrop", "regex": "pod_template_hash"}],
	}],
}

_loki := {
	"auth_enabled": false,
	"ingester": {"chunk_idle_period": "5m", "max_chunk_age": "1h", "chunk_target_size": 1572864},
	"schema_config": {"configs": [{"from": "2024-01-01", "store": "tsdb", "schema": "v13"}]},
}

_config_map(name, key, doc) := {
	"apiVersion": "v1",
	"kind": "ConfigMap",
	"metadata": {"name": name, "namespace": "observability"},
	"data": {key: yaml.marshal(doc)},
}

_input(promtail, prometheus, loki) := {
	"environment": {"name": "prod", "tier": "prod", "labels": {"tier": "prod"}, "namespace": "observability"},
	"resources": [
		_config_map("promtail-config", "promtail.yaml", promtail),
		_config_map("prometheus-config", "prometheus.yml", prometheus),
		_config_map("loki-config", "loki.yaml", loki),
	],
	"previous": [],
}

_ref(name) := {"apiVersion": "v1", "kind": "ConfigMap", "namespace": "observability", "name": name}

_finding(name, msg) := {"msg": msg, "resource": _ref(name)}

test_reference_configs_allowed if {
	count(observability.deny) == 0 with input as _input(_promtail, _prometheus, _loki)
}

# KF-OBS-001

test_promtail_trace_id_label_denied if {
	promtail := json.patch(_promtail, [{"op": "add", "path": "/scrape_configs/0/pipeline_stages/1/labels/trace_id", "value": ""}])
	observability.deny == {_finding(
		"promtail-config",
		"data[\"promtail.yaml\"].scrape_configs[0] (kubernetes-pods).pipeline_stages[1].labels.trace_id promotes field \"trace_id\" to a Loki label; high-cardinality values belong in the log line or structured metadata",
	)} with input as _input(promtail, _prometheus, _loki)
}

test_promtail_renamed_field_in_match_stage_denied if {
	match_stage := {"match": {"selector": "{app=\"gateway\"}", "stages": [{"labels": {"tid": "trace_id"}}]}}
	promtail := json.patch(_promtail, [{"op": "add", "path": "/scrape_configs/0/pipeline_stages/-", "value": match_stage}])
	observability.deny == {_finding(
		"promtail-config",
		"data[\"promtail.yaml\"].scrape_configs[0] (kubernetes-pods).pipeline_stages[2].match.stages[0].labels.tid promotes field \"trace_id\" as label \"tid\" to a Loki label; high-cardinality values belong in the log line or structured metadata",
	)} with input as _input(promtail, _prometheus, _loki)
}

test_promtail_structured_metadata_allowed if {
	promtail := json.patch(_promtail, [{"op": "add", "path": "/scrape_configs/0/pipeline_stages/-", "value": {"structured_metadata": {"trace_id": ""}}}])
	count(observability.deny) == 0 with input as _input(promtail, _prometheus, _loki)
}

# KF-OBS-002

test_relabel_target_pod_denied if {
	prometheus := json.patch(_prometheus, [{"op": "add", "path": "/scrape_configs/0/relabel_configs/-", "value": {"source_labels": ["__meta_kubernetes_pod_name"], "target_label": "pod"}}])
	observability.deny == {_finding(
		"prometheus-config",
		"data[\"prometheus.yml\"].scrape_configs[0] (kubernetes-pods).relabel_configs[4].target_label is \"pod\", a high-cardinality label; every value becomes a new series (or Loki stream)",
	)} with input as _input(_promtail, prometheus, _loki)
}

test_relabel_pod_ip_into_kept_label_denied if {
	promtail := json.patch(_promtail, [{"op": "add", "path": "/scrape_configs/0/relabel_configs/-", "value": {"source_labels": ["__meta_kubernetes_pod_ip"], "target_label": "host"}}])
	observability.deny == {_finding(
		"promtail-config",
		"data[\"promtail.yaml\"].scrape_configs[0] (kubernetes-pods).relabel_configs[3] copies __meta_kubernetes_pod_ip into the kept label \"host\"; every value becomes a new series (or Loki stream)",
	)} with input as _input(promtail, _prometheus, _loki)
}

test_metric_relabel_target_user_id_denied if {
	prometheus := json.patch(_prometheus, [{"op": "add", "path": "/scrape_configs/0/metric_relabel_configs/-", "value": {"source_labels": ["uid"], "target_label": "user_id"}}])
	count(observability.deny) == 1 with input as _input(_promtail, prometheus, _loki)
}

test_labelmap_of_pod_meta_denied if {
	prometheus := json.patch(_prometheus, [{"op": "add", "path": "/scrape_configs/0/relabel_configs/-", "value": {"action": "labelmap", "regex": "__meta_kubernetes_pod_(name|ip)"}}])
	observability.deny == {
		_finding(
			"prometheus-config",
			"data[\"prometheus.yml\"].scrape_configs[0] (kubernetes-pods).relabel_configs[4] labelmap (regex \"__meta_kubernetes_pod_(name|ip)\") maps __meta_kubernetes_pod_name to the label \"name\"; every value becomes a new series (or Loki stream)",
		),
		_finding(
			"prometheus-config",
			"data[\"prometheus.yml\"].scrape_configs[0] (kubernetes-pods).relabel_configs[4] labelmap (regex \"__meta_kubernetes_pod_(name|ip)\") maps __meta_kubernetes_pod_ip to the label \"ip\"; every value becomes a new series (or Loki stream)",
		),
	} with input as _input(_promtail, prometheus, _loki)
}

test_pod_name_into_internal_label_allowed if {
	prometheus := json.patch(_prometheus, [{"op": "add", "path": "/scrape_configs/0/relabel_configs/-", "value": {"source_labels": ["__meta_kubernetes_pod_name"], "target_label": "__tmp_pod"}}])
	count(observability.deny) == 0 with input as _input(_promtail, prometheus, _loki)
}

# KF-OBS-003

test_idle_period_above_max_age_denied if {
	loki := json.patch(_loki, [{"op": "replace", "path": "/ingester/chunk_idle_period", "value": "90m"}])
	observability.deny == {_finding(
		"loki-config",
		"data[\"loki.yaml\"].ingester.chunk_idle_period is \"90m\", longer than max_chunk_age (1h); chunk_idle_period must not exceed max_chunk_age",
	)} with input as _input(_promtail, _prometheus, loki)
}

test_idle_period_default_above_max_age_denied if {
	loki := json.patch(_loki, [
		{"op": "remove", "path": "/ingester/chunk_idle_period"},
		{"op": "replace", "path": "/ingester/max_chunk_age", "value": "20m"},
	])
	observability.deny == {_finding(
		"loki-config",
		"data[\"loki.yaml\"].ingester.chunk_idle_period is unset (Loki default 30m), longer than max_chunk_age (20m); chunk_idle_period must not exceed max_chunk_age",
	)} with input as _input(_promtail, _prometheus, loki)
}

test_chunk_setting_not_a_duration_denied if {
	loki := json.patch(_loki, [{"op": "replace", "path": "/ingester/chunk_idle_period", "value": "five minutes"}])
	observability.deny == {_finding(
		"loki-config",
		"data[\"loki.yaml\"].ingester.chunk_idle_period is \"five minutes\", not a duration",
	)} with input as _input(_promtail, _prometheus, loki)
}

test_equal_idle_and_max_age_allowed if {
	loki := json.patch(_loki, [{"op": "replace", "path": "/ingester/chunk_idle_period", "value": "1h"}])
	count(observability.deny) == 0 with input as _input(_promtail, _prometheus, loki)
}

# KF-OBS-004

test_max_chunk_age_above_2h_denied if {
	loki := json.patch(_loki, [{"op": "replace", "path": "/ingester/max_chunk_age", "value": "3h"}])
	observability.deny == {_finding(
		"loki-config",
		"data[\"loki.yaml\"].ingester.max_chunk_age is \"3h\"; it must be at most 2h",
	)} with input as _input(_promtail, _prometheus, loki)
}

test_max_chunk_age_2h_allowed if {
	loki := json.patch(_loki, [{"op": "replace", "path": "/ingester/max_chunk_age", "value": "2h"}])
	count(observability.deny) == 0 with input as _input(_promtail, _prometheus, loki)
	count(observability.deny) == 0 with input as _input(_promtail, _prometheus, json.patch(_loki, [{"op": "remove", "path": "/ingester/max_chunk_age"}]))
}
