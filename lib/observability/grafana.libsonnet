// Grafana with the platform's data sources provisioned (Prometheus as default, Loki,
// Alertmanager); its admin credentials come from a Secret reference and its database lives on
// a volume.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: 'grafana',
  namespace: error 'must provide namespace',
  image: images.platform('grafana'),
  storage: '10Gi',
  storageClassName: null,
  adminSecret: 'grafana-admin',
  rootURL: error 'must provide rootURL',
  prometheusURL: 'http://prometheus.observability:9090',
  lokiURL: 'http://loki.observability:3100',
  alertmanagerURL: 'http://alertmanager.observability:9093',
  resources: k.container.resources('100m', '256Mi', '1', '512Mi'),
};

function(params)
  local c = defaults + params;
  local labels = k.meta.labels(c.name, images.tag(c.image), 'dashboards');
  local selector = k.meta.selectorLabels(c.name);
  local uid = 472;
  {
    local this = self,
    _config:: c,

    datasources:: {
      apiVersion: 1,
      datasources: [
        {
          name: 'Prometheus',
          type: 'prometheus',
          uid: 'prometheus',
          access: 'proxy',
          url: c.prometheusURL,
          isDefault: true,
          jsonData: { httpMethod: 'POST', timeInterval: '30s' },
        },
        {
          name: 'Loki',
          type: 'loki',
          uid: 'loki',
          access: 'proxy',
          url: c.lokiURL,
          jsonData: { maxLines: 1000 },
        },
        {
          name: 'Alertmanager',
          type: 'alertmanager',
          uid: 'alertmanager',
          access: 'proxy',
          url: c.alertmanagerURL,
          jsonData: { implementation: 'prometheus' },
        },
      ],
    },

    service_account: k.serviceAccount.new(c.name, c.namespace) + k.meta.withLabels(labels),

    config_map: k.configMap.new(c.name + '-datasources', c.namespace, {
      'datasources.yaml': k.configMap.yaml(this.datasources),
    }) + k.meta.withLabels(labels),

    service: k.service.new(c.name, c.namespace, selector, [k.service.port('http', 3000)])
             + k.meta.withLabels(labels),

    pvc: k.pvc.new(c.name, c.namespace, c.storage, c.storageClassName) + k.meta.withLabels(labels),

    local container =
      k.container.new(c.name, c.image)
      + k.container.withPorts([k.container.port('http', 3000)])
      + k.container.withEnv([
        k.container.envFromSecret('GF_SECURITY_ADMIN_USER', c.adminSecret, 'admin-user'),
        k.container.envFromSecret('GF_SECURITY_ADMIN_PASSWORD', c.adminSecret, 'admin-password'),
      ] + k.container.envObject({
        GF_SERVER_ROOT_URL: c.rootURL,
        GF_PATHS_DATA: '/var/lib/grafana',
        GF_PATHS_PROVISIONING: '/etc/grafana/provisioning',
        GF_AUTH_ANONYMOUS_ENABLED: 'false',
        GF_ANALYTICS_REPORTING_ENABLED: 'false',
        GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
        GF_LOG_MODE: 'console',
        GF_LOG_CONSOLE_FORMAT: 'json',
      }))
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(k.probe.http('/api/health', 'http')))
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.tcp('http')))
      + k.container.withStartupProbe(k.probe.startup(k.probe.http('/api/health', 'http'), 180))
      + k.container.withRestrictedSecurityContext(uid, gid=0)
      + k.container.withVolumeMounts([
        k.container.volumeMount('data', '/var/lib/grafana'),
        k.container.volumeMount('datasources', '/etc/grafana/provisioning/datasources', readOnly=true),
        k.container.volumeMount('tmp', '/tmp'),
      ]),

    // One replica: Grafana's SQLite database lives on a ReadWriteOnce volume.
    deployment:
      k.deployment.new(c.name, c.namespace, selector, [container])
      + k.meta.withLabels(labels)
      + k.deployment.withReplicas(1)
      + k.deployment.withRecreate()
      + k.pod.withPodLabels(labels)
      + k.pod.withScrapeAnnotations(3000)
      + k.pod.withConfigChecksum(this.config_map)
      + k.pod.withServiceAccount(c.name)
      + k.pod.withPodSecurityContext(uid, gid=0, fsGroup=472)
      + k.pod.withVolumes([
        k.pod.pvcVolume('data', this.pvc.metadata.name),
        k.pod.configMapVolume('datasources', this.config_map.metadata.name),
        k.pod.emptyDirVolume('tmp', sizeLimit='256Mi'),
      ]),
  }
