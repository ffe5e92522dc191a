// Vitess (PlanetScale operator `VitessCluster`): keyspace `commerce` split by explicit key
// ranges into shards that cover the whole keyspace, semi-synchronous replica tablets per
// shard, VTGate in each cell, and the global topology in the platform's etcd.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'vitess',
  namespace: error 'must provide namespace',
  keyspace: 'commerce',
  // shards: the key-range boundaries in order: ['', '40', '80', 'c0', ''] is -40, 40-80, 80-c0, c0-.
  boundaries: ['', '40', '80', 'c0', ''],
  cells: ['zone1'],
  tabletsPerShard: error 'must provide tabletsPerShard',
  vtgateReplicas: error 'must provide vtgateReplicas',
  tabletStorage: error 'must provide tabletStorage',
  storageClassName: null,
  // topology: the etcd the global lock server lives in.
  topology: { address: 'etcd.data:2379', rootPath: '/vitess/%s/global' % $.name },
  // configSecret: users.json (VTGate users) and init_db.sql (shard bootstrap).
  configSecret: 'vitess-config',
  images: {
    lite: images.platform('vitess-lite'),
    vtadmin: images.platform('vitess-vtadmin'),
    mysqldExporter: images.platform('mysqld-exporter'),
  },
};

// A key range boundary is '' (open) or an even number of lower-case hex digits.
local validBoundary(b) =
  std.length(b) % 2 == 0 && std.all([std.member('0123456789abcdef', ch) for ch in std.stringChars(b)]);

function(params)
  local c = defaults + params;
  local n = std.length(c.boundaries);
  local inner = c.boundaries[1:n - 1];
  assert n >= 2 : 'vitess: at least one shard';
  assert c.boundaries[0] == '' && c.boundaries[n - 1] == '' : 'vitess: the shards must cover the keyspace from its start to its end';
  assert std.all([validBoundary(b) && b != '' for b in inner]) : 'vitess: inner boundaries are non-empty hex strings';
  assert std.all([inner[i] < inner[i + 1] for i in std.range(0, std.length(inner) - 2)]) : 'vitess: boundaries must increase';
  local labels = k.meta.labels(c.name, images.tag(c.images.lite), 'database');
  local resources(cpu, memory, cpuLimit, memoryLimit) = k.container.resources(cpu, memory, cpuLimit, memoryLimit);
  local tabletPool(cell) = {
    cell: cell,
    type: 'replica',
    replicas: c.tabletsPerShard,
    vttablet: { resources: resources('500m', '512Mi', '2', '1Gi') },
    mysqld: { resources: resources('1', '2Gi', '4', '4Gi') },
    mysqldExporter: { resources: resources('25m', '64Mi', '200m', '128Mi') },
    dataVolumeClaimTemplate: {
      accessModes: ['ReadWriteOnce'],
      [if c.storageClassName != null then 'storageClassName']: c.storageClassName,
      resources: { requests: { storage: c.tabletStorage } },
    },
  };
  {
    _config:: c,

    // shards: the shard names Vitess derives from the key ranges ('-40', '40-80', ...).
    shards:: ['%s-%s' % [c.boundaries[i], c.boundaries[i + 1]] for i in std.range(0, n - 2)],

    vitess_cluster:
      k.meta.namespaced('planetscale.com/v2', 'VitessCluster', c.name, c.namespace)
      + k.meta.withLabels(labels) + {
        spec: {
          images: {
            vtctld: c.images.lite,
            vtadmin: c.images.vtadmin,
            vtgate: c.images.lite,
            vttablet: c.images.lite,
            vtbackup: c.images.lite,
            vtorc: c.images.lite,
            mysqld: { mysql80Compatible: c.images.lite },
            mysqldExporter: c.images.mysqldExporter,
          },
          globalLockserver: {
            external: { implementation: 'etcd2', address: c.topology.address, rootPath: c.topology.rootPath },
          },
          cells: [
            {
              name: cell,
              gateway: {
                authentication: { static: { secret: { name: c.configSecret, key: 'users.json' } } },
                replicas: c.vtgateReplicas,
                resources: resources('250m', '256Mi', '2', '1Gi'),
              },
            }
            for cell in c.cells
          ],
          vitessDashboard: {
            cells: c.cells,
            replicas: 1,
            resources: resources('50m', '128Mi', '500m', '256Mi'),
          },
          keyspaces: [{
            name: c.keyspace,
            databaseName: c.keyspace,
            durabilityPolicy: if c.tabletsPerShard > 1 then 'semi_sync' else 'none',
            turndownPolicy: 'RequireIdle',
            vitessOrchestrator: { resources: resources('50m', '128Mi', '500m', '256Mi') },
            partitionings: [{
              custom: {
                shards: [
                  {
                    keyRange: { start: c.boundaries[i], end: c.boundaries[i + 1] },
                    databaseInitScriptSecret: { name: c.configSecret, key: 'init_db.sql' },
                    tabletPools: [tabletPool(cell) for cell in c.cells],
                  }
                  for i in std.range(0, n - 2)
                ],
              },
            }],
          }],
          updateStrategy: { type: 'Immediate' },
        },
      },
  }
