# Canary releases on Istio: Git-driven VirtualService weights and Argo
# Rollouts with Istio traffic routing, their DestinationRule subsets and
# their rollback analysis. Limits come from data.kforge.tiers.<tier>.canary_*
# and data.kforge.settings.canary.
package kforge.canary

import data.kforge.lib

_istio_api_versions := {"networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"}

_virtual_services contains vs if {
	some vs in input.resources
	vs.kind == "VirtualService"
	vs.apiVersion in _istio_api_versions
}

_destination_rules contains dr if {
	some dr in input.resources
	dr.kind == "DestinationRule"
	dr.apiVersion in _istio_api_versions
}

_rollouts contains ro if {
	some ro in input.resources
	ro.kind == "Rollout"
	startswith(ro.apiVersion, "argoproj.io/")
	is_object(ro.spec.strategy.canary)
}

_analysis_templates contains t if {
	some t in input.resources
	t.kind in {"AnalysisTemplate", "ClusterAnalysisTemplate"}
	startswith(t.apiVersion, "argoproj.io/")
}

# _canary_subsets are the subset names that carry canary traffic.
_canary_subsets contains name if {
	some name in lib.settings.canary.canary_subsets
}

_canary_subsets contains name if {
	some ro in _rollouts
	name := ro.spec.strategy.canary.trafficRouting.istio.destinationRule.canarySubsetName
}

# _routes lists the routes of every VirtualService and of the previous render.
_routes(resources) := {entry |
	some vs in resources
	vs.kind == "VirtualService"
	vs.apiVersion in _istio_api_versions
	some proto in ["http", "tcp", "tls"]
	some i, route in object.get(vs, ["spec", proto], [])
	entry := {
		"vs": vs,
		"proto": proto,
		"index": i,
		"key": _route_key(proto, i, route),
		"route": route,
		"path": sprintf("spec.%s[%d]", [proto, i]),
		"label": _route_label(proto, i, route),
	}
}

_route_key(proto, _, route) := sprintf("%s/name=%s", [proto, route.name]) if {
	is_string(route.name)
}

_route_key(proto, i, route) := sprintf("%s/index=%d", [proto, i]) if {
	not is_string(object.get(route, "name", null))
}

_route_label(proto, i, route) := sprintf("spec.%s[%d] (%s)", [proto, i, route.name]) if {
	is_string(route.name)
} else := sprintf("spec.%s[%d]", [proto, i])

# _destinations lists every weighted destination of every route.
_destinations(resources) := {entry |
	some r in _routes(resources)
	some j, dest in object.get(r.route, "route", [])
	ns := lib.namespace(r.vs)
	entry := {
		"vs": r.vs,
		"route": r,
		"dest": dest,
		"path": sprintf("%s.route[%d]", [r.path, j]),
		"host": lib.fqdn(object.get(dest, ["destination", "host"], ""), ns),
		"subset": object.get(dest, ["destination", "subset"], ""),
	}
}

_current_destinations := _destinations(input.resources)

_current_routes := _routes(input.resources)

_header_route(route) if {
	some m in object.get(route, "match", [])
	object.get(m, "headers", {}) != {}
}

_catch_all(route) if {
	object.get(route, "match", []) == []
}

_weight(dest) := dest.weight if {
	is_number(dest.weight)
} else := 0

_valid_weight(w) if {
	is_number(w)
	w >= 0
	w <= 100
	round(w) == w
}

# _canary_share is the weight a route sends to canary subsets; a route with a
# single destination and no weight sends it everything.
_canary_share(route) := 100 if {
	dests := object.get(route, "route", [])
	count(dests) == 1
	not is_number(object.get(dests[0], "weight", null))
	object.get(dests[0], ["destination", "subset"], "") in _canary_subsets
} else := sum([_weight(d) |
	some d in object.get(route, "route", [])
	object.get(d, ["destination", "subset"], "") in _canary_subsets
])

_routes_to_canary(route) if {
	some d in object.get(route, "route", [])
	object.get(d, ["destination", "subset"], "") in _canary_subsets
}

_steps(ro) := object.get(ro, ["spec", "strategy", "canary", "steps"], [])

