// Tests of data/: Raft member counts, Vitess key ranges, TiDB and etcd wiring.
local etcd = import 'data/etcd.libsonnet';
local tidb = import 'data/tidb.libsonnet';
local vitess = import 'data/vitess.libsonnet';

local vt = vitess({ namespace: 'data', tabletsPerShard: 3, vtgateReplicas: 2, tabletStorage: '50Gi' });
local shards = vt.vitess_cluster.spec.keyspaces[0].partitionings[0].custom.shards;
local cluster = etcd({ namespace: 'data', members: 3, storage: '8Gi', disruptionBudget: true });
local db = tidb({ namespace: 'data', pd: 3, tikv: 3, tidb: 2, pdStorage: '10Gi', tikvStorage: '100Gi' });

{
  pass: {
    vitess_shards_cover_the_keyspace:
      assert vt.shards == ['-40', '40-80', '80-c0', 'c0-'] : 'shard names';
      assert [s.keyRange for s in shards] == [
        { start: '', end: '40' },
        { start: '40', end: '80' },
        { start: '80', end: 'c0' },
        { start: 'c0', end: '' },
      ] : 'key ranges';
      assert std.all([shards[i].keyRange.end == shards[i + 1].keyRange.start for i in std.range(0, std.length(shards) - 2)]) : 'no gap, no overlap';
      assert vt.vitess_cluster.spec.keyspaces[0].name == 'commerce' : 'keyspace commerce';
      assert vt.vitess_cluster.spec.cells[0].gateway.replicas == 2 : 'VTGate';
      true,

    etcd_members:
      assert cluster.stateful_set.spec.replicas == 3 : 'three members';
      assert cluster.endpoints == ['etcd-0.etcd.data:2379', 'etcd-1.etcd.data:2379', 'etcd-2.etcd.data:2379'] : 'member endpoints';
      local args = cluster.stateful_set.spec.template.spec.containers[0].args;
      assert std.member(args, '--data-dir=/var/run/etcd/default.etcd') : 'data dir';
      assert std.member(args, '--initial-cluster=etcd-0=http://etcd-0.etcd.data.svc:2380,etcd-1=http://etcd-1.etcd.data.svc:2380,etcd-2=http://etcd-2.etcd.data.svc:2380') : 'static bootstrap';
      assert cluster.pdb.spec.maxUnavailable == 1 : 'quorum-keeping budget';
      true,

    tidb_topology:
      local spec = db.tidb_cluster.spec;
      assert [spec.pd.replicas, spec.tikv.replicas, spec.tidb.replicas] == [3, 3, 2] : '3/3/2';
      assert spec.pd.config.replication['max-replicas'] == 3 : 'three copies of every region';
      assert spec.version == 'v8.5.1' && spec.pd.baseImage == 'docker.io/pingcap/pd' : 'pinned version';
      true,
  },

  fail: {
    vitess_gap: { expect: 'boundaries must increase', value:: vitess(vt._config { boundaries: ['', '80', '40', ''] }).vitess_cluster },
    vitess_open_start: { expect: 'cover the keyspace from its start to its end', value:: vitess(vt._config { boundaries: ['40', '80', ''] }).vitess_cluster },
    vitess_bad_hex: { expect: 'non-empty hex strings', value:: vitess(vt._config { boundaries: ['', '4', ''] }).vitess_cluster },
    etcd_even_members: { expect: 'members must be odd', value:: etcd({ namespace: 'data', members: 2, storage: '8Gi' }).stateful_set },
    tidb_even_pd: { expect: 'PD members must be odd', value:: tidb(db._config { pd: 2 }).tidb_cluster },
  },
}
