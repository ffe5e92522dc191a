// TiDB cluster (TiDB Operator `TidbCluster`): placement drivers (PD, Raft), TiKV stores (Raft)
// and stateless TiDB SQL servers, spread across zones, with PD's replica count matched to the
// stores it has.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'tidb',
  namespace: error 'must provide namespace',
  pd: error 'must provide pd (replicas)',
  tikv: error 'must provide tikv (replicas)',
  tidb: error 'must provide tidb (replicas)',
  pdStorage: error 'must provide pdStorage',
  tikvStorage: error 'must provide tikvStorage',
  storageClassName: null,
  images: {
    pd: images.platform('tidb-pd'),
    tikv: images.platform('tidb-tikv'),
    tidb: images.platform('tidb-tidb'),
  },
};

function(params)
  local c = defaults + params;
  local version = images.tag(c.images.pd);
  assert images.tag(c.images.tikv) == version && images.tag(c.images.tidb) == version : 'tidb: PD, TiKV and TiDB must run the same version';
  assert c.pd >= 1 && c.pd % 2 == 1 : 'tidb: PD members must be odd, got %d' % c.pd;
  assert c.tikv >= 1 && c.tidb >= 1 : 'tidb: at least one TiKV store and one TiDB server';
  local labels = k.meta.labels(c.name, version, 'database');
  local storageClass = if c.storageClassName != null then { storageClassName: c.storageClassName } else {};
  local spread = if c.pd > 1 then {
    topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone' }],
  } else {};
  {
    _config:: c,

    tidb_cluster:
      k.meta.namespaced('pingcap.com/v1alpha1', 'TidbCluster', c.name, c.namespace)
      + k.meta.withLabels(labels) + {
        spec: spread {
          version: version,
          timezone: 'UTC',
          pvReclaimPolicy: 'Retain',
          configUpdateStrategy: 'RollingUpdate',
          enableDynamicConfiguration: true,
          podSecurityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          pd: storageClass {
            baseImage: images.repository(c.images.pd),
            replicas: c.pd,
            maxFailoverCount: 0,
            requests: { cpu: '500m', memory: '1Gi', storage: c.pdStorage },
            limits: { cpu: '2', memory: '4Gi' },
            config: {
              replication: {
                'max-replicas': std.min(3, c.tikv),
                'location-labels': ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'],
              },
            },
          },
          tikv: storageClass {
            baseImage: images.repository(c.images.tikv),
            replicas: c.tikv,
            maxFailoverCount: 0,
            requests: { cpu: '1', memory: '4Gi', storage: c.tikvStorage },
            limits: { cpu: '4', memory: '8Gi' },
            config: {
              storage: { 'reserve-space': '2GB' },
              raftstore: { 'apply-pool-size': 2, 'store-pool-size': 2 },
            },
          },
          tidb: {
            baseImage: images.repository(c.images.tidb),
            replicas: c.tidb,
            maxFailoverCount: 0,
            service: { type: 'ClusterIP' },
            requests: { cpu: '500m', memory: '1Gi' },
            limits: { cpu: '4', memory: '8Gi' },
            config: {
              log: { level: 'info', format: 'json' },
              performance: { 'max-procs': 0, 'tcp-keep-alive': true },
              'graceful-wait-before-shutdown': 30,
            },
          },
        },
      },
  }