# METADATA
# title: Traffic weights are integers from 0 to 100
# description: >-
#   Every VirtualService route destination weight and every Rollout setWeight
#   step must be an integer between 0 and 100.
# scope: rule
# custom:
#   id: KF-CANARY-001
#   severity: error
deny contains finding if {
	some w in _weights
	not _valid_weight(w.value)
	finding := lib.finding_at(w.obj, w.path, sprintf("%s is %v; a traffic weight must be an integer from 0 to 100", [w.path, w.value]))
}

_weights contains {"obj": d.vs, "path": sprintf("%s.weight", [d.path]), "value": d.dest.weight} if {
	some d in _current_destinations
	"weight" in object.keys(d.dest)
}

_weights contains {"obj": ro, "path": sprintf("spec.strategy.canary.steps[%d].setWeight", [i]), "value": step.setWeight} if {
	some ro in _rollouts
	some i, step in _steps(ro)
	"setWeight" in object.keys(step)
}

# METADATA
# title: Route weights sum to exactly 100
# description: >-
#   A VirtualService route with several destinations, or with explicit
#   weights, must give weights that add up to exactly 100 (Istio no longer
#   rejects other sums, it rescales them silently).
# scope: rule
# custom:
#   id: KF-CANARY-002
#   severity: error
deny contains finding if {
	some r in _current_routes
	dests := object.get(r.route, "route", [])
	_explicitly_weighted(dests)
	weights := [_weight(d) | some d in dests]
	sum(weights) != 100
	finding := lib.finding_at(r.vs, r.path, sprintf("%s route weights %v sum to %v; they must sum to exactly 100", [r.label, weights, sum(weights)]))
}

_explicitly_weighted(dests) if count(dests) > 1

_explicitly_weighted(dests) if {
	some d in dests
	"weight" in object.keys(d)
}

# METADATA
# title: Canary weight within the tier cap
# description: >-
#   The weight a VirtualService's default (not header-matched) route sends to
#   a canary subset must not exceed the tier's canary cap
#   (data.kforge.tiers.<tier>.canary_cap).
# scope: rule
# custom:
#   id: KF-CANARY-003
#   severity: error
deny contains finding if {
	some d in _current_destinations
	d.subset in _canary_subsets
	not _header_route(d.route.route)
	weight := _weight(d.dest)
	cap := lib.tier_limits.canary_cap
	weight > cap
	finding := lib.finding_at(d.vs, sprintf("%s.weight", [d.path]), sprintf("%s.weight sends %v%% to canary subset %q; the %s tier caps canary traffic at %v%%", [d.path, weight, d.subset, lib.tier, cap]))
}

# METADATA
# title: Rollout first canary step within the tier cap
# description: >-
#   A Rollout's first setWeight step must not exceed the tier's canary cap; a
#   canary strategy without setWeight steps shifts 100% at once.
# scope: rule
# custom:
#   id: KF-CANARY-004
#   severity: error
deny contains finding if {
	some ro in _rollouts
	first := _first_set_weight(ro)
	cap := lib.tier_limits.canary_cap
	first.weight > cap
	finding := lib.finding_at(ro, first.path, sprintf("%s; the %s tier caps the first canary step at %v%%", [first.desc, lib.tier, cap]))
}

_first_set_weight(ro) := {"desc": desc, "weight": weight, "path": sprintf("spec.strategy.canary.steps[%d].setWeight", [i])} if {
	indexes := [i | some i, step in _steps(ro); is_number(step.setWeight)]
	count(indexes) > 0
	i := min(indexes)
	weight := _steps(ro)[i].setWeight
	desc := sprintf("spec.strategy.canary.steps[%d].setWeight is %v%%", [i, weight])
} else := {
	"desc": "spec.strategy.canary.steps has no setWeight step, so the first step shifts 100%",
	"weight": 100,
	"path": "spec.strategy.canary.steps",
}

