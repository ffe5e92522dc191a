// Alertmanager: a gossip cluster (StatefulSet, one member per replica, silences and
// notification log on a volume) routing warnings to the team channel and critical alerts to
// the pager. Receiver credentials are files from a Secret reference.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'alertmanager',
  namespace: error 'must provide namespace',
  image: images.platform('alertmanager'),
  replicas: 1,
  storage: '2Gi',
  storageClassName: null,
  // receiversSecret: a Secret with slack-webhook-url and pagerduty-routing-key.
  receiversSecret: 'alertmanager-receivers',
  slackChannel: error 'must provide slackChannel',
  resources: k.container.resources('50m', '128Mi', '500m', '256Mi'),
};

function(params)
  local c = defaults + params;
  assert c.replicas >= 1 : 'alertmanager: replicas must be at least 1';
  local labels = k.meta.labels(c.name, images.tag(c.image), 'alerting');
  local selector = k.meta.selectorLabels(c.name);
  local clusterService = c.name + '-cluster';
  local uid = 65534;
  local peers = [
    '--cluster.peer=%s-%d.%s.%s.svc:9094' % [c.name, i, clusterService, c.namespace]
    for i in std.range(0, c.replicas - 1)
  ];
  {
    local this = self,
    _config:: c,

    // members: the address of every member, for Prometheus' alerting configuration.
    members:: ['%s-%d.%s.%s.svc:9093' % [c.name, i, clusterService, c.namespace] for i in std.range(0, c.replicas - 1)],

    config:: {
      global: { resolve_timeout: '5m' },
      route: {
        receiver: 'team',
        group_by: ['alertname', 'namespace', 'service'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        routes: [
          { receiver: 'pager', matchers: ['severity="critical"'], continue: true },
        ],
      },
      inhibit_rules: [
        {
          source_matchers: ['severity="critical"'],
          target_matchers: ['severity="warning"'],
          equal: ['alertname', 'namespace', 'service'],
        },
      ],
      receivers: [
        {
          name: 'team',
          slack_configs: [{
            api_url_file: '/etc/alertmanager/secrets/slack-webhook-url',
            channel: c.slackChannel,
            send_resolved: true,
            title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}',
            text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}',
          }],
        },
        {
          name: 'pager',
          pagerduty_configs: [{
            routing_key_file: '/etc/alertmanager/secrets/pagerduty-routing-key',
            send_resolved: true,
          }],
        },
      ],
    },

    service_account: k.serviceAccount.new(c.name, c.namespace) + k.meta.withLabels(labels),

    config_map: k.configMap.new(c.name + '-config', c.namespace, {
      'alertmanager.yml': k.configMap.yaml(this.config),
    }) + k.meta.withLabels(labels),

    service: k.service.new(c.name, c.namespace, selector, [k.service.port('http-web', 9093, 'web')])
             + k.meta.withLabels(labels),

    cluster_service: k.service.new(clusterService, c.namespace, selector, [
                       k.service.port('tcp-mesh', 9094, 'mesh'),
                       k.service.port('udp-mesh', 9094, 'mesh-udp', 'UDP'),
                       k.service.port('http-web', 9093, 'web'),
                     ])
                     + k.service.withHeadless(publishNotReadyAddresses=true)
                     + k.meta.withLabels(labels),

    local container =
      k.container.new(c.name, c.image)
      + k.container.withArgs([
        '--config.file=/etc/alertmanager/config/alertmanager.yml',
        '--storage.path=/alertmanager',
        '--web.listen-address=:9093',
        '--cluster.listen-address=' + (if c.replicas > 1 then '0.0.0.0:9094' else ''),
        '--cluster.advertise-address=$(POD_IP):9094',
      ] + (if c.replicas > 1 then peers else []))
      + k.container.withPorts([
        k.container.port('web', 9093),
        k.container.port('mesh', 9094),
        k.container.port('mesh-udp', 9094, 'UDP'),
      ])
      + k.container.withEnv([k.container.envFromField('POD_IP', 'status.podIP')])
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(k.probe.http('/-/ready', 'web')))
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.http('/-/healthy', 'web')))
      + k.container.withRestrictedSecurityContext(uid)
      + k.container.withVolumeMounts([
        k.container.volumeMount('config', '/etc/alertmanager/config', readOnly=true),
        k.container.volumeMount('receivers', '/etc/alertmanager/secrets', readOnly=true),
        k.container.volumeMount('data', '/alertmanager'),
      ]),

    stateful_set:
      k.statefulSet.new(c.name, c.namespace, clusterService, selector, [container])
      + k.meta.withLabels(labels)
      + k.statefulSet.withReplicas(c.replicas)
      + k.statefulSet.withParallelPodManagement()
      + k.statefulSet.withVolumeClaimTemplates([k.statefulSet.volumeClaimTemplate('data', c.storage, c.storageClassName)])
      + k.pod.withPodLabels(labels)
      + k.pod.withScrapeAnnotations(9093)
      + k.pod.withConfigChecksum(this.config_map)
      + k.pod.withServiceAccount(c.name)
      + k.pod.withPodSecurityContext(uid)
      + k.pod.withVolumes([
        k.pod.configMapVolume('config', this.config_map.metadata.name),
        k.pod.secretVolume('receivers', c.receiversSecret),
      ])
      + (if c.replicas > 1 then k.pod.withTopologySpread(selector) else {}),

    [if c.replicas > 1 then 'pdb']: k.pdb.new(c.name, c.namespace, selector)
                                    + k.pdb.withMaxUnavailable(1)
                                    + k.meta.withLabels(labels),
  }
