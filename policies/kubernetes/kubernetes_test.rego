package kforge.kubernetes_test

import data.kforge.kubernetes

_labels := {
	"app.kubernetes.io/name": "order-service",
	"app.kubernetes.io/instance": "order-service-v1-8",
	"app.kubernetes.io/version": "v1.8",
	"app.kubernetes.io/component": "api",
	"app.kubernetes.io/part-of": "kforge-platform",
	"app.kubernetes.io/managed-by": "kforge",
}

_container := {
	"name": "order-service",
	"image": "ghcr.io/kforge/order-service:v1.8",
	"ports": [{"name": "http", "containerPort": 8080}],
	"resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
	"readinessProbe": {"httpGet": {"path": "/readyz", "port": "http"}},
	"livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
	"securityContext": {
		"runAsNonRoot": true,
		"readOnlyRootFilesystem": true,
		"allowPrivilegeEscalation": false,
		"capabilities": {"drop": ["ALL"]},
	},
}

_deployment(containers) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "order-service-v1-8", "namespace": "apps", "labels": _labels},
	"spec": {"replicas": 2, "template": {
		"metadata": {"labels": object.union(_labels, {"app": "order-service", "version": "v1.8"})},
		"spec": {"containers": containers},
	}},
}

_job := {
	"apiVersion": "batch/v1",
	"kind": "Job",
	"metadata": {"name": "migrate", "namespace": "apps", "labels": _labels},
	"spec": {"template": {
		"metadata": {"labels": _labels},
		"spec": {
			"securityContext": {"runAsNonRoot": true, "runAsUser": 10001},
			"initContainers": [object.remove(_container, ["readinessProbe", "livenessProbe", "securityContext"])],
			"containers": [object.remove(_container, ["readinessProbe", "livenessProbe", "securityContext"])],
		},
	}},
}

