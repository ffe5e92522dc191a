package kforge.ratelimit_test

import data.kforge.ratelimit

_kratos := {
	"server": {"http": {"addr": "0.0.0.0:8000", "timeout": "1s"}, "grpc": {"addr": "0.0.0.0:9000", "timeout": "1s"}},
	"registry": {"etcd": {"endpoints": ["etcd-0.etcd.data:2379"]}},
	"middleware": {"logging": true, "sentinel": {"enable": true, "rules": [
		{"resource": "user.GetByID", "threshold": 100},
		{"resource": "user.List", "threshold": 20, "controlBehavior": "WarmUp", "warmUpPeriodSec": 10},
	]}},
}

_gokit := {"endpoints": {"score": {
	"circuitBreaker": {"maxRequests": 5, "interval": "60s", "timeout": "30s", "failureRatio": 0.6},
	"rateLimiter": {"qps": 200, "burst": 50},
	"instrumenting": {"namespace": "risk", "subsystem": "engine", "enabled": true},
}}}

_config_map(name, doc) := {
	"apiVersion": "v1",
	"kind": "ConfigMap",
	"metadata": {"name": name, "namespace": "apps"},
	"data": {"config.yaml": yaml.marshal(doc)},
}

_input(kratos, gokit) := {
	"environment": {"name": "prod", "tier": "prod", "labels": {"tier": "prod"}, "namespace": "apps"},
	"resources": [_config_map("user-service-config", kratos), _config_map("risk-engine-config", gokit)],
	"previous": [],
}

_user_ref := {"apiVersion": "v1", "kind": "ConfigMap", "namespace": "apps", "name": "user-service-config"}

_risk_ref := {"apiVersion": "v1", "kind": "ConfigMap", "namespace": "apps", "name": "risk-engine-config"}

_finding(ref, msg) := {"msg": msg, "resource": ref}

test_reference_configs_allowed if {
	count(ratelimit.deny) == 0 with input as _input(_kratos, _gokit)
}

test_other_config_maps_ignored if {
	count(ratelimit.deny) == 0 with input as _input({"middleware": {"logging": true}}, {"endpoints": ["a", "b"]})
}

# KF-RATELIMIT-001

test_zero_threshold_denied if {
	kratos := json.patch(_kratos, [{"op": "replace", "path": "/middleware/sentinel/rules/0/threshold", "value": 0}])
	ratelimit.deny == {_finding(_user_ref, "data[\"config.yaml\"].middleware.sentinel.rules[0] (user.GetByID) threshold is 0; it must be a number above 0")} with input as _input(kratos, _gokit)
}

test_missing_threshold_denied if {
	kratos := json.patch(_kratos, [{"op": "remove", "path": "/middleware/sentinel/rules/0/threshold"}])
	ratelimit.deny == {_finding(_user_ref, "data[\"config.yaml\"].middleware.sentinel.rules[0] (user.GetByID) threshold is null; it must be a number above 0")} with input as _input(kratos, _gokit)
}

test_fractional_threshold_allowed if {
	kratos := json.patch(_kratos, [{"op": "replace", "path": "/middleware/sentinel/rules/0/threshold", "value": 0.5}])
	count(ratelimit.deny) == 0 with input as _input(kratos, _gokit)
}

# KF-RATELIMIT-002

test_duplicate_resource_denied if {
	kratos := json.patch(_kratos, [{"op": "add", "path": "/middleware/sentinel/rules/-", "value": {"resource": "user.GetByID", "threshold": 50}}])
	ratelimit.deny == {_finding(_user_ref, "data[\"config.yaml\"].middleware.sentinel.rules has 2 rules for resource \"user.GetByID\" (indexes [0, 2]); keep one rule per resource")} with input as _input(kratos, _gokit)
}

test_distinct_resources_allowed if {
	kratos := json.patch(_kratos, [{"op": "add", "path": "/middleware/sentinel/rules/-", "value": {"resource": "user.Create", "threshold": 50}}])
	count(ratelimit.deny) == 0 with input as _input(kratos, _gokit)
}

# KF-RATELIMIT-003

test_warm_up_without_period_denied if {
	kratos := json.patch(_kratos, [{"op": "remove", "path": "/middleware/sentinel/rules/1/warmUpPeriodSec"}])
	ratelimit.deny == {_finding(_user_ref, "data[\"config.yaml\"].middleware.sentinel.rules[1] (user.List) uses WarmUp but warmUpPeriodSec is null; it must be above 0")} with input as _input(kratos, _gokit)
}

