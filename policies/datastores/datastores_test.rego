package kforge.datastores_test

import data.kforge.datastores

_etcd(replicas) := {
	"apiVersion": "apps/v1",
	"kind": "StatefulSet",
	"metadata": {"name": "etcd", "namespace": "data", "labels": {"app.kubernetes.io/name": "etcd"}},
	"spec": {"replicas": replicas, "template": {
		"metadata": {"labels": {"app.kubernetes.io/name": "etcd"}},
		"spec": {"containers": [{"name": "etcd", "image": "quay.io/coreos/etcd:v3.5.17"}]},
	}},
}

_tidb(pd, tikv, tidb) := {
	"apiVersion": "pingcap.com/v1alpha1",
	"kind": "TidbCluster",
	"metadata": {"name": "tidb", "namespace": "data"},
	"spec": {"pd": {"replicas": pd}, "tikv": {"replicas": tikv}, "tidb": {"replicas": tidb}},
}

_shards(bounds) := [{"keyRange": {"start": b[0], "end": b[1]}} | some b in bounds]

_vitess(bounds) := {
	"apiVersion": "planetscale.com/v2",
	"kind": "VitessCluster",
	"metadata": {"name": "vitess", "namespace": "data"},
	"spec": {
		"keyspaces": [{"name": "commerce", "partitionings": [{"custom": {"shards": _shards(bounds)}}]}],
		"cells": [{"name": "zone1", "gateway": {"replicas": 2}}],
	},
}

_reference_bounds := [["", "40"], ["40", "80"], ["80", "c0"], ["c0", ""]]

_input(tier, objects) := {
	"environment": {"name": tier, "tier": tier, "labels": {"tier": tier}, "namespace": "data"},
	"resources": objects,
	"previous": [],
}

_ref(obj) := {"apiVersion": obj.apiVersion, "kind": obj.kind, "namespace": obj.metadata.namespace, "name": obj.metadata.name}

_vitess_finding(bounds, msg) := {
	"msg": sprintf("spec.keyspaces[0] (commerce).partitionings[0].custom.shards %s", [msg]),
	"resource": _ref(_vitess(bounds)),
}

test_reference_data_stores_allowed if {
	count(datastores.deny) == 0 with input as _input("prod", [_etcd(3), _tidb(3, 3, 2), _vitess(_reference_bounds)])
	count(datastores.deny) == 0 with input as _input("staging", [_etcd(3), _tidb(3, 3, 2), _vitess(_reference_bounds)])
	count(datastores.deny) == 0 with input as _input("dev", [_etcd(1), _tidb(1, 1, 1), _vitess(_reference_bounds)])
}

# KF-DATA-001

test_even_etcd_denied if {
	datastores.deny == {{
		"msg": "spec.replicas is 4 etcd members; a Raft group needs an odd member count",
		"resource": _ref(_etcd(4)),
	}} with input as _input("prod", [_etcd(4)])
}

test_even_tikv_denied if {
	datastores.deny == {{
		"msg": "spec.tikv.replicas is 4 TiKV stores; a Raft group needs an odd member count",
		"resource": _ref(_tidb(3, 4, 2)),
	}} with input as _input("prod", [_tidb(3, 4, 2)])
}

test_even_members_allowed_without_odd_rule if {
	count(datastores.deny) == 0 with input as _input("dev", [_etcd(2)]) with data.kforge.tiers.dev.raft_require_odd as false
}

test_etcd_recognised_by_image if {
	etcd := json.patch(_etcd(2), [{"op": "remove", "path": "/metadata/labels"}])
	count(datastores.deny) == 2 with input as _input("prod", [etcd])
}

# KF-DATA-002

test_single_pd_in_prod_denied if {
	datastores.deny == {{
		"msg": "spec.pd.replicas is 1 PD members; the prod tier needs at least 3",
		"resource": _ref(_tidb(1, 3, 2)),
	}} with input as _input("prod", [_tidb(1, 3, 2)])
}

test_default_etcd_replicas_denied if {
	etcd := json.patch(_etcd(1), [{"op": "remove", "path": "/spec/replicas"}])
	datastores.deny == {{
		"msg": "spec.replicas is 1 etcd members; the staging tier needs at least 3",
		"resource": _ref(etcd),
	}} with input as _input("staging", [etcd])
}

test_five_members_allowed if {
	count(datastores.deny) == 0 with input as _input("prod", [_etcd(5), _tidb(5, 5, 1)])
}

# KF-DATA-003

test_shard_gap_denied if {
	bounds := [["", "40"], ["50", "80"], ["80", "c0"], ["c0", ""]]
	datastores.deny == {_vitess_finding(bounds, "keys from 40 to 50 are not covered: gap between shards[0] (-40) and shards[1] (50-80)")} with input as _input("prod", [_vitess(bounds)])
}

test_shard_overlap_denied if {
	bounds := [["", "40"], ["40", "90"], ["80", "c0"], ["c0", ""]]
	datastores.deny == {_vitess_finding(bounds, "shards[1] (40-90) and shards[2] (80-c0) overlap")} with input as _input("prod", [_vitess(bounds)])
}

test_shard_open_ends_denied if {
	bounds := [["10", "80"], ["80", "f0"]]
	datastores.deny == {
		_vitess_finding(bounds, "keys below 10 are not covered: the lowest shard is shards[0] (10-80)"),
		_vitess_finding(bounds, "keys from f0 up are not covered: the highest shard is shards[1] (80-f0)"),
	} with input as _input("prod", [_vitess(bounds)])
}

test_shard_invalid_and_empty_ranges_denied if {
	bounds := [["", "4"], ["80", "80"], ["80", ""]]
	datastores.deny == {
		_vitess_finding(bounds, "shards[0].keyRange.end is \"4\", not an even-length hex key"),
		_vitess_finding(bounds, "shards[1] (80-80) is empty: its start is not below its end"),
	} with input as _input("prod", [_vitess(bounds)])
}

test_open_shard_overlap_denied if {
	bounds := [["", ""], ["80", ""]]
	datastores.deny == {_vitess_finding(bounds, "shards[0] (-) and shards[1] (80-) overlap")} with input as _input("prod", [_vitess(bounds)])
}

test_unsharded_and_out_of_order_allowed if {
	count(datastores.deny) == 0 with input as _input("prod", [_vitess([["", ""]])])
	count(datastores.deny) == 0 with input as _input("prod", [_vitess([["80", ""], ["", "4000"], ["40", "80"]])])
}

test_vitess_keyspace_object_denied if {
	keyspace := {
		"apiVersion": "planetscale.com/v2",
		"kind": "VitessKeyspace",
		"metadata": {"name": "commerce", "namespace": "data"},
		"spec": {"partitionings": [{"custom": {"shards": _shards([["", "80"]])}}]},
	}
	datastores.deny == {{
		"msg": "spec.partitionings[0].custom.shards keys from 80 up are not covered: the highest shard is shards[0] (-80)",
		"resource": _ref(keyspace),
	}} with input as _input("prod", [keyspace])
}
