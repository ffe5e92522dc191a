# Observability configuration: label cardinality in Promtail pipelines and
# Prometheus/Promtail relabelling, and Loki chunk settings. ConfigMap
# documents are recognised by shape; the label lists and Loki limits come
# from data.kforge.settings.observability.
package kforge.observability

import data.kforge.lib

_settings := lib.settings.observability

_high_cardinality_labels := {l | some l in _settings.high_cardinality_labels}

_high_cardinality_sources := {s | some s in _settings.high_cardinality_sources}

# _scrape_configs are the scrape_configs of Prometheus and Promtail files.
_scrape_configs contains {"entry": entry, "index": i, "sc": sc, "path": path} if {
	some entry in lib.config_docs
	some i, sc in entry.doc.scrape_configs
	is_object(sc)
	path := sprintf("data[%q].scrape_configs[%d] (%s)", [entry.key, i, object.get(sc, "job_name", "")])
}

# _path_string renders a walk path: ["a", 0, "b"] -> ".a[0].b".
_path_string(path) := concat("", [_path_element(e) | some e in path])

_path_element(e) := sprintf("[%d]", [e]) if is_number(e)

else := sprintf(".%s", [e])

# _label_stages are Promtail `labels` stages, nested `match` stages included.
_label_stages contains {"s": s, "path": sprintf("%s.pipeline_stages%s.labels", [s.path, _path_string(path)]), "labels": stage.labels} if {
	some s in _scrape_configs
	walk(object.get(s.sc, "pipeline_stages", []), [path, stage])
	count(path) > 0
	is_number(path[count(path) - 1])
	is_object(stage)
	is_object(stage.labels)
}

# METADATA
# title: Promtail promotes no high-cardinality label
# description: >-
#   A Promtail `labels` stage must not turn high-cardinality fields
#   (trace_id, span_id, user_id, request_id, IPs, pod names;
#   data.kforge.settings.observability.high_cardinality_labels) into Loki
#   stream labels: each value opens a new stream. Keep them in the log line
#   or in structured metadata.
# scope: rule
# custom:
#   id: KF-OBS-001
#   severity: error
deny contains finding if {
	some stage in _label_stages
	some name, source in stage.labels
	field := _source_field(name, source)
	_high_cardinality(name, field)
	finding := lib.finding(stage.s.entry.resource, sprintf("%s.%s promotes %s to a Loki label; high-cardinality values belong in the log line or structured metadata", [stage.path, name, _what(name, field)]))
}

_source_field(name, source) := source if {
	is_string(source)
	source != ""
} else := name

_high_cardinality(name, _) if name in _high_cardinality_labels

_high_cardinality(_, field) if field in _high_cardinality_labels

_what(name, field) := sprintf("field %q", [field]) if {
	field == name
} else := sprintf("field %q as label %q", [field, name])

_relabel_rules contains {"s": s, "rule": rule, "path": sprintf("%s.%s[%d]", [s.path, list, j])} if {
	some s in _scrape_configs
	some list in ["relabel_configs", "metric_relabel_configs"]
	some j, rule in object.get(s.sc, list, [])
	is_object(rule)
}

_action(rule) := lower(object.get(rule, "action", "replace"))

_full_capture := {"(.*)", "(.+)", "^(.*)$", "^(.+)$"}

_whole_value(rule) if {
	object.get(rule, "regex", "(.*)") in _full_capture
	object.get(rule, "replacement", "$1") in {"$1", "${1}"}
}

_relabel_problems contains {"r": r, "msg": msg} if {
	some r in _relabel_rules
	_action(r.rule) in {"replace", "lowercase", "uppercase"}
	target := object.get(r.rule, "target_label", "")
	target in _high_cardinality_labels
	msg := sprintf("%s.target_label is %q, a high-cardinality label", [r.path, target])
}

_relabel_problems contains {"r": r, "msg": msg} if {
	some r in _relabel_rules
	_action(r.rule) in {"replace", "lowercase", "uppercase"}
	target := object.get(r.rule, "target_label", "")
	not target in _high_cardinality_labels
	not startswith(target, "__")
	some source in object.get(r.rule, "source_labels", [])
	source in _high_cardinality_sources
	_whole_value(r.rule)
	msg := sprintf("%s copies %s into the kept label %q", [r.path, source, target])
}