# METADATA
# title: Header-matched canary routes come first
# description: >-
#   In a VirtualService, header-matched routes must precede the default
#   route (a catch-all route, or a route splitting traffic to a canary
#   subset): Istio evaluates routes in order, so a header route placed after
#   it never matches.
# scope: rule
# custom:
#   id: KF-CANARY-005
#   severity: error
deny contains finding if {
	some vs in _virtual_services
	http := object.get(vs, ["spec", "http"], [])
	some i, route in http
	_header_route(route)
	some j, default_route in http
	j < i
	_default_route(default_route)
	finding := lib.finding_at(vs, sprintf("spec.http[%d]", [i]), sprintf("header-matched route %s comes after the default route %s and never matches; move it before spec.http[%d]", [_route_label("http", i, route), _route_label("http", j, default_route), j]))
}

_default_route(route) if _catch_all(route)

_default_route(route) if {
	not _header_route(route)
	count(object.get(route, "route", [])) > 1
	_routes_to_canary(route)
}

# _canary_hosts are the hosts that run a canary: a rendered DestinationRule
# for the host defines a canary subset, or a VirtualService route names one.
_canary_hosts contains _dr_host(dr) if {
	some dr in _destination_rules
	some subset in object.get(dr, ["spec", "subsets"], [])
	subset.name in _canary_subsets
}

_canary_hosts contains d.host if {
	some d in _current_destinations
	d.subset in _canary_subsets
}

# _to_canary_host holds for a route with a destination on a canary host.
_to_canary_host(r) if {
	some dest in object.get(r.route, "route", [])
	lib.fqdn(object.get(dest, ["destination", "host"], ""), lib.namespace(r.vs)) in _canary_hosts
}

# METADATA
# title: Header-matched routes send all traffic to the canary
# description: >-
#   A header-matched VirtualService http route to a host that runs a canary
#   (its DestinationRule defines a canary subset, or a route names one) is
#   the canary-by-header route: it must send 100% of the matched traffic to
#   a canary subset, so testers reach the canary every time. A header route
#   to the stable subset, or one that splits, hides the canary from them.
# scope: rule
# custom:
#   id: KF-CANARY-006
#   severity: error
deny contains finding if {
	some r in _current_routes
	r.proto == "http"
	_header_route(r.route)
	_to_canary_host(r)
	share := _canary_share(r.route)
	share != 100
	finding := lib.finding_at(r.vs, r.path, sprintf("header-matched route %s sends %v%% to the canary subset; it must send 100%%", [r.label, share]))
}

# METADATA
# title: Named subsets exist in the DestinationRule
# description: >-
#   Every subset a VirtualService destination or a Rollout's Istio traffic
#   routing names must exist in a rendered DestinationRule for that host
#   (short hosts are completed with the object's namespace).
# scope: rule
# custom:
#   id: KF-CANARY-007
#   severity: error
deny contains finding if {
	some problem in _subset_problems
	finding := lib.finding_at(problem.obj, problem.path, problem.msg)
}

_dr_host(dr) := lib.fqdn(object.get(dr, ["spec", "host"], ""), lib.namespace(dr))

_dr_subset_names(dr) := {s.name | some s in object.get(dr, ["spec", "subsets"], [])}

_subset_problems contains {"obj": d.vs, "path": sprintf("%s.destination.subset", [d.path]), "msg": msg} if {
	some d in _current_destinations
	d.subset != ""
	count({dr | some dr in _destination_rules; _dr_host(dr) == d.host}) == 0
	msg := sprintf("%s.destination.subset is %q, but no DestinationRule is rendered for host %s", [d.path, d.subset, d.host])
}

_subset_problems contains {"obj": d.vs, "path": sprintf("%s.destination.subset", [d.path]), "msg": msg} if {
	some d in _current_destinations
	d.subset != ""
	drs := {dr | some dr in _destination_rules; _dr_host(dr) == d.host}
	count(drs) > 0
	every dr in drs {
		not d.subset in _dr_subset_names(dr)
	}
	names := sort([sprintf("%s (subsets %v)", [lib.describe(dr), sort(_dr_subset_names(dr))]) | some dr in drs])
	msg := sprintf("%s.destination.subset %q is not defined for host %s in %s", [d.path, d.subset, d.host, concat(", ", names)])
}

