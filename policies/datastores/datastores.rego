# Data stores: Raft group sizes (etcd, TiDB PD and TiKV) and Vitess shard
# key ranges. Minimums come from data.kforge.tiers.<tier>.raft_*.
package kforge.datastores

import data.kforge.lib

_etcd(obj) if {
	some c in lib.containers(obj)
	lib.image_name(c.container.image) == "etcd"
}

_etcd(obj) if lib.labels(obj)["app.kubernetes.io/name"] == "etcd"

# _raft_groups are the rendered Raft groups with their member counts.
_raft_groups contains {"obj": obj, "path": "spec.replicas", "what": "etcd members", "replicas": object.get(obj, ["spec", "replicas"], 1)} if {
	some obj in input.resources
	obj.kind == "StatefulSet"
	_etcd(obj)
}

_raft_groups contains {"obj": obj, "path": sprintf("spec.%s.replicas", [component]), "what": what, "replicas": replicas} if {
	some obj in input.resources
	obj.kind == "TidbCluster"
	startswith(obj.apiVersion, "pingcap.com/")
	some component, what in {"pd": "PD members", "tikv": "TiKV stores"}
	is_object(obj.spec[component])
	replicas := object.get(obj.spec[component], "replicas", 1)
}

# METADATA
# title: Raft groups have an odd member count
# description: >-
#   etcd members, TiDB PD members and TiKV stores vote in Raft; an even
#   count tolerates no more failures than the odd count below it and can
#   split its vote (tiers with raft_require_odd).
# scope: rule
# custom:
#   id: KF-DATA-001
#   severity: error
deny contains finding if {
	lib.tier_limits.raft_require_odd
	some group in _raft_groups
	group.replicas % 2 == 0
	finding := lib.finding(group.obj, sprintf("%s is %v %s; a Raft group needs an odd member count", [group.path, group.replicas, group.what]))
}

# METADATA
# title: Raft groups meet the tier minimum
# description: >-
#   etcd members, TiDB PD members and TiKV stores must number at least the
#   tier's raft_min_members (3 in prod and staging), so one member can fail
#   without losing quorum.
# scope: rule
# custom:
#   id: KF-DATA-002
#   severity: error
deny contains finding if {
	some group in _raft_groups
	minimum := lib.tier_limits.raft_min_members
	group.replicas < minimum
	finding := lib.finding(group.obj, sprintf("%s is %v %s; the %s tier needs at least %v", [group.path, group.replicas, group.what, lib.tier, minimum]))
}

# _partitionings are the custom shard lists of Vitess keyspaces.
_partitionings contains {"obj": obj, "path": sprintf("spec.keyspaces[%d] (%s).partitionings[%d].custom.shards", [k, object.get(keyspace, "name", ""), p]), "shards": partitioning.custom.shards} if {
	some obj in input.resources
	obj.kind == "VitessCluster"
	startswith(obj.apiVersion, "planetscale.com/")
	some k, keyspace in object.get(obj, ["spec", "keyspaces"], [])
	some p, partitioning in object.get(keyspace, "partitionings", [])
	is_array(partitioning.custom.shards)
}

_partitionings contains {"obj": obj, "path": sprintf("spec.partitionings[%d].custom.shards", [p]), "shards": partitioning.custom.shards} if {
	some obj in input.resources
	obj.kind == "VitessKeyspace"
	startswith(obj.apiVersion, "planetscale.com/")
	some p, partitioning in object.get(obj, ["spec", "partitionings"], [])
	is_array(partitioning.custom.shards)
}

# _bound normalises a key range bound: lower-case hex with trailing zero
# bytes dropped, as Vitess compares them ("40" == "4000").
_bound(x) := regex.replace(lower(x), "(00)+$", "")

_valid_bound(x) if {
	is_string(x)
	regex.match(`^([0-9a-fA-F]{2})*$`, x)
}

_ranges(shards) := [{"index": i, "start": start, "end": end} |
	some i, shard in shards
	start := object.get(shard, ["keyRange", "start"], "")
	end := object.get(shard, ["keyRange", "end"], "")
]