test_warm_up_strategy_zero_period_denied if {
	kratos := json.patch(_kratos, [{"op": "replace", "path": "/middleware/sentinel/rules/0", "value": {"resource": "user.GetByID", "threshold": 100, "tokenCalculateStrategy": "WarmUp", "warmUpPeriodSec": 0}}])
	count(ratelimit.deny) == 1 with input as _input(kratos, _gokit)
}

test_reject_without_period_allowed if {
	kratos := json.patch(_kratos, [{"op": "replace", "path": "/middleware/sentinel/rules/1", "value": {"resource": "user.List", "threshold": 20, "controlBehavior": "Reject"}}])
	count(ratelimit.deny) == 0 with input as _input(kratos, _gokit)
}

# KF-RATELIMIT-004

test_limiter_zero_qps_and_burst_denied if {
	gokit := json.patch(_gokit, [{"op": "replace", "path": "/endpoints/score/rateLimiter", "value": {"qps": 0, "burst": 0}}])
	ratelimit.deny == {
		_finding(_risk_ref, "data[\"config.yaml\"].endpoints.score.rateLimiter.qps is 0; it must be a number above 0"),
		_finding(_risk_ref, "data[\"config.yaml\"].endpoints.score.rateLimiter.burst is 0; it must be an integer of at least 1"),
	} with input as _input(_kratos, gokit)
}

test_limiter_string_qps_denied if {
	gokit := json.patch(_gokit, [{"op": "replace", "path": "/endpoints/score/rateLimiter/qps", "value": "200"}])
	ratelimit.deny == {_finding(_risk_ref, "data[\"config.yaml\"].endpoints.score.rateLimiter.qps is \"200\"; it must be a number above 0")} with input as _input(_kratos, gokit)
}

test_limiter_minimum_allowed if {
	gokit := json.patch(_gokit, [{"op": "replace", "path": "/endpoints/score/rateLimiter", "value": {"qps": 0.5, "burst": 1}}])
	count(ratelimit.deny) == 0 with input as _input(_kratos, gokit)
}

# KF-RATELIMIT-005

test_breaker_zero_max_requests_denied if {
	gokit := json.patch(_gokit, [{"op": "replace", "path": "/endpoints/score/circuitBreaker/maxRequests", "value": 0}])
	ratelimit.deny == {_finding(_risk_ref, "data[\"config.yaml\"].endpoints.score.circuitBreaker.maxRequests is 0; it must be an integer of at least 1")} with input as _input(_kratos, gokit)
}

test_breaker_one_max_request_allowed if {
	gokit := json.patch(_gokit, [{"op": "replace", "path": "/endpoints/score/circuitBreaker/maxRequests", "value": 1}])
	count(ratelimit.deny) == 0 with input as _input(_kratos, gokit)
}

# KF-RATELIMIT-006

test_breaker_failure_ratio_out_of_range_denied if {
	gokit := json.patch(_gokit, [{"op": "replace", "path": "/endpoints/score/circuitBreaker/failureRatio", "value": 1.5}])
	ratelimit.deny == {_finding(_risk_ref, "data[\"config.yaml\"].endpoints.score.circuitBreaker.failureRatio is 1.5; it must be a number in (0, 1]")} with input as _input(_kratos, gokit)
}

test_breaker_failure_ratio_zero_denied if {
	gokit := json.patch(_gokit, [{"op": "replace", "path": "/endpoints/score/circuitBreaker/failureRatio", "value": 0}])
	count(ratelimit.deny) == 1 with input as _input(_kratos, gokit)
}

test_breaker_failure_ratio_one_allowed if {
	gokit := json.patch(_gokit, [{"op": "replace", "path": "/endpoints/score/circuitBreaker/failureRatio", "value": 1}])
	count(ratelimit.deny) == 0 with input as _input(_kratos, gokit)
}

# KF-RATELIMIT-007

test_breaker_bad_durations_denied if {
	gokit := json.patch(_gokit, [
		{"op": "replace", "path": "/endpoints/score/circuitBreaker/interval", "value": "0s"},
		{"op": "replace", "path": "/endpoints/score/circuitBreaker/timeout", "value": 30},
	])
	ratelimit.deny == {
		_finding(_risk_ref, "data[\"config.yaml\"].endpoints.score.circuitBreaker.interval is \"0s\"; it must be a positive duration such as \"30s\""),
		_finding(_risk_ref, "data[\"config.yaml\"].endpoints.score.circuitBreaker.timeout is 30; it must be a positive duration such as \"30s\""),
	} with input as _input(_kratos, gokit)
}

test_breaker_compound_duration_allowed if {
	gokit := json.patch(_gokit, [{"op": "replace", "path": "/endpoints/score/circuitBreaker/interval", "value": "1m30s"}])
	count(ratelimit.deny) == 0 with input as _input(_kratos, gokit)
}
