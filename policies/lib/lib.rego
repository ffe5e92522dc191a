# Shared helpers for the kforge policy packages: resource references,
# tier limits, pod specs and containers, embedded configuration files,
# Istio host names, numbers and durations. This package reports nothing.
package kforge.lib

# tier is the environment's tier when data.kforge.tiers knows it, else
# data.kforge.default_tier (so unlabelled manifests get the strict limits).
tier := input.environment.tier if {
	input.environment.tier in object.keys(data.kforge.tiers)
} else := data.kforge.default_tier

# tier_limits holds the limits of the environment's tier.
tier_limits := data.kforge.tiers[tier]

# settings holds the tier-independent policy settings.
settings := data.kforge.settings

# resource_ref is the resource part of a finding.
resource_ref(obj) := {
	"apiVersion": object.get(obj, "apiVersion", ""),
	"kind": object.get(obj, "kind", ""),
	"namespace": namespace(obj),
	"name": name(obj),
}

# finding builds a finding for obj.
finding(obj, msg) := {"msg": msg, "resource": resource_ref(obj)}

# finding_at builds a finding for obj about one of its fields: path is the
# field's path as messages write it ("spec.http[0].route[1].weight") or an
# array of keys and indexes (["spec", "http", 0, "route", 1, "weight"]).
# kforge reports the finding at that field's line in the golden file (at the
# nearest enclosing field that exists, when the field itself is missing).
finding_at(obj, path, msg) := {"msg": msg, "resource": resource_ref(obj), "path": path}

# show renders a value for messages: strings quoted, the rest as JSON.
show(x) := sprintf("%q", [x]) if {
	is_string(x)
} else := sprintf("%v", [x])

# name is metadata.name, or "" when absent.
name(obj) := object.get(obj, ["metadata", "name"], "")

# namespace is metadata.namespace, or "" when absent.
namespace(obj) := object.get(obj, ["metadata", "namespace"], "")

# labels are metadata.labels, or {} when absent.
labels(obj) := object.get(obj, ["metadata", "labels"], {})

# annotations are metadata.annotations, or {} when absent.
annotations(obj) := object.get(obj, ["metadata", "annotations"], {})

# describe names a resource in messages: "Kind namespace/name" or "Kind name".
describe(obj) := sprintf("%s %s/%s", [obj.kind, namespace(obj), name(obj)]) if {
	namespace(obj) != ""
} else := sprintf("%s %s", [object.get(obj, "kind", ""), name(obj)])

# api_group is the group part of apiVersion ("" for the core group).
api_group(obj) := group if {
	version := object.get(obj, "apiVersion", "")
	contains(version, "/")
	group := split(version, "/")[0]
} else := ""

# long_running_kinds are the workload kinds whose pods are meant to keep running.
long_running_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Rollout"}

# _pod_paths maps each workload kind to the field paths of its pod spec and
# pod metadata, so every helper below is one lookup by kind.
_pod_paths := {kind: paths |
	some kind, template in _pod_templates
	paths := {
		"spec": array.concat(template, ["spec"]),
		"metadata": array.concat(template, ["metadata"]),
		"labels": array.concat(template, ["metadata", "labels"]),
		"annotations": array.concat(template, ["metadata", "annotations"]),
	}
}

# _pod_templates is the field path of the pod template in each workload kind
# ([] for a Pod, which is its own template).
_pod_templates := {
	"Pod": [],
	"Deployment": ["spec", "template"],
	"StatefulSet": ["spec", "template"],
	"DaemonSet": ["spec", "template"],
	"ReplicaSet": ["spec", "template"],
	"ReplicationController": ["spec", "template"],
	"Job": ["spec", "template"],
	"Rollout": ["spec", "template"],
	"CronJob": ["spec", "jobTemplate", "spec", "template"],
}

# pod_spec_path is the field path of a workload's pod spec.
pod_spec_path(obj) := concat(".", _pod_paths[obj.kind].spec)

# pod_spec is a workload's pod spec; undefined for other objects.
pod_spec(obj) := spec if {
	spec := object.get(obj, _pod_paths[obj.kind].spec, null)
	is_object(spec)
}

# pod_metadata_path is the field path of a workload's pod metadata.
pod_metadata_path(obj) := concat(".", _pod_paths[obj.kind].metadata)

# pod_labels are the labels its pods get.
pod_labels(obj) := object.get(obj, _pod_paths[obj.kind].labels, {})