_rollout_dr_refs contains {"ro": ro, "dr_name": ref.name, "field": field, "subset": ref[field]} if {
	some ro in _rollouts
	ref := ro.spec.strategy.canary.trafficRouting.istio.destinationRule
	some field in ["canarySubsetName", "stableSubsetName"]
	is_string(ref[field])
}

_rollout_dr(ro, dr_name) := {dr |
	some dr in _destination_rules
	lib.name(dr) == dr_name
	lib.namespace(dr) == lib.namespace(ro)
}

_subset_problems contains {"obj": ref.ro, "path": "spec.strategy.canary.trafficRouting.istio.destinationRule.name", "msg": msg} if {
	some ref in _rollout_dr_refs
	count(_rollout_dr(ref.ro, ref.dr_name)) == 0
	msg := sprintf("spec.strategy.canary.trafficRouting.istio.destinationRule.name is %q, but no such DestinationRule is rendered in namespace %s", [ref.dr_name, lib.namespace(ref.ro)])
}

_subset_problems contains {"obj": ref.ro, "path": sprintf("spec.strategy.canary.trafficRouting.istio.destinationRule.%s", [ref.field]), "msg": msg} if {
	some ref in _rollout_dr_refs
	some dr in _rollout_dr(ref.ro, ref.dr_name)
	not ref.subset in _dr_subset_names(dr)
	msg := sprintf("spec.strategy.canary.trafficRouting.istio.destinationRule.%s %q is not a subset of %s (subsets %v)", [ref.field, ref.subset, lib.describe(dr), sort(_dr_subset_names(dr))])
}

# METADATA
# title: Named subsets select rendered pods
# description: >-
#   Every DestinationRule subset that a VirtualService or Rollout names must
#   select the pods of a rendered Deployment, StatefulSet or Rollout in the
#   same namespace (pod template labels include the subset labels).
# scope: rule
# custom:
#   id: KF-CANARY-008
#   severity: error
deny contains finding if {
	some ref in _referenced_subsets
	selector := object.get(ref.subset, "labels", {})
	not _selects_pods(ref.dr, selector)
	finding := lib.finding_at(ref.dr, sprintf("spec.subsets[%d]", [ref.index]), sprintf("spec.subsets[%d] (%s) selects labels %v, but no rendered Deployment, StatefulSet or Rollout in namespace %s has pods with those labels", [ref.index, ref.subset.name, selector, lib.namespace(ref.dr)]))
}

_referenced_subsets contains {"dr": dr, "index": i, "subset": subset} if {
	some d in _current_destinations
	d.subset != ""
	some dr in _destination_rules
	_dr_host(dr) == d.host
	some i, subset in object.get(dr, ["spec", "subsets"], [])
	subset.name == d.subset
}

_referenced_subsets contains {"dr": dr, "index": i, "subset": subset} if {
	some ref in _rollout_dr_refs
	some dr in _rollout_dr(ref.ro, ref.dr_name)
	some i, subset in object.get(dr, ["spec", "subsets"], [])
	subset.name == ref.subset
}

_pod_workload_kinds := {"Deployment", "StatefulSet", "Rollout", "DaemonSet", "ReplicaSet", "Pod"}

_selects_pods(dr, selector) if {
	some w in lib.workloads
	w.kind in _pod_workload_kinds
	lib.namespace(w) == lib.namespace(dr)
	lib.is_subset(selector, lib.pod_labels(w))
}

# METADATA
# title: Analysis metrics have a success or failure condition
# description: >-
#   Every metric of an AnalysisTemplate or ClusterAnalysisTemplate must set
#   successCondition or failureCondition; without one the analysis can never
#   fail and the controller never rolls back.
# scope: rule
# custom:
#   id: KF-CANARY-009
#   severity: error
deny contains finding if {
	some t in _analysis_templates
	some i, metric in object.get(t, ["spec", "metrics"], [])
	object.get(metric, "successCondition", "") == ""
	object.get(metric, "failureCondition", "") == ""
	finding := lib.finding_at(t, sprintf("spec.metrics[%d]", [i]), sprintf("spec.metrics[%d] (%s) has neither successCondition nor failureCondition", [i, object.get(metric, "name", "")]))
}

