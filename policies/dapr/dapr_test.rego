package kforge.dapr_test

import data.kforge.dapr

_component(name, type, min_idle) := {
	"apiVersion": "dapr.io/v1alpha1",
	"kind": "Component",
	"metadata": {"name": name, "namespace": "apps"},
	"spec": {
		"type": type,
		"version": "v1",
		"metadata": [
			{"name": "redisHost", "value": "redis.data:6379"},
			{"name": "redisPassword", "secretKeyRef": {"name": "redis", "key": "password"}},
			{"name": "poolSize", "value": "20"},
			{"name": "minIdleConns", "value": min_idle},
			{"name": "keyPrefix", "value": "name"},
		],
	},
	"auth": {"secretStore": "kubernetes"},
	"scopes": ["order-service"],
}

_app(annotations) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "order-service-v1-8", "namespace": "apps", "labels": {"app.kubernetes.io/name": "order-service"}},
	"spec": {"template": {
		"metadata": {
			"labels": {"app": "order-service", "app.kubernetes.io/name": "order-service"},
			"annotations": annotations,
		},
		"spec": {"containers": [{"name": "order-service", "image": "order-service:v1.8", "ports": [{"name": "http", "containerPort": 8080}]}]},
	}},
}

_annotations := {
	"dapr.io/enabled": "true",
	"dapr.io/app-id": "order-service",
	"dapr.io/app-port": "8080",
	"dapr.io/config": "tracing",
}

_base := {
	"store": _component("redis-store", "state.redis", "10"),
	"pubsub": _component("order-pubsub", "pubsub.redis", "10"),
	"app": _app(_annotations),
}

_input(tier, objects) := {
	"environment": {"name": tier, "tier": tier, "labels": {"tier": tier}, "namespace": "apps"},
	"resources": [obj | some obj in objects],
	"previous": [],
}

_with(tier, overrides) := _input(tier, object.union(object.remove(_base, object.keys(overrides)), overrides))

_ref(obj) := {
	"apiVersion": obj.apiVersion,
	"kind": obj.kind,
	"namespace": object.get(obj, ["metadata", "namespace"], ""),
	"name": obj.metadata.name,
}

test_reference_dapr_allowed if {
	count(dapr.deny) == 0 with input as _input("prod", _base)
}

# KF-DAPR-001

test_plaintext_password_denied if {
	store := json.patch(_base.store, [{"op": "replace", "path": "/spec/metadata/1", "value": {"name": "redisPassword", "value": "hunter2"}}])
	dapr.deny == {{
		"msg": "spec.metadata[1] (redisPassword) has a plaintext value; take it from a secret with secretKeyRef {name, key} and auth.secretStore",
		"resource": _ref(store),
	}} with input as _with("prod", {"store": store})
}

test_plaintext_access_key_denied if {
	store := json.patch(_base.store, [{"op": "add", "path": "/spec/metadata/-", "value": {"name": "accessKey", "value": "AKIA0000"}}])
	count(dapr.deny) == 1 with input as _with("prod", {"store": store})
}

test_empty_password_and_key_prefix_allowed if {
	store := json.patch(_base.store, [{"op": "replace", "path": "/spec/metadata/1", "value": {"name": "redisPassword", "value": ""}}])
	count(dapr.deny) == 0 with input as _with("prod", {"store": store})
}

# KF-DAPR-002

test_app_id_mismatch_denied if {
	app := _app(object.union(_annotations, {"dapr.io/app-id": "orders"}))
	dapr.deny == {{
		"msg": "spec.template.metadata.annotations[\"dapr.io/app-id\"] is \"orders\"; it must equal the app.kubernetes.io/name label \"order-service\"",
		"resource": _ref(app),
	}} with input as _with("prod", {"app": app})
}

test_app_id_missing_denied if {
	app := _app(object.remove(_annotations, ["dapr.io/app-id"]))
	dapr.deny == {{
		"msg": "spec.template.metadata.annotations[\"dapr.io/app-id\"] is \"\"; it must equal the app.kubernetes.io/name label \"order-service\"",
		"resource": _ref(app),
	}} with input as _with("prod", {"app": app})
}

test_app_without_name_label_denied if {
	app := json.patch(_app(_annotations), [
		{"op": "remove", "path": "/metadata/labels"},
		{"op": "remove", "path": "/spec/template/metadata/labels/app.kubernetes.io~1name"},
	])
	dapr.deny == {{
		"msg": "spec.template.metadata.annotations[\"dapr.io/app-id\"] is \"order-service\", but the pods carry no app.kubernetes.io/name label to match",
		"resource": _ref(app),
	}} with input as _with("prod", {"app": app})
}

test_sidecar_disabled_not_checked if {
	app := _app({"dapr.io/enabled": "false", "dapr.io/app-id": "anything", "dapr.io/app-port": "1"})
	count(dapr.deny) == 0 with input as _with("prod", {"app": app})
}

# KF-DAPR-003

test_app_port_not_declared_denied if {
	app := _app(object.union(_annotations, {"dapr.io/app-port": "9090"}))
	dapr.deny == {{
		"msg": "spec.template.metadata.annotations[\"dapr.io/app-port\"] is \"9090\", but the containers declare ports [8080]",
		"resource": _ref(app),
	}} with input as _with("prod", {"app": app})
}

test_app_port_not_a_number_denied if {
	app := _app(object.union(_annotations, {"dapr.io/app-port": "http"}))
	count(dapr.deny) == 1 with input as _with("prod", {"app": app})
}

test_app_port_optional_allowed if {
	app := _app(object.remove(_annotations, ["dapr.io/app-port"]))
	count(dapr.deny) == 0 with input as _with("prod", {"app": app})
}

# KF-DAPR-004

test_prod_idle_connections_too_few_denied if {
	store := _component("redis-store", "state.redis", "5")
	dapr.deny == {{
		"msg": "spec.metadata[3] (minIdleConns) is 5; the prod tier needs at least 10 idle connections",
		"resource": _ref(store),
	}} with input as _with("prod", {"store": store})
}

test_idle_connections_missing_denied if {
	store := json.patch(_base.store, [{"op": "remove", "path": "/spec/metadata/3"}])
	dapr.deny == {{
		"msg": "spec.metadata has no minIdleConns (state.redis defaults to 0); the dev tier needs at least 1 idle connections",
		"resource": _ref(store),
	}} with input as _with("dev", {"store": store})
}

test_idle_connections_not_a_number_denied if {
	store := _component("redis-store", "state.redis", "many")
	count(dapr.deny) == 1 with input as _with("dev", {"store": store})
}

test_staging_idle_connections_allowed if {
	count(dapr.deny) == 0 with input as _with("staging", {
		"store": _component("redis-store", "state.redis", "5"),
		"pubsub": _component("order-pubsub", "pubsub.redis", "5"),
	})
}

test_non_redis_component_not_checked if {
	count(dapr.deny) == 0 with input as _with("prod", {"store": _component("kafka", "pubsub.kafka", "0")})
}