_relabel_problems contains {"r": r, "msg": msg} if {
	some r in _relabel_rules
	_action(r.rule) == "labelmap"
	pattern := sprintf("^(?:%s)$", [object.get(r.rule, "regex", "(.*)")])
	some source in _high_cardinality_sources
	regex.match(pattern, source)
	mapped := regex.replace(source, pattern, object.get(r.rule, "replacement", "$1"))
	not startswith(mapped, "__")
	msg := sprintf("%s labelmap (regex %q) maps %s to the label %q", [r.path, r.rule.regex, source, mapped])
}

# METADATA
# title: Relabelling adds no high-cardinality label
# description: >-
#   Prometheus and Promtail relabel_configs / metric_relabel_configs must not
#   write a high-cardinality label (target_label trace_id, pod, ip ...) nor
#   copy per-pod values (__meta_kubernetes_pod_name, __meta_kubernetes_pod_ip
#   ...) into a kept label, directly or through labelmap.
# scope: rule
# custom:
#   id: KF-OBS-002
#   severity: error
deny contains finding if {
	some p in _relabel_problems
	finding := lib.finding(p.r.s.entry.resource, sprintf("%s; every value becomes a new series (or Loki stream)", [p.msg]))
}

# _loki_configs are Loki configuration files (an ingester section next to
# schema_config, or chunk settings in the ingester).
_loki_configs contains entry if {
	some entry in lib.config_docs
	is_object(entry.doc.ingester)
	_loki_shape(entry.doc)
}

_loki_shape(doc) if is_object(doc.schema_config)

_loki_shape(doc) if {
	some key in ["chunk_idle_period", "max_chunk_age"]
	key in object.keys(doc.ingester)
}

_chunk_setting(entry, field) := {
	"value": value,
	"ns": lib.duration_ns(value),
	"path": sprintf("data[%q].ingester.%s", [entry.key, field]),
	"desc": _setting_desc(entry, field, value),
} if {
	value := object.get(entry.doc.ingester, field, _settings.loki_defaults[field])
}

_setting_desc(entry, field, value) := sprintf("%s is %s", [sprintf("data[%q].ingester.%s", [entry.key, field]), lib.show(value)]) if {
	field in object.keys(entry.doc.ingester)
} else := sprintf("data[%q].ingester.%s is unset (Loki default %s)", [entry.key, field, value])

_loki_problems contains {"entry": entry, "msg": msg} if {
	some entry in _loki_configs
	some field in ["chunk_idle_period", "max_chunk_age"]
	value := object.get(entry.doc.ingester, field, _settings.loki_defaults[field])
	not lib.duration_ns(value)
	msg := sprintf("data[%q].ingester.%s is %s, not a duration", [entry.key, field, lib.show(value)])
}

_loki_problems contains {"entry": entry, "msg": msg} if {
	some entry in _loki_configs
	idle := _chunk_setting(entry, "chunk_idle_period")
	age := _chunk_setting(entry, "max_chunk_age")
	idle.ns > age.ns
	msg := sprintf("%s, longer than max_chunk_age (%s); chunk_idle_period must not exceed max_chunk_age", [idle.desc, age.value])
}

# METADATA
# title: Loki chunk_idle_period not above max_chunk_age
# description: >-
#   The ingester's chunk_idle_period and max_chunk_age must be durations with
#   chunk_idle_period <= max_chunk_age, or idle streams are held longer than
#   any chunk may live.
# scope: rule
# custom:
#   id: KF-OBS-003
#   severity: error
deny contains finding if {
	some p in _loki_problems
	finding := lib.finding(p.entry.resource, p.msg)
}

# METADATA
# title: Loki max_chunk_age at most 2h
# description: >-
#   max_chunk_age must not exceed 2h
#   (data.kforge.settings.observability.loki_max_chunk_age): longer-lived
#   chunks hold ingester memory, raise what a crash loses and widen the
#   out-of-order window (max_chunk_age / 2).
# scope: rule
# custom:
#   id: KF-OBS-004
#   severity: error
deny contains finding if {
	some entry in _loki_configs
	age := _chunk_setting(entry, "max_chunk_age")
	age.ns > lib.duration_ns(_settings.loki_max_chunk_age)
	finding := lib.finding(entry.resource, sprintf("%s; it must be at most %s", [age.desc, _settings.loki_max_chunk_age]))
}