# _canary_services are the services that run a canary: hosts a VirtualService
# splits to a canary subset (unless a canary Rollout manages that
# VirtualService: the Rollout is the canary then), and canary Rollouts.
_canary_services contains {"name": name, "namespace": ns, "obj": d.vs, "refs": set()} if {
	some d in _current_destinations
	d.subset in _canary_subsets
	not _rollout_managed(d.vs)
	parts := split(d.host, ".")
	count(parts) == 5
	endswith(d.host, ".svc.cluster.local")
	name := parts[0]
	ns := parts[1]
}

_canary_services contains {"name": name, "namespace": lib.namespace(ro), "obj": ro, "refs": _template_refs(ro)} if {
	some ro in _rollouts
	name := object.get(lib.labels(ro), "app.kubernetes.io/name", lib.name(ro))
}

# _rollout_managed holds for a VirtualService a canary Rollout's Istio
# traffic routing names.
_rollout_managed(vs) if {
	some r in _rollout_vs_refs
	r.ref.name == lib.name(vs)
	lib.namespace(r.ro) == lib.namespace(vs)
}

# _analysis_refs are the templates a Rollout's analysis steps and background
# analysis name, each with the field path of its name.
_analysis_refs(ro) := {ref |
	some a in _rollout_analyses(ro)
	some ref in _named_templates(a)
}

# _rollout_analyses are a Rollout's analysis steps and its background
# analysis, with their field paths.
_rollout_analyses(ro) := {{"path": sprintf("spec.strategy.canary.steps[%d].analysis", [i]), "analysis": step.analysis} |
	some i, step in _steps(ro)
	is_object(step.analysis)
} | {{"path": "spec.strategy.canary.analysis", "analysis": a} |
	a := ro.spec.strategy.canary.analysis
	is_object(a)
}

# _named_templates reads templates[].templateName and the older single
# templateName of one analysis.
_named_templates(a) := {_template_ref(ref, sprintf("%s.templates[%d].templateName", [a.path, k])) |
	some k, ref in object.get(a.analysis, "templates", [])
	is_string(object.get(ref, "templateName", null))
} | {_template_ref(a.analysis, sprintf("%s.templateName", [a.path])) |
	is_string(object.get(a.analysis, "templateName", null))
}

_template_ref(ref, path) := {"name": ref.templateName, "cluster": object.get(ref, "clusterScope", false) == true, "path": path}

# _template_refs are the analysis templates a Rollout runs (steps and background).
_template_refs(ro) := {{"name": ref.name, "cluster": ref.cluster} | some ref in _analysis_refs(ro)}

_template_matches(t, ref, ns) if {
	not ref.cluster
	t.kind == "AnalysisTemplate"
	lib.name(t) == ref.name
	lib.namespace(t) == ns
}

_template_matches(t, ref, _) if {
	ref.cluster
	t.kind == "ClusterAnalysisTemplate"
	lib.name(t) == ref.name
}

# _labelled_templates are the AnalysisTemplates in a service's namespace
# labelled with its app.kubernetes.io/name.
_labelled_templates(svc) := {t |
	some t in _analysis_templates
	lib.namespace(t) == svc.namespace
	object.get(lib.labels(t), "app.kubernetes.io/name", "") == svc.name
}

# _rollback_templates are the templates that guard a canary service: for a
# canary Rollout the rendered ones it runs (a labelled template that nothing
# runs never rolls it back), for a Git-driven canary the labelled ones.
_rollback_templates(svc) := {t |
	some ref in svc.refs
	some t in _analysis_templates
	_template_matches(t, ref, svc.namespace)
} if {
	svc.obj.kind == "Rollout"
} else := _labelled_templates(svc)

# METADATA
# title: Every canary has a rollback analysis
# description: >-
#   A canary Rollout must run a rollback analysis: an analysis step in
#   spec.strategy.canary.steps or a background spec.strategy.canary.analysis
#   naming an AnalysisTemplate (KF-CANARY-011 checks it is rendered,
#   KF-CANARY-012 and KF-CANARY-013 its latency and error-rate checks). A
#   Git-driven canary (a VirtualService splitting to a canary subset that no
#   Rollout manages) needs an AnalysisTemplate in its namespace labelled
#   app.kubernetes.io/name=<service>. Without one a regression is never
#   rolled back.
# scope: rule
# custom:
#   id: KF-CANARY-010
#   severity: error
deny contains finding if {
	some finding in _missing_rollback_analysis
}

