// etcd: a static Raft cluster (StatefulSet, one member per replica, bootstrapped together)
// with peer traffic on :2380, clients on :2379, metrics and health on :2381, and each
// member's data directory on its own volume. The headless Service gives every member the
// stable name etcd-<i>.etcd.<namespace> the registry clients use.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'etcd',
  namespace: error 'must provide namespace',
  image: images.platform('etcd'),
  members: error 'must provide members',
  storage: error 'must provide storage',
  storageClassName: null,
  disruptionBudget: false,
  quotaBackendBytes: 4294967296,
  resources: k.container.resources('250m', '512Mi', '2', '1Gi'),
};

function(params)
  local c = defaults + params;
  assert c.members >= 1 && c.members % 2 == 1 : 'etcd: members must be odd (a Raft quorum), got %d' % c.members;
  local labels = k.meta.labels(c.name, images.tag(c.image), 'registry');
  local selector = k.meta.selectorLabels(c.name);
  local uid = 1001;
  local member(i) = '%s-%d' % [c.name, i];
  local peerURL(i) = 'http://%s.%s.%s.svc:2380' % [member(i), c.name, c.namespace];
  {
    _config:: c,

    // endpoints: the client address of every member.
    endpoints:: ['%s.%s.%s:2379' % [member(i), c.name, c.namespace] for i in std.range(0, c.members - 1)],

    service_account: k.serviceAccount.new(c.name, c.namespace) + k.meta.withLabels(labels),

    service: k.service.new(c.name, c.namespace, selector, [
               k.service.port('tcp-client', 2379, 'client'),
               k.service.port('tcp-peer', 2380, 'peer'),
             ])
             + k.service.withHeadless(publishNotReadyAddresses=true)
             + k.meta.withLabels(labels),

    local container =
      k.container.new(c.name, c.image)
      + k.container.withCommand(['etcd'])
      + k.container.withArgs([
        '--name=$(POD_NAME)',
        '--data-dir=/var/run/etcd/default.etcd',
        '--listen-peer-urls=http://0.0.0.0:2380',
        '--listen-client-urls=http://0.0.0.0:2379',
        '--listen-metrics-urls=http://0.0.0.0:2381',
        '--advertise-client-urls=http://$(POD_NAME).%s.%s.svc:2379' % [c.name, c.namespace],
        '--initial-advertise-peer-urls=http://$(POD_NAME).%s.%s.svc:2380' % [c.name, c.namespace],
        '--initial-cluster=' + std.join(',', ['%s=%s' % [member(i), peerURL(i)] for i in std.range(0, c.members - 1)]),
        '--initial-cluster-state=new',
        '--initial-cluster-token=%s-%s' % [c.name, c.namespace],
        '--auto-compaction-mode=periodic',
        '--auto-compaction-retention=1h',
        '--quota-backend-bytes=%d' % c.quotaBackendBytes,
        '--snapshot-count=10000',
      ])
      + k.container.withPorts([
        k.container.port('client', 2379),
        k.container.port('peer', 2380),
        k.container.port('metrics', 2381),
      ])
      + k.container.withEnv([k.container.envFromField('POD_NAME', 'metadata.name')])
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(k.probe.http('/health', 'metrics')))
      // A member that lost quorum is not broken: liveness only asks the local member.
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.http('/health?serializable=true', 'metrics')))
      + k.container.withStartupProbe(k.probe.startup(k.probe.http('/health?serializable=true', 'metrics'), 300))
      + k.container.withRestrictedSecurityContext(uid)
      + k.container.withVolumeMounts([k.container.volumeMount('data', '/var/run/etcd')]),

    stateful_set:
      k.statefulSet.new(c.name, c.namespace, c.name, selector, [container])
      + k.meta.withLabels(labels)
      + k.statefulSet.withReplicas(c.members)
      + k.statefulSet.withParallelPodManagement()
      + k.statefulSet.withVolumeClaimTemplates([k.statefulSet.volumeClaimTemplate('data', c.storage, c.storageClassName)])
      + k.pod.withPodLabels(labels)
      + k.pod.withScrapeAnnotations(2381)
      + k.pod.withServiceAccount(c.name)
      + k.pod.withPodSecurityContext(uid)
      + (if c.members > 1 then k.pod.withTopologySpread(selector) else {}),

    // A budget of one keeps quorum through voluntary disruptions.
    [if c.disruptionBudget && c.members > 1 then 'pdb']: k.pdb.new(c.name, c.namespace, selector)
                                                         + k.pdb.withMaxUnavailable(1)
                                                         + k.meta.withLabels(labels),
  }
