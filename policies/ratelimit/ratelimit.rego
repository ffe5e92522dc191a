# Rate limiting and circuit breaking in embedded service configuration:
# Kratos sentinel rules (middleware.sentinel.rules) and Go-kit endpoint
# middleware (endpoints.<name>.rateLimiter / circuitBreaker). ConfigMap
# documents are recognised by shape, not by name.
package kforge.ratelimit

import data.kforge.lib

_path(entry, path) := sprintf("data[%q].%s", [entry.key, path])

# _sentinel_rules are the rules of Kratos configuration files.
_sentinel_rules contains {"entry": entry, "index": i, "rule": rule, "path": _path(entry, sprintf("middleware.sentinel.rules[%d]", [i]))} if {
	some entry in lib.config_docs
	some i, rule in entry.doc.middleware.sentinel.rules
}

_resource(rule) := sprintf("%v", [object.get(rule, "resource", "")])

_positive_number(x) if {
	is_number(x)
	x > 0
}

# METADATA
# title: Sentinel thresholds are positive
# description: >-
#   A Kratos sentinel flow rule's threshold (requests per second) must be a
#   number above 0; 0 rejects every request.
# scope: rule
# custom:
#   id: KF-RATELIMIT-001
#   severity: error
deny contains finding if {
	some r in _sentinel_rules
	threshold := object.get(r.rule, "threshold", null)
	not _positive_number(threshold)
	finding := lib.finding(r.entry.resource, sprintf("%s (%s) threshold is %s; it must be a number above 0", [r.path, _resource(r.rule), lib.show(threshold)]))
}

# METADATA
# title: Sentinel rule resources are unique
# description: >-
#   Each resource may have one sentinel flow rule per configuration file;
#   duplicates silently override each other.
# scope: rule
# custom:
#   id: KF-RATELIMIT-002
#   severity: error
deny contains finding if {
	some entry in lib.config_docs
	rules := entry.doc.middleware.sentinel.rules
	some name in {_resource(rule) | some rule in rules}
	indexes := [i | some i, rule in rules; _resource(rule) == name]
	count(indexes) > 1
	finding := lib.finding(entry.resource, sprintf("%s has %d rules for resource %q (indexes %v); keep one rule per resource", [_path(entry, "middleware.sentinel.rules"), count(indexes), name, indexes]))
}

_warm_up(rule) if lower(object.get(rule, "controlBehavior", "")) == "warmup"

_warm_up(rule) if lower(object.get(rule, "tokenCalculateStrategy", "")) == "warmup"

# METADATA
# title: Sentinel warm-up needs a warm-up period
# description: >-
#   A sentinel rule with the WarmUp control behaviour must set
#   warmUpPeriodSec above 0, or it never warms up.
# scope: rule
# custom:
#   id: KF-RATELIMIT-003
#   severity: error
deny contains finding if {
	some r in _sentinel_rules
	_warm_up(r.rule)
	period := object.get(r.rule, "warmUpPeriodSec", null)
	not _positive_number(period)
	finding := lib.finding(r.entry.resource, sprintf("%s (%s) uses WarmUp but warmUpPeriodSec is %s; it must be above 0", [r.path, _resource(r.rule), lib.show(period)]))
}

# _endpoint_settings are the Go-kit endpoint middleware sections.
_endpoint_settings contains {"entry": entry, "section": section, "cfg": cfg, "path": _path(entry, sprintf("endpoints.%s.%s", [name, section]))} if {
	some entry in lib.config_docs
	is_object(entry.doc.endpoints)
	some name, endpoint in entry.doc.endpoints
	some section in ["rateLimiter", "circuitBreaker"]
	cfg := endpoint[section]
	is_object(cfg)
}

_integer_at_least(x, low) if {
	is_number(x)
	round(x) == x
	x >= low
}

_limiter_problems contains {"s": s, "field": "qps", "value": value, "limit": "a number above 0"} if {
	some s in _endpoint_settings
	s.section == "rateLimiter"
	value := object.get(s.cfg, "qps", null)
	not _positive_number(value)
}

_limiter_problems contains {"s": s, "field": "burst", "value": value, "limit": "an integer of at least 1"} if {
	some s in _endpoint_settings
	s.section == "rateLimiter"
	value := object.get(s.cfg, "burst", null)
	not _integer_at_least(value, 1)
}

# METADATA
# title: Go-kit rate limiter settings in range
# description: >-
#   A Go-kit endpoint rate limiter needs qps above 0 and burst of at least 1;
#   a token bucket with burst 0 admits nothing.
# scope: rule
# custom:
#   id: KF-RATELIMIT-004
#   severity: error
deny contains finding if {
	some p in _limiter_problems
	finding := lib.finding(p.s.entry.resource, sprintf("%s.%s is %s; it must be %s", [p.s.path, p.field, lib.show(p.value), p.limit]))
}

# METADATA
# title: Go-kit circuit breaker maxRequests at least 1
# description: >-
#   maxRequests is how many requests pass while the breaker is half-open;
#   it must be an integer of at least 1.
# scope: rule
# custom:
#   id: KF-RATELIMIT-005
#   severity: error
deny contains finding if {
	some s in _endpoint_settings
	s.section == "circuitBreaker"
	value := object.get(s.cfg, "maxRequests", null)
	not _integer_at_least(value, 1)
	finding := lib.finding(s.entry.resource, sprintf("%s.maxRequests is %s; it must be an integer of at least 1", [s.path, lib.show(value)]))
}

_ratio(x) if {
	is_number(x)
	x > 0
	x <= 1
}

# METADATA
# title: Go-kit circuit breaker failureRatio in (0, 1]
# description: >-
#   The share of failed requests that trips the breaker must lie in (0, 1];
#   0 trips on the first failure, above 1 never trips.
# scope: rule
# custom:
#   id: KF-RATELIMIT-006
#   severity: error
deny contains finding if {
	some s in _endpoint_settings
	s.section == "circuitBreaker"
	value := object.get(s.cfg, "failureRatio", null)
	not _ratio(value)
	finding := lib.finding(s.entry.resource, sprintf("%s.failureRatio is %s; it must be a number in (0, 1]", [s.path, lib.show(value)]))
}

_positive_duration(x) if lib.duration_ns(x) > 0

# METADATA
# title: Go-kit circuit breaker durations are positive
# description: >-
#   The breaker's interval (how often counts reset) and timeout (how long it
#   stays open) must be positive Go durations such as "30s"; 0 silently
#   falls back to gobreaker's defaults and a bare number is no duration.
# scope: rule
# custom:
#   id: KF-RATELIMIT-007
#   severity: error
deny contains finding if {
	some s in _endpoint_settings
	s.section == "circuitBreaker"
	some field in ["interval", "timeout"]
	value := object.get(s.cfg, field, null)
	not _positive_duration(value)
	finding := lib.finding(s.entry.resource, sprintf("%s.%s is %s; it must be a positive duration such as \"30s\"", [s.path, field, lib.show(value)]))
}