_missing_rollback_analysis contains finding if {
	some svc in _canary_services
	svc.obj.kind != "Rollout"
	count(_rollback_templates(svc)) == 0
	finding := lib.finding(svc.obj, sprintf("canary service %s has no rollback AnalysisTemplate (none in namespace %s labelled app.kubernetes.io/name=%s)", [svc.name, svc.namespace, svc.name]))
}

_missing_rollback_analysis contains finding if {
	some svc in _canary_services
	svc.obj.kind == "Rollout"
	count(svc.refs) == 0
	msg := sprintf("spec.strategy.canary runs no rollback analysis: no analysis step in spec.strategy.canary.steps and no spec.strategy.canary.analysis names a template%s", [_unrun_hint(svc)])
	finding := lib.finding_at(svc.obj, "spec.strategy.canary", msg)
}

# _unrun_hint names the labelled templates nothing runs, the likely fix.
_unrun_hint(svc) := sprintf(" (%s is labelled app.kubernetes.io/name=%s, but nothing runs it)", [concat(", ", sort([lib.describe(t) | some t in labelled])), svc.name]) if {
	labelled := _labelled_templates(svc)
	count(labelled) > 0
} else := ""

# METADATA
# title: Rollout analysis templates are rendered
# description: >-
#   Every AnalysisTemplate (or ClusterAnalysisTemplate with clusterScope) a
#   Rollout's steps or background analysis names must be rendered; a missing
#   template makes the analysis run error out.
# scope: rule
# custom:
#   id: KF-CANARY-011
#   severity: error
deny contains finding if {
	some ro in _rollouts
	some ref in _analysis_refs(ro)
	ns := lib.namespace(ro)
	count({t | some t in _analysis_templates; _template_matches(t, ref, ns)}) == 0
	finding := lib.finding_at(ro, ref.path, sprintf("analysis template %q is not rendered (%s)", [ref.name, _ref_scope(ref, ns)]))
}

_ref_scope(ref, _) := "looked for a ClusterAnalysisTemplate" if {
	ref.cluster
}

_ref_scope(ref, ns) := sprintf("looked for an AnalysisTemplate in namespace %s", [ns]) if {
	not ref.cluster
}

# _thresholds reads the numbers a condition compares result values with:
# upper bounds of successCondition ("<= 1.2") and lower bounds of
# failureCondition ("> 1.2").
_thresholds(metric) := {to_number(m[2]) |
	some m in regex.find_all_string_submatch_n(`(<=?)\s*([0-9]*\.?[0-9]+)`, object.get(metric, "successCondition", ""), -1)
} | {to_number(m[2]) |
	some m in regex.find_all_string_submatch_n(`(>=?)\s*([0-9]*\.?[0-9]+)`, object.get(metric, "failureCondition", ""), -1)
}

# _metric_checks are the rollback metrics every canary service needs.
_metric_checks := {
	"latency": {
		"label": "latency ratio",
		"pattern": lib.settings.canary.latency_metric_pattern,
		"bounds": lib.settings.canary.latency_ratio,
	},
	"error_rate": {
		"label": "error-rate delta",
		"pattern": lib.settings.canary.error_rate_metric_pattern,
		"bounds": lib.settings.canary.error_rate_delta,
	},
}

_service_metrics(svc, pattern) := {{"template": t, "index": i, "metric": metric} |
	some t in _rollback_templates(svc)
	some i, metric in object.get(t, ["spec", "metrics"], [])
	regex.match(pattern, object.get(metric, "name", ""))
}

