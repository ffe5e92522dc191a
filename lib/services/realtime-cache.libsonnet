// realtime-cache: a Go cache server on :8080 over an embedded BadgerDB. Each replica owns its
// Badger directory on a PersistentVolumeClaim (StatefulSet), writes are synced to disk, and
// claims are kept when the set shrinks so a replica comes back warm.
local goService = import 'go-service.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'realtime-cache',
  component: 'cache',
  workload: 'StatefulSet',
  configDir: '/etc/realtime-cache',
  dataDir: '/var/lib/badger',
  storage: error 'must provide storage',
  storageClassName: null,
  badger: {
    syncWrites: true,
    numVersionsToKeep: 1,
    compactL0OnClose: true,
    valueLogFileSize: 268435456,
    blockCacheSize: 134217728,
    indexCacheSize: 67108864,
  },
  gc: { interval: '10m', discardRatio: 0.5 },
  ttl: '15m',
  resources: k.container.resources('250m', '512Mi', '2', '1Gi'),
};

function(params)
  local c = defaults + params;
  assert c.badger.syncWrites : 'realtime-cache keeps Badger sync writes on';
  assert c.gc.discardRatio > 0 && c.gc.discardRatio < 1 : 'realtime-cache: value log GC discardRatio must be in (0, 1)';
  local base = goService(c {
    args: ['-config', c.configDir + '/config.yaml'],
    volumeMounts: [k.container.volumeMount('data', c.dataDir)],
    // Badger holds a directory lock: give it time to flush and release it.
    terminationGracePeriodSeconds: 60,
    config: {
      server: { addr: ':8080' },
      cache: { ttl: c.ttl },
      badger: c.badger { dir: c.dataDir + '/keys', valueDir: c.dataDir + '/values' },
      gc: c.gc,
    },
  });
  base {
    headless_service:
      k.service.new(c.name + '-headless', c.namespace, base.selector, [k.service.port('http', 8080)])
      + k.service.withHeadless()
      + k.meta.withLabels(base.labels()),
    stateful_set:
      k.statefulSet.new(c.name, c.namespace, c.name + '-headless', base.selector, [])
      + k.meta.withLabels(base.labels())
      + k.statefulSet.withReplicas(c.replicas)
      + k.statefulSet.withParallelPodManagement()
      + k.statefulSet.withRetainedVolumes()
      + k.statefulSet.withVolumeClaimTemplates([k.statefulSet.volumeClaimTemplate('data', c.storage, c.storageClassName)])
      + { spec+: { template: base.podTemplate(c.version) } },
    [if c.disruptionBudget then 'pdb']: base.pdbNamed(c.name, c.version, base.selector),
    [if c.autoscaling.enabled then 'hpa']:
      base.hpaNamed(c.name, c.version, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: c.name }),
  }