_name(start, end) := sprintf("%s-%s", [start, end])

_coverage_problems contains {"p": p, "msg": msg} if {
	some p in _partitionings
	some r in _ranges(p.shards)
	some field in ["start", "end"]
	not _valid_bound(r[field])
	msg := sprintf("shards[%d].keyRange.%s is %s, not an even-length hex key", [r.index, field, lib.show(r[field])])
}

_coverage_problems contains {"p": p, "msg": msg} if {
	some p in _partitionings
	some r in _ranges(p.shards)
	_valid_bound(r.start)
	_valid_bound(r.end)
	_bound(r.end) != ""
	_bound(r.start) >= _bound(r.end)
	msg := sprintf("shards[%d] (%s) is empty: its start is not below its end", [r.index, _name(r.start, r.end)])
}

_coverage_problems contains {"p": p, "msg": msg} if {
	some p in _partitionings
	count(p.shards) == 0
	msg := "has no shards, so no key is served"
}

# _sorted orders the ranges by start as [start, end, index, raw start, raw
# end]; an open end sorts last as "~". Undefined while a bound is invalid.
_sorted(shards) := sort([[_bound(r.start), _end_key(r.end), r.index, r.start, r.end] | some r in _ranges(shards)]) if {
	every r in _ranges(shards) {
		_valid_bound(r.start)
		_valid_bound(r.end)
	}
}

_end_key(end) := "~" if _bound(end) == ""

else := _bound(end)

_coverage_problems contains {"p": p, "msg": msg} if {
	some p in _partitionings
	sorted := _sorted(p.shards)
	count(sorted) > 0
	sorted[0][0] != ""
	msg := sprintf("keys below %s are not covered: the lowest shard is shards[%d] (%s)", [sorted[0][3], sorted[0][2], _name(sorted[0][3], sorted[0][4])])
}

_coverage_problems contains {"p": p, "msg": msg} if {
	some p in _partitionings
	sorted := _sorted(p.shards)
	count(sorted) > 0
	last := sorted[count(sorted) - 1]
	last[1] != "~"
	msg := sprintf("keys from %s up are not covered: the highest shard is shards[%d] (%s)", [last[4], last[2], _name(last[3], last[4])])
}

_coverage_problems contains {"p": p, "msg": msg} if {
	some p in _partitionings
	sorted := _sorted(p.shards)
	count(sorted) > 1
	some i in numbers.range(1, count(sorted) - 1)
	prev := sorted[i - 1]
	next := sorted[i]
	_gap(prev[1], next[0])
	msg := sprintf("keys from %s to %s are not covered: gap between shards[%d] (%s) and shards[%d] (%s)", [prev[4], next[3], prev[2], _name(prev[3], prev[4]), next[2], _name(next[3], next[4])])
}

_coverage_problems contains {"p": p, "msg": msg} if {
	some p in _partitionings
	sorted := _sorted(p.shards)
	count(sorted) > 1
	some i in numbers.range(1, count(sorted) - 1)
	prev := sorted[i - 1]
	next := sorted[i]
	_overlap(prev[1], next[0])
	msg := sprintf("shards[%d] (%s) and shards[%d] (%s) overlap", [prev[2], _name(prev[3], prev[4]), next[2], _name(next[3], next[4])])
}

_gap(prev_end, next_start) if prev_end < next_start

_overlap(prev_end, next_start) if prev_end > next_start

# METADATA
# title: Vitess shards cover the key space exactly
# description: >-
#   The custom shards of a Vitess keyspace partitioning must cover the whole
#   key space ("" to "") with no gap and no overlap; a gap makes writes fail
#   for those keys, an overlap serves them twice.
# scope: rule
# custom:
#   id: KF-DATA-003
#   severity: error
deny contains finding if {
	some problem in _coverage_problems
	finding := lib.finding(problem.p.obj, sprintf("%s %s", [problem.p.path, problem.msg]))
}