_metric_problems contains {"check": check, "obj": t, "msg": msg} if {
	some svc in _canary_services
	some check, cfg in _metric_checks
	templates := _rollback_templates(svc)
	count(_service_metrics(svc, cfg.pattern)) == 0
	some t in templates
	msg := sprintf("the rollback analysis of canary service %s (%s) has no %s metric (no spec.metrics[].name matching %s)", [svc.name, concat(", ", sort([lib.describe(x) | some x in templates])), cfg.label, cfg.pattern])
}

_metric_problems contains {"check": check, "obj": m.template, "msg": msg} if {
	some svc in _canary_services
	some check, cfg in _metric_checks
	some m in _service_metrics(svc, cfg.pattern)
	count(_thresholds(m.metric)) == 0
	msg := sprintf("spec.metrics[%d] (%s) has no readable %s threshold: no number after < or <= in successCondition %q, nor after > or >= in failureCondition %q", [m.index, m.metric.name, cfg.label, object.get(m.metric, "successCondition", ""), object.get(m.metric, "failureCondition", "")])
}

_metric_problems contains {"check": check, "obj": m.template, "msg": msg} if {
	some svc in _canary_services
	some check, cfg in _metric_checks
	some m in _service_metrics(svc, cfg.pattern)
	some threshold in _thresholds(m.metric)
	not _in_range(threshold, cfg.bounds)
	msg := sprintf("spec.metrics[%d] (%s) %s threshold is %v; it must be in (%v, %v]", [m.index, m.metric.name, cfg.label, threshold, cfg.bounds.above, cfg.bounds.max])
}

_in_range(x, bounds) if {
	x > bounds.above
	x <= bounds.max
}

# METADATA
# title: Rollback latency ratio threshold in range
# description: >-
#   The rollback analysis of every canary service (the templates a canary
#   Rollout runs; for a Git-driven canary the labelled ones) has a latency
#   metric whose canary/stable p95 ratio threshold lies in (1.0, 1.5]
#   (data.kforge.settings.canary.latency_ratio): at 1.0 or below it rolls
#   back on noise, above 1.5 it lets real regressions through.
# scope: rule
# custom:
#   id: KF-CANARY-012
#   severity: error
deny contains finding if {
	some problem in _metric_problems
	problem.check == "latency"
	finding := lib.finding(problem.obj, problem.msg)
}

# METADATA
# title: Rollback error-rate delta threshold in range
# description: >-
#   The rollback analysis of every canary service (the templates a canary
#   Rollout runs; for a Git-driven canary the labelled ones) has an
#   error-rate metric whose canary-minus-stable delta threshold lies in
#   (0, 0.01]
#   (data.kforge.settings.canary.error_rate_delta).
# scope: rule
# custom:
#   id: KF-CANARY-013
#   severity: error
deny contains finding if {
	some problem in _metric_problems
	problem.check == "error_rate"
	finding := lib.finding(problem.obj, problem.msg)
}

# METADATA
# title: Rollout traffic routing names rendered VirtualService routes
# description: >-
#   The VirtualService(s) a Rollout's Istio traffic routing names must be
#   rendered in its namespace and contain every route it lists, or the
#   controller cannot shift traffic.
# scope: rule
# custom:
#   id: KF-CANARY-014
#   severity: error
deny contains finding if {
	some problem in _vs_ref_problems
	finding := lib.finding(problem.ro, problem.msg)
}

_rollout_vs_refs contains {"ro": ro, "ref": ref, "path": "spec.strategy.canary.trafficRouting.istio.virtualService"} if {
	some ro in _rollouts
	ref := ro.spec.strategy.canary.trafficRouting.istio.virtualService
}

_rollout_vs_refs contains {"ro": ro, "ref": ref, "path": sprintf("spec.strategy.canary.trafficRouting.istio.virtualServices[%d]", [i])} if {
	some ro in _rollouts
	some i, ref in ro.spec.strategy.canary.trafficRouting.istio.virtualServices
}

_vs_named(ro, vs_name) := {vs |
	some vs in _virtual_services
	lib.name(vs) == vs_name
	lib.namespace(vs) == lib.namespace(ro)
}

_vs_ref_problems contains {"ro": r.ro, "msg": msg} if {
	some r in _rollout_vs_refs
	count(_vs_named(r.ro, r.ref.name)) == 0
	msg := sprintf("%s.name is %q, but no such VirtualService is rendered in namespace %s", [r.path, r.ref.name, lib.namespace(r.ro)])
}

