// Prometheus server: a StatefulSet of independent replicas (each scrapes everything and keeps
// its own TSDB on a volume), the configuration generated from the platform's services, the
// alert rules, RBAC for Kubernetes service discovery, and a Service at
// prometheus.observability:9090 for Grafana and the canary analysis.
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';
local scrape = import 'scrape.libsonnet';

local defaults = {
  name: 'prometheus',
  namespace: error 'must provide namespace',
  image: images.platform('prometheus'),
  replicas: 1,
  retention: '15d',
  storage: error 'must provide storage',
  storageClassName: null,
  // externalLabels: labels every series and alert leaving this Prometheus carries.
  externalLabels: error 'must provide externalLabels',
  // services: [{name, namespace}] — one scrape job each.
  services: error 'must provide services',
  // annotated: [{job, namespace}] — namespaces whose annotated pods are scraped.
  annotated: [],
  // ports: extra jobs scraping a named port: [{job, namespace, name, port, honorLabels}].
  ports: [],
  // alertmanagers: 'host:port' of every Alertmanager member.
  alertmanagers: error 'must provide alertmanagers',
  // rules: the alert rules document ({groups: [...]}).
  rules: error 'must provide rules',
  scrapeInterval: '30s',
  evaluationInterval: '30s',
  resources: k.container.resources('500m', '2Gi', '2', '4Gi'),
};

function(params)
  local c = defaults + params;
  assert c.replicas >= 1 : 'prometheus: replicas must be at least 1';
  assert std.length(c.alertmanagers) > 0 : 'prometheus needs at least one Alertmanager';
  local labels = k.meta.labels(c.name, images.tag(c.image), 'monitoring');
  local selector = k.meta.selectorLabels(c.name);
  local uid = 65534;
  {
    local this = self,
    _config:: c,

    // config is the prometheus.yml document.
    config:: {
      global: {
        scrape_interval: c.scrapeInterval,
        scrape_timeout: '10s',
        evaluation_interval: c.evaluationInterval,
        // prometheus_replica tells the replicas' series apart; it is dropped from alerts so
        // Alertmanager deduplicates them.
        external_labels: c.externalLabels { prometheus_replica: '${POD_NAME}' },
      },
      rule_files: ['/etc/prometheus/rules/*.yml'],
      alerting: {
        alert_relabel_configs: [{ action: 'labeldrop', regex: 'prometheus_replica' }],
        alertmanagers: [{
          api_version: 'v2',
          static_configs: [{ targets: c.alertmanagers }],
        }],
      },
      scrape_configs:
        [scrape.service(s.name, s.namespace) for s in c.services]
        + [scrape.annotated(a.job, a.namespace) for a in c.annotated]
        + [scrape.port(p.job, p.namespace, p.name, p.port, std.get(p, 'honorLabels', false)) for p in c.ports],
    },

    service_account: k.serviceAccount.new(c.name, c.namespace) + k.meta.withLabels(labels),

    cluster_role: k.rbac.clusterRole('kforge-' + c.name, [
      k.rbac.rule([''], ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], ['get', 'list', 'watch']),
      k.rbac.rule(['discovery.k8s.io'], ['endpointslices'], ['get', 'list', 'watch']),
      k.rbac.rule(['networking.k8s.io'], ['ingresses'], ['get', 'list', 'watch']),
      k.rbac.nonResourceRule(['/metrics'], ['get']),
    ]) + k.meta.withLabels(labels),

    cluster_role_binding: k.rbac.clusterRoleBinding('kforge-' + c.name, 'kforge-' + c.name, [
      k.rbac.serviceAccountSubject(c.name, c.namespace),
    ]) + k.meta.withLabels(labels),

    config_map: k.configMap.new(c.name + '-config', c.namespace, {
      'prometheus.yml': k.configMap.yaml(this.config),
    }) + k.meta.withLabels(labels),

    rules_config_map: k.configMap.new(c.name + '-rules', c.namespace, {
      'alerts.yml': k.configMap.yaml(c.rules),
    }) + k.meta.withLabels(labels),

    service: k.service.new(c.name, c.namespace, selector, [k.service.port('http-web', 9090, 'web')])
             + k.meta.withLabels(labels),

    headless_service: k.service.new(c.name + '-headless', c.namespace, selector, [k.service.port('http-web', 9090, 'web')])
                      + k.service.withHeadless()
                      + k.meta.withLabels(labels),

    local container =
      k.container.new(c.name, c.image)
      + k.container.withArgs([
        '--config.file=/etc/prometheus/prometheus.yml',
        '--web.listen-address=:9090',
        '--storage.tsdb.path=/prometheus',
        '--storage.tsdb.retention.time=' + c.retention,
        '--enable-feature=expand-external-labels',
      ])
      + k.container.withPorts([k.container.port('web', 9090)])
      + k.container.withEnv([k.container.envFromField('POD_NAME', 'metadata.name')])
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(k.probe.http('/-/ready', 'web')))
      + k.container.withLivenessProbe(k.probe.liveness(k.probe.http('/-/healthy', 'web')))
      + k.container.withStartupProbe(k.probe.startup(k.probe.http('/-/ready', 'web'), 600))
      + k.container.withRestrictedSecurityContext(uid)
      + k.container.withVolumeMounts([
        k.container.volumeMount('config', '/etc/prometheus/prometheus.yml', readOnly=true, subPath='prometheus.yml'),
        k.container.volumeMount('rules', '/etc/prometheus/rules', readOnly=true),
        k.container.volumeMount('data', '/prometheus'),
      ]),

    stateful_set:
      k.statefulSet.new(c.name, c.namespace, c.name + '-headless', selector, [container])
      + k.meta.withLabels(labels)
      + k.statefulSet.withReplicas(c.replicas)
      + k.statefulSet.withParallelPodManagement()
      + k.statefulSet.withVolumeClaimTemplates([k.statefulSet.volumeClaimTemplate('data', c.storage, c.storageClassName)])
      + k.pod.withPodLabels(labels)
      + k.pod.withScrapeAnnotations(9090)
      + k.pod.withConfigChecksum(this.config_map)
      + k.pod.withConfigChecksum(this.rules_config_map, 'checksum/rules')
      + k.pod.withServiceAccount(c.name, automount=true)
      + k.pod.withPodSecurityContext(uid)
      + k.pod.withTerminationGracePeriod(600)
      + k.pod.withVolumes([
        k.pod.configMapVolume('config', this.config_map.metadata.name),
        k.pod.configMapVolume('rules', this.rules_config_map.metadata.name),
      ])
      + (if c.replicas > 1 then k.pod.withTopologySpread(selector) else {}),

    [if c.replicas > 1 then 'pdb']: k.pdb.new(c.name, c.namespace, selector)
                                    + k.pdb.withMaxUnavailable(1)
                                    + k.meta.withLabels(labels),
  }
