package kforge.lib_test

import data.kforge.lib

_deployment := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": "apps", "labels": {"app.kubernetes.io/name": "web"}},
	"spec": {"template": {
		"metadata": {"labels": {"app": "web"}, "annotations": {"a": "b"}},
		"spec": {
			"initContainers": [{"name": "init", "image": "busybox:1.36"}],
			"containers": [{"name": "web", "image": "web:1.0", "env": [
				{"name": "X", "value": "1"},
				{"name": "X", "value": "2"},
				{"name": "Y", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
			]}],
		},
	}},
}

_cronjob := {
	"apiVersion": "batch/v1",
	"kind": "CronJob",
	"metadata": {"name": "tick"},
	"spec": {"jobTemplate": {"spec": {"template": {
		"metadata": {"labels": {"app": "tick"}},
		"spec": {"containers": [{"name": "tick", "image": "tick:1"}]},
	}}}},
}

test_tier_from_environment if {
	lib.tier == "staging" with input.environment.tier as "staging"
	lib.tier_limits.canary_cap == 50 with input.environment.tier as "staging"
}

test_tier_defaults_for_unknown_tier if {
	lib.tier == "prod" with input.environment.tier as "qa"
	lib.tier == "prod" with input as {"resources": []}
}

test_resource_ref_and_describe if {
	lib.resource_ref(_deployment) == {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "apps", "name": "web"}
	lib.describe(_deployment) == "Deployment apps/web"
	lib.describe({"kind": "Namespace", "metadata": {"name": "apps"}}) == "Namespace apps"
	lib.resource_ref({"kind": "Namespace", "metadata": {"name": "apps"}}).namespace == ""
}

test_api_group if {
	lib.api_group(_deployment) == "apps"
	lib.api_group({"apiVersion": "v1"}) == ""
}

test_pod_spec_paths if {
	lib.pod_spec_path(_deployment) == "spec.template.spec"
	lib.pod_spec_path(_cronjob) == "spec.jobTemplate.spec.template.spec"
	lib.pod_metadata_path(_deployment) == "spec.template.metadata"
	lib.pod_metadata_path(_cronjob) == "spec.jobTemplate.spec.template.metadata"
	lib.pod_metadata_path({"kind": "Pod", "spec": {}}) == "metadata"
	lib.pod_labels(_cronjob) == {"app": "tick"}
	lib.pod_annotations(_deployment) == {"a": "b"}
	not lib.pod_spec({"kind": "Service", "spec": {}})
}

test_workloads if {
	lib.workloads == {_deployment, _cronjob} with input.resources as [_deployment, _cronjob, {"kind": "Service", "spec": {}}]
}

test_containers if {
	paths := {c.path | some c in lib.containers(_deployment)}
	paths == {"spec.template.spec.containers[0] (web)", "spec.template.spec.initContainers[0] (init)"}
}

test_field_paths if {
	field_paths := {c.field_path | some c in lib.containers(_deployment)}
	field_paths == {"spec.template.spec.containers[0]", "spec.template.spec.initContainers[0]"}
	some entry in lib.containers(_deployment)
	entry.field == "containers"
	lib.env_path(entry, "X") == "spec.template.spec.containers[0].env[1].value"
	lib.env_path(entry, "Y") == "spec.template.spec.containers[0].env[2]"
	lib.env_path(entry, "Z") == "spec.template.spec.containers[0]"
}

test_finding_at if {
	lib.finding_at(_deployment, "spec.replicas", "m") == {"msg": "m", "resource": lib.resource_ref(_deployment), "path": "spec.replicas"}
	lib.finding_at(_deployment, ["spec", "replicas"], "m").path == ["spec", "replicas"]
}

test_env_value_last_wins if {
	c := _deployment.spec.template.spec.containers[0]
	lib.env_value(c, "X") == "2"
	not lib.env_value(c, "Y")
	lib.env_declared(c, "Y")
	not lib.env_declared(c, "Z")
}

test_config_docs_by_shape if {
	cm := {"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a.yaml": "x: 1\n", "b.txt": "plain", "c": "{"}}
	lib.config_docs == {{"resource": cm, "key": "a.yaml", "doc": {"x": 1}}} with input.resources as [cm]
}

test_fqdn if {
	lib.fqdn("order-service", "apps") == "order-service.apps.svc.cluster.local"
	lib.fqdn("order-service.apps", "other") == "order-service.apps.svc.cluster.local"
	lib.fqdn("order-service.apps.svc", "other") == "order-service.apps.svc.cluster.local"
	lib.fqdn("order-service.apps.svc.cluster.local", "other") == "order-service.apps.svc.cluster.local"
	lib.fqdn("api.example.com", "apps") == "api.example.com"
}

test_as_number if {
	lib.as_number("0.1") == 0.1
	lib.as_number(" 1 ") == 1
	lib.as_number(5) == 5
	lib.as_number("1e-1") == 0.1
	not lib.as_number("ten")
	not lib.as_number("")
	not lib.as_number(true)
}

test_duration_ns if {
	lib.duration_ns("1h30m") == 5400000000000
	lib.duration_ns("5m") == 300000000000
	not lib.duration_ns("5")
	not lib.duration_ns("-5m")
	not lib.duration_ns(60)
}

test_is_subset if {
	lib.is_subset({"a": "1"}, {"a": "1", "b": "2"})
	lib.is_subset({}, {"a": "1"})
	not lib.is_subset({"a": "2"}, {"a": "1"})
}

test_image_repository if {
	lib.image_repository("quay.io/coreos/etcd:v3.5.17") == "quay.io/coreos/etcd"
	lib.image_repository("localhost:5000/app@sha256:abc") == "localhost:5000/app"
	lib.image_name("registry.k8s.io/etcd:3.5.17-0") == "etcd"
	lib.image_name("redis") == "redis"
}

test_show if {
	lib.show("5") == "\"5\""
	lib.show(5) == "5"
	lib.show(null) == "null"
}