_vs_ref_problems contains {"ro": r.ro, "msg": msg} if {
	some r in _rollout_vs_refs
	some vs in _vs_named(r.ro, r.ref.name)
	names := {route.name | some route in object.get(vs, ["spec", "http"], []); is_string(route.name)}
	some i, wanted in object.get(r.ref, "routes", [])
	not wanted in names
	msg := sprintf("%s.routes[%d] is %q, but %s has no http route of that name (routes %v)", [r.path, i, wanted, lib.describe(vs), sort(names)])
}

# _canary_weights maps "<namespace>/<name>|<route key>|<subset>" to the weight
# a VirtualService's default route sends to a canary subset.
_canary_weights(resources) := {key: total |
	dests := _canary_destinations(resources)
	some key in {_weight_key(d) | some d in dests}
	total := sum([_weight(d.dest) | some d in dests; _weight_key(d) == key])
}

_canary_destinations(resources) := {d |
	some d in _destinations(resources)
	d.subset in _canary_subsets
	not _header_route(d.route.route)
}

_weight_key(d) := sprintf("%s/%s|%s|%s", [lib.namespace(d.vs), lib.name(d.vs), d.route.key, d.subset])

_current_canary_destinations := _canary_destinations(input.resources)

_current_weights := _canary_weights(input.resources)

_previous_weights := _canary_weights(object.get(input, "previous", []))

# METADATA
# title: Canary weight steps are small
# description: >-
#   Compared with the committed golden render (input.previous), one change
#   may raise a canary weight by at most the tier's canary_max_weight_step
#   (+25 points in prod).
# scope: rule
# custom:
#   id: KF-CANARY-015
#   severity: error
deny contains finding if {
	some d in _current_canary_destinations
	key := _weight_key(d)
	before := _previous_weights[key]
	after := _current_weights[key]
	step := lib.tier_limits.canary_max_weight_step
	after - before > step
	finding := lib.finding(d.vs, sprintf("%s sends %v%% to canary subset %q, up from %v%% in the committed render (+%v); the %s tier allows at most +%v per change", [d.route.label, after, d.subset, before, after - before, lib.tier, step]))
}

# _subset_selectors are the labels a destination's subset selects in a render.
_subset_selectors(resources, d) := {object.get(subset, "labels", {}) |
	some dr in resources
	dr.kind == "DestinationRule"
	lib.fqdn(object.get(dr, ["spec", "host"], ""), lib.namespace(dr)) == d.host
	some subset in object.get(dr, ["spec", "subsets"], [])
	subset.name == d.subset
}

# _new_canary explains why a canary destination starts a new canary: it had
# no traffic in the committed render, or its subset now selects other pods
# (a new canary version).
_new_canary(d) := "it had no canary traffic in the committed render" if {
	object.get(_previous_weights, _weight_key(d), 0) == 0
} else := sprintf("its subset selected %s in the committed render and selects %s now", [_or(before), _or(now)]) if {
	before := _subset_selectors(input.previous, d)
	now := _subset_selectors(input.resources, d)
	count(before) > 0
	before != now
}

_or(selectors) := concat(" or ", sort([sprintf("%v", [s]) | some s in selectors]))

# METADATA
# title: A new canary starts small
# description: >-
#   Compared with the committed golden render (input.previous, when not
#   empty), a canary that starts (its subset had no traffic, or it now
#   selects another version) must start at or below the tier's
#   canary_first_step_cap.
# scope: rule
# custom:
#   id: KF-CANARY-016
#   severity: error
deny contains finding if {
	count(object.get(input, "previous", [])) > 0
	some d in _current_canary_destinations
	reason := _new_canary(d)
	after := _current_weights[_weight_key(d)]
	first_cap := lib.tier_limits.canary_first_step_cap
	after > first_cap
	finding := lib.finding(d.vs, sprintf("%s starts a new canary at %v%% to subset %q (%s); the %s tier starts canaries at %v%% at most", [d.route.label, after, d.subset, reason, lib.tier, first_cap]))
}
