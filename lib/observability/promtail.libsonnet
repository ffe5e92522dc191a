// Promtail DaemonSet: tails the container logs of its node, parses the JSON log line (level,
// trace_id, service) and promotes only level and service to labels, next to the namespace,
// app and container. trace_id stays in the log line, queryable with `| json`.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'promtail',
  namespace: error 'must provide namespace',
  image: images.platform('promtail'),
  lokiURL: 'http://loki.observability:3100/loki/api/v1/push',
  // externalLabels: labels every stream pushed by this Promtail carries.
  externalLabels: {},
  resources: k.container.resources('50m', '128Mi', '500m', '256Mi'),
};

function(params)
  local c = defaults + params;
  local labels = k.meta.labels(c.name, images.tag(c.image), 'logging');
  local selector = k.meta.selectorLabels(c.name);
  // Container logs are root-owned with group read (0640): Promtail runs as a non-root user in
  // group 0 and only reads them.
  local uid = 10001;
  {
    local this = self,
    _config:: c,

    config:: {
      server: { http_listen_port: 3101, grpc_listen_port: 0, log_format: 'json' },
      positions: { filename: '/run/promtail/positions.yaml' },
      clients: [{ url: c.lokiURL, external_labels: c.externalLabels }],
      scrape_configs: [{
        job_name: 'kubernetes-pods',
        kubernetes_sd_configs: [{ role: 'pod' }],
        relabel_configs: [
          // Only the pods of this node (Promtail compares __host__ with its HOSTNAME).
          { source_labels: ['__meta_kubernetes_pod_node_name'], action: 'replace', target_label: '__host__' },
          { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], action: 'replace', target_label: 'app' },
          { source_labels: ['__meta_kubernetes_pod_container_name'], action: 'replace', target_label: 'container' },
          {
            source_labels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'],
            action: 'replace',
            separator: '/',
            target_label: '__path__',
            replacement: '/var/log/pods/*$1/*.log',
          },
        ],
        pipeline_stages: [
          { cri: {} },
          { json: { expressions: { level: 'level', trace_id: 'trace_id', service: 'service' } } },
          { labels: { level: '', service: '' } },
        ],
      }],
    },

    service_account: k.serviceAccount.new(c.name, c.namespace) + k.meta.withLabels(labels),

    cluster_role: k.rbac.clusterRole('kforge-' + c.name, [
      k.rbac.rule([''], ['nodes', 'pods'], ['get', 'list', 'watch']),
    ]) + k.meta.withLabels(labels),

    cluster_role_binding: k.rbac.clusterRoleBinding('kforge-' + c.name, 'kforge-' + c.name, [
      k.rbac.serviceAccountSubject(c.name, c.namespace),
    ]) + k.meta.withLabels(labels),

    config_map: k.configMap.new(c.name + '-config', c.namespace, {
      'promtail.yaml': k.configMap.yaml(this.config),
    }) + k.meta.withLabels(labels),

    local container =
      k.container.new(c.name, c.image)
      + k.container.withArgs(['-config.file=/etc/promtail/promtail.yaml', '-config.expand-env=true'])
      + k.container.withPorts([k.container.port('http-metrics', 3101)])
      + k.container.withEnv([k.container.envFromField('HOSTNAME', 'spec.nodeName')])
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(k.probe.http('/ready', 'http-metrics')))
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.tcp('http-metrics')))
      + k.container.withRestrictedSecurityContext(uid, gid=0)
      + k.container.withVolumeMounts([
        k.container.volumeMount('config', '/etc/promtail', readOnly=true),
        k.container.volumeMount('run', '/run/promtail'),
        k.container.volumeMount('pods', '/var/log/pods', readOnly=true),
      ]),

    daemon_set:
      k.daemonSet.new(c.name, c.namespace, selector, [container])
      + k.meta.withLabels(labels)
      + k.daemonSet.withRollingUpdate()
      + k.pod.withPodLabels(labels)
      + k.pod.withScrapeAnnotations(3101)
      + k.pod.withConfigChecksum(this.config_map)
      + k.pod.withServiceAccount(c.name, automount=true)
      + k.pod.withPodSecurityContext(uid, gid=0, fsGroup=0)
      + k.pod.withTolerations([{ operator: 'Exists' }])
      + k.pod.withVolumes([
        k.pod.configMapVolume('config', this.config_map.metadata.name),
        // Positions survive container restarts; a replaced pod re-reads what is still on
        // disk and Loki drops the duplicate lines.
        k.pod.emptyDirVolume('run', sizeLimit='64Mi'),
        k.pod.hostPathVolume('pods', '/var/log/pods', 'Directory'),
      ]),
  }