_namespace := {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps"}}

_service := {
	"apiVersion": "v1",
	"kind": "Service",
	"metadata": {"name": "order-service", "namespace": "apps", "labels": _labels},
	"spec": {"selector": {"app": "order-service"}, "ports": [{"port": 8080}]},
}

_input(objects) := {
	"environment": {"name": "prod", "tier": "prod", "labels": {"tier": "prod"}, "namespace": "apps"},
	"resources": objects,
	"previous": [],
}

_ref(obj) := {
	"apiVersion": obj.apiVersion,
	"kind": obj.kind,
	"namespace": object.get(obj, ["metadata", "namespace"], ""),
	"name": obj.metadata.name,
}

_with_container(patch) := _deployment([json.patch(_container, patch)])

_path := "spec.template.spec.containers[0] (order-service)"

test_reference_objects_allowed if {
	objects := [_deployment([_container]), _job, _namespace, _service]
	count(kubernetes.deny) == 0 with input as _input(objects)
	count(kubernetes.warn) == 0 with input as _input(objects)
}

# KF-K8S-001

test_latest_tag_denied if {
	d := _with_container([{"op": "replace", "path": "/image", "value": "registry.local:5000/order-service:latest"}])
	kubernetes.deny == {{
		"msg": sprintf("%s image \"registry.local:5000/order-service:latest\" has the latest tag; pin a version tag or a digest", [_path]),
		"resource": _ref(d),
	}} with input as _input([d])
}

test_missing_tag_denied if {
	d := _with_container([{"op": "replace", "path": "/image", "value": "registry.local:5000/order-service"}])
	kubernetes.deny == {{
		"msg": sprintf("%s image \"registry.local:5000/order-service\" has no tag (it means latest); pin a version tag or a digest", [_path]),
		"resource": _ref(d),
	}} with input as _input([d])
}

test_digest_allowed if {
	d := _with_container([{"op": "replace", "path": "/image", "value": "ghcr.io/kforge/order-service@sha256:0123456789abcdef"}])
	count(kubernetes.deny) == 0 with input as _input([d])
}

# KF-K8S-002

test_missing_resources_denied if {
	d := _with_container([{"op": "replace", "path": "/resources", "value": {"limits": {"cpu": "1"}}}])
	kubernetes.deny == {{
		"msg": sprintf("%s has no resources.limits.memory, resources.requests.cpu, resources.requests.memory", [_path]),
		"resource": _ref(d),
	}} with input as _input([d])
}

test_init_container_resources_denied if {
	job := json.patch(_job, [{"op": "remove", "path": "/spec/template/spec/initContainers/0/resources"}])
	kubernetes.deny == {{
		"msg": "spec.template.spec.initContainers[0] (order-service) has no resources.limits.memory, resources.requests.cpu, resources.requests.memory",
		"resource": _ref(job),
	}} with input as _input([job])
}

test_cpu_limit_optional_allowed if {
	d := _with_container([{"op": "remove", "path": "/resources/limits/cpu"}])
	count(kubernetes.deny) == 0 with input as _input([d])
}

# KF-K8S-003

test_missing_probes_denied if {
	d := _with_container([{"op": "remove", "path": "/readinessProbe"}, {"op": "remove", "path": "/livenessProbe"}])
	kubernetes.deny == {{
		"msg": sprintf("%s has no readinessProbe and livenessProbe", [_path]),
		"resource": _ref(d),
	}} with input as _input([d])
}

test_missing_liveness_probe_on_statefulset_denied if {
	sts := json.patch(_deployment([object.remove(_container, ["livenessProbe"])]), [{"op": "replace", "path": "/kind", "value": "StatefulSet"}])
	kubernetes.deny == {{
		"msg": sprintf("%s has no livenessProbe", [_path]),
		"resource": _ref(sts),
	}} with input as _input([sts])
}

test_jobs_need_no_probes_allowed if {
	count(kubernetes.deny) == 0 with input as _input([_job])
}

# KF-K8S-004

test_missing_version_labels_denied if {
	d := json.patch(_deployment([_container]), [
		{"op": "remove", "path": "/metadata/labels/app.kubernetes.io~1version"},
		{"op": "remove", "path": "/spec/template/metadata/labels/app.kubernetes.io~1version"},
		{"op": "remove", "path": "/spec/template/metadata/labels/app.kubernetes.io~1name"},
	])
	kubernetes.deny == {
		{"msg": "metadata.labels lacks app.kubernetes.io/version", "resource": _ref(d)},
		{"msg": "spec.template.metadata.labels lacks app.kubernetes.io/name, app.kubernetes.io/version", "resource": _ref(d)},
	} with input as _input([d])
}

test_services_need_no_version_label_allowed if {
	service := json.patch(_service, [{"op": "replace", "path": "/metadata/labels", "value": {"app": "order-service"}}])
	count(kubernetes.deny) == 0 with input as _input([service])
}

# KF-K8S-005

test_partial_recommended_labels_warned if {
	service := json.patch(_service, [{"op": "replace", "path": "/metadata/labels", "value": {"app.kubernetes.io/name": "order-service", "app.kubernetes.io/version": "v1.8"}}])
	kubernetes.warn == {{
		"msg": "metadata.labels lacks app.kubernetes.io/instance, app.kubernetes.io/component, app.kubernetes.io/part-of, app.kubernetes.io/managed-by",
		"resource": _ref(service),
	}} with input as _input([service])
}

test_objects_without_app_name_not_warned if {
	count(kubernetes.warn) == 0 with input as _input([_namespace])
}

# KF-K8S-006

test_root_container_denied if {
	d := _with_container([{"op": "replace", "path": "/securityContext", "value": {"runAsUser": 0}}])
	kubernetes.deny == {
		{"msg": sprintf("%s runAsNonRoot is not true in the container or pod securityContext", [_path]), "resource": _ref(d)},
		{"msg": sprintf("%s runs as user 0 (securityContext.runAsUser)", [_path]), "resource": _ref(d)},
	} with input as _input([d])
}

test_container_overrides_pod_non_root_denied if {
	job := json.patch(_job, [{"op": "add", "path": "/spec/template/spec/containers/0/securityContext", "value": {"runAsNonRoot": false}}])
	kubernetes.deny == {{
		"msg": "spec.template.spec.containers[0] (order-service) runAsNonRoot is not true in the container or pod securityContext",
		"resource": _ref(job),
	}} with input as _input([job])
}

test_pod_level_non_root_allowed if {
	count(kubernetes.deny) == 0 with input as _input([_job])
}

# KF-K8S-007

_secret(annotations) := {
	"apiVersion": "v1",
	"kind": "Secret",
	"metadata": {"name": "redis", "namespace": "data", "annotations": annotations},
	"stringData": {"password": "hunter2"},
}

test_plaintext_secret_denied if {
	secret := _secret({})
	kubernetes.deny == {{
		"msg": "a plaintext Secret would be committed to golden/; reference the secret instead or annotate kforge.dev/allow-plaintext-secret: \"true\"",
		"resource": _ref(secret),
	}} with input as _input([secret])
	count(kubernetes.deny) == 1 with input as _input([_secret({"kforge.dev/allow-plaintext-secret": "yes"})])
}

test_annotated_secret_allowed if {
	count(kubernetes.deny) == 0 with input as _input([_secret({"kforge.dev/allow-plaintext-secret": "true"})])
}

# KF-K8S-008

test_missing_namespace_denied if {
	service := json.patch(_service, [{"op": "remove", "path": "/metadata/namespace"}])
	kubernetes.deny == {{
		"msg": "metadata.namespace is not set on a namespaced Service",
		"resource": _ref(service),
	}} with input as _input([service])
}

test_cluster_scoped_without_namespace_allowed if {
	role := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "prometheus"}, "rules": []}
	count(kubernetes.deny) == 0 with input as _input([_namespace, role])
}

# KF-K8S-009

test_duplicate_names_denied if {
	kubernetes.deny == {{
		"msg": "2 objects of kind Service share this name in the same namespace",
		"resource": _ref(_service),
	}} with input as _input([_service, json.patch(_service, [{"op": "add", "path": "/spec/type", "value": "NodePort"}])])
}

test_duplicates_across_versions_of_one_group_denied if {
	v1 := {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web", "namespace": "apps"}}
	v2 := json.patch(v1, [{"op": "replace", "path": "/apiVersion", "value": "autoscaling/v2"}])
	other := json.patch(v1, [{"op": "replace", "path": "/metadata/name", "value": "api"}])
	kubernetes.deny == {
		{"msg": "3 objects of kind HorizontalPodAutoscaler share this name in the same namespace", "resource": _ref(v1)},
		{"msg": "3 objects of kind HorizontalPodAutoscaler share this name in the same namespace", "resource": _ref(v2)},
	} with input as _input([v1, other, v2, v1])
}

test_same_kind_and_name_in_other_group_allowed if {
	knative := json.patch(_service, [{"op": "replace", "path": "/apiVersion", "value": "serving.knative.dev/v1"}])
	count(kubernetes.deny) == 0 with input as _input([_service, knative])
}

test_same_name_other_kind_or_namespace_allowed if {
	other_namespace := json.patch(_service, [{"op": "replace", "path": "/metadata/namespace", "value": "data"}])
	config_map := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "order-service", "namespace": "apps"}, "data": {}}
	count(kubernetes.deny) == 0 with input as _input([_service, other_namespace, config_map])
}