# pod_annotations are the annotations its pods get.
pod_annotations(obj) := object.get(obj, _pod_paths[obj.kind].annotations, {})

# workloads are the rendered objects that carry a pod spec.
workloads contains obj if {
	some obj in input.resources
	is_object(object.get(obj, _pod_paths[obj.kind].spec, null))
}

# containers lists a workload's containers as {container, field, path}, field
# being "containers", "initContainers" or "ephemeralContainers".
containers(obj) := {entry |
	spec := pod_spec(obj)
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some i, container in object.get(spec, field, [])
	entry := {
		"container": container,
		"field": field,
		"path": sprintf("%s.%s[%d] (%s)", [pod_spec_path(obj), field, i, object.get(container, "name", "")]),
		"field_path": sprintf("%s.%s[%d]", [pod_spec_path(obj), field, i]),
	}
}

# env_path is the field path of the value a containers entry gives an
# environment variable (its last definition, as env_value): ".value" of the
# env entry, or the entry itself when it has no literal value; the
# container's path when the variable is not declared.
env_path(entry, var) := path if {
	indexes := [i | some i, e in object.get(entry.container, "env", []); e.name == var]
	count(indexes) > 0
	j := indexes[count(indexes) - 1]
	suffix := _env_value_suffix(entry.container.env[j])
	path := sprintf("%s.env[%d]%s", [entry.field_path, j, suffix])
} else := entry.field_path

_env_value_suffix(e) := ".value" if is_string(e.value)

else := ""

# env_value is the literal value of a container's environment variable (the
# last definition wins, as in Kubernetes); undefined when unset or valueFrom.
env_value(container, var) := values[count(values) - 1] if {
	values := [e.value | some e in object.get(container, "env", []); e.name == var; is_string(e.value)]
	count(values) > 0
}

# env_declared is true when a container declares the variable at all.
env_declared(container, var) if {
	some e in object.get(container, "env", [])
	e.name == var
}

# config_docs are the YAML documents embedded in ConfigMaps, as
# {resource, key, doc}; only documents that parse to an object are kept.
# kforge parses them once, in Go, into input.config_docs; without it (opa
# test, other tools) they are parsed here.
config_docs contains entry if {
	some d in input.config_docs
	entry := {"resource": input.resources[d.index], "key": d.key, "doc": d.doc}
}

config_docs contains entry if {
	not input.config_docs
	some obj in input.resources
	obj.kind == "ConfigMap"
	some key, text in object.get(obj, "data", {})
	is_string(text)
	yaml.is_valid(text)
	doc := yaml.unmarshal(text)
	is_object(doc)
	entry := {"resource": obj, "key": key, "doc": doc}
}

# fqdn normalises an Istio host as Istio does: "name" and "name.ns" are
# completed with the object's namespace to name.ns.svc.cluster.local.
fqdn(host, ns) := sprintf("%s.%s.svc.cluster.local", [host, ns]) if {
	not contains(host, ".")
} else := sprintf("%s.svc.cluster.local", [host]) if {
	count(split(host, ".")) == 2
} else := sprintf("%s.cluster.local", [host]) if {
	count(split(host, ".")) == 3
	endswith(host, ".svc")
} else := host

_number_pattern := `^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$`

# as_number reads a number or a numeric string; undefined otherwise.
as_number(x) := x if {
	is_number(x)
} else := to_number(trim_space(x)) if {
	is_string(x)
	regex.match(_number_pattern, x)
}

_duration_pattern := `^([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))*$`

# duration_ns reads a Go duration string ("1h30m"); undefined otherwise.
duration_ns(x) := time.parse_duration_ns(x) if {
	is_string(x)
	regex.match(_duration_pattern, x)
}

# is_subset is true when every key of want has the same value in have.
is_subset(want, have) if {
	every k, v in want {
		have[k] == v
	}
}

# image_repository is an image reference without tag and digest.
image_repository(image) := repo if {
	no_digest := split(image, "@")[0]
	parts := split(no_digest, "/")
	last := parts[count(parts) - 1]
	repo := concat("/", array.concat(array.slice(parts, 0, count(parts) - 1), [split(last, ":")[0]]))
}

# image_name is the last path element of an image repository ("etcd").
image_name(image) := parts[count(parts) - 1] if {
	parts := split(image_repository(image), "/")
}
