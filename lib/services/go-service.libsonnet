// The shape every Go service of the platform shares: ServiceAccount, Service, optional
// ConfigMap (the service's config.yaml), and a workload whose pods carry the recommended
// labels plus Istio's `app`/`version`, the OpenTelemetry SDK environment, Prometheus scrape
// annotations, probes, requests and limits, and the restricted security context; in tiers
// that want them, a PodDisruptionBudget and a HorizontalPodAutoscaler.
//
// Services extend the returned object: `workload: 'Deployment'` renders `deployment`, `pdb`
// and `hpa` for the one running version; other workloads (versioned Deployments, a Rollout, a
// StatefulSet) are built from the hidden helpers podTemplate(), track() and friends.
local format = import 'config/format.libsonnet';
local images = import 'config/images.libsonnet';
local k = import 'k8s/k8s.libsonnet';

local defaults = {
  name: error 'must provide name',
  namespace: error 'must provide namespace',
  environment: error 'must provide environment',
  version: error 'must provide version',
  instance: self.name,
  component: 'backend',
  // workload: 'Deployment' renders one Deployment; anything else leaves the workload to the service.
  workload: 'Deployment',
  replicas: 1,
  autoscaling: { enabled: false, maxReplicas: 1, cpuUtilization: 70 },
  disruptionBudget: false,
  // tracing: the OpenTelemetry SDK sampler, its ratio and the collector endpoint.
  tracing: {
    sampler: error 'must provide tracing.sampler',
    ratio: error 'must provide tracing.ratio',
    endpoint: 'http://otel-collector.observability:4317',
  },
  // ports: container and Service ports; names carry Istio's protocol prefix.
  ports: [{ name: 'http', port: 8080 }],
  metrics: { port: 8080, path: '/metrics' },
  readiness: k.probe.http('/readyz', 'http'),
  liveness: k.probe.http('/healthz', 'http'),
  startupSeconds: 60,
  resources: k.container.resources('100m', '128Mi', '1', '256Mi'),
  args: [],
  env: {},
  // secretEnv: [{name, secret, key}]: environment variables read from Secret references.
  secretEnv: [],
  // config: null, or the service's configuration object (rendered as config.yaml).
  config: null,
  configFile: 'config.yaml',
  configDir: '/etc/' + self.name,
  podAnnotations: {},
  volumes: [],
  volumeMounts: [],
  uid: 65532,
  terminationGracePeriodSeconds: 30,
};

function(params)
  local c = defaults + params;
  {
    local this = self,
    _config:: c,

    assert c.replicas >= 1 : '%s: replicas must be at least 1' % c.name,
    assert !c.autoscaling.enabled || c.autoscaling.maxReplicas >= c.replicas : '%s: autoscaling.maxReplicas below replicas' % c.name,
    assert c.tracing.ratio >= 0 && c.tracing.ratio <= 1 : '%s: tracing.ratio must be in [0, 1]' % c.name,
    assert std.length(c.ports) > 0 : '%s needs at least one port' % c.name,

    // labels: the recommended labels of the service's objects at a version.
    labels(version=c.version):: k.meta.labels(c.name, version, c.component, c.instance),
    // selector: what the Service and an unversioned workload select.
    selector:: k.meta.selectorLabels(c.name, c.instance),
    // podLabels: recommended labels plus Istio's app and version.
    podLabels(version):: this.labels(version) + { app: c.name, version: version },
    // trackName: the name of a versioned workload ('order-service-v1-8').
    trackName(version):: '%s-%s' % [c.name, std.strReplace(version, '.', '-')],
    image(version):: images.service(c.name, version),

    env(version):: [
      k.container.envVar('OTEL_SERVICE_NAME', c.name),
      k.container.envVar('OTEL_EXPORTER_OTLP_ENDPOINT', c.tracing.endpoint),
      k.container.envVar('OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'),
      k.container.envVar('OTEL_TRACES_SAMPLER', c.tracing.sampler),
      k.container.envVar('OTEL_TRACES_SAMPLER_ARG', format.decimal(c.tracing.ratio)),
      k.container.envVar(
        'OTEL_RESOURCE_ATTRIBUTES',
        'service.namespace=%s,service.version=%s,deployment.environment.name=%s' % [c.namespace, version, c.environment]
      ),
      k.container.envFromField('POD_NAMESPACE', 'metadata.namespace'),
    ] + k.container.envObject(c.env) + [
      k.container.envFromSecret(e.name, e.secret, e.key)
      for e in c.secretEnv
    ],

    container(version)::
      k.container.new(c.name, this.image(version))
      + k.container.withPorts([k.container.port(p.name, p.port) for p in c.ports])
      + (if std.length(c.args) > 0 then k.container.withArgs(c.args) else {})
      + k.container.withEnv(this.env(version))
      + k.container.withGoRuntimeEnv(c.name)
      + k.container.withResources(c.resources)
      + k.container.withReadinessProbe(k.probe.readiness(c.readiness))
      + k.container.withLivenessProbe(k.probe.liveness(c.liveness))
      + k.container.withStartupProbe(k.probe.startup(c.readiness, c.startupSeconds))
      + k.container.withRestrictedSecurityContext(c.uid)
      + k.container.withVolumeMounts(
        [k.container.volumeMount('tmp', '/tmp')]
        + (if c.config != null then [k.container.volumeMount('config', c.configDir, readOnly=true)] else [])
        + c.volumeMounts
      ),

    podAnnotations::
      k.pod.scrapeAnnotations(c.metrics.port, c.metrics.path)
      + {
        'kubectl.kubernetes.io/default-container': c.name,
        'proxy.istio.io/config': std.manifestJsonMinified({ holdApplicationUntilProxyStarts: true }),
      }
      + (if c.config != null then { 'checksum/config': k.configMap.checksum(this.config_map) } else {})
      + c.podAnnotations,

    // podTemplate: the pod template of the service at a version.
    podTemplate(version)::
      local wrapped = { spec: { template: { metadata: { labels: this.podLabels(version) }, spec: { containers: [this.container(version)] } } } }
                      + k.pod.withPodAnnotations(this.podAnnotations)
                      + k.pod.withServiceAccount(c.name)
                      + k.pod.withPodSecurityContext(c.uid)
                      + k.pod.withTerminationGracePeriod(c.terminationGracePeriodSeconds)
                      + k.pod.withVolumes(
                        [k.pod.emptyDirVolume('tmp', sizeLimit='64Mi')]
                        + (if c.config != null then [k.pod.configMapVolume('config', this.config_map.metadata.name)] else [])
                        + c.volumes
                      )
                      + (if c.replicas > 1 || c.autoscaling.enabled then k.pod.withTopologySpread(this.selector) else {});
      wrapped.spec.template,

    // deploymentNamed: a Deployment of the service at a version.
    deploymentNamed(name, version, selector)::
      k.deployment.new(name, c.namespace, selector, [])
      + k.meta.withLabels(this.labels(version))
      + k.deployment.withReplicas(c.replicas)
      + k.deployment.withRollingUpdate()
      + { spec+: { template: this.podTemplate(version) } },

    pdbNamed(name, version, selector)::
      k.pdb.new(name, c.namespace, selector)
      + k.meta.withLabels(this.labels(version))
      + k.pdb.withMaxUnavailable(1),

    hpaNamed(name, version, target)::
      k.hpa.new(name, c.namespace, target, c.replicas, c.autoscaling.maxReplicas)
      + k.meta.withLabels(this.labels(version))
      + k.hpa.withCpuUtilization(c.autoscaling.cpuUtilization),

    // track: the Deployment of one running version, with its budget and autoscaler.
    track(version)::
      local name = this.trackName(version);
      local selector = this.selector { version: version };
      {
        deployment: this.deploymentNamed(name, version, selector),
        [if c.disruptionBudget then 'pdb']: this.pdbNamed(name, version, selector),
        [if c.autoscaling.enabled then 'hpa']:
          this.hpaNamed(name, version, { apiVersion: 'apps/v1', kind: 'Deployment', name: name }),
      },

    service_account:
      k.serviceAccount.new(c.name, c.namespace)
      + k.meta.withLabels(this.labels()),

    service:
      k.service.new(c.name, c.namespace, this.selector, [k.service.port(p.name, p.port) for p in c.ports])
      + k.meta.withLabels(this.labels()),

    [if c.config != null then 'config_map']:
      k.configMap.new(c.name + '-config', c.namespace, { [c.configFile]: k.configMap.yaml(c.config) })
      + k.meta.withLabels(this.labels()),

    [if c.workload == 'Deployment' then 'deployment']: this.deploymentNamed(c.name, c.version, this.selector),
    [if c.workload == 'Deployment' && c.disruptionBudget then 'pdb']: this.pdbNamed(c.name, c.version, this.selector),
    [if c.workload == 'Deployment' && c.autoscaling.enabled then 'hpa']:
      this.hpaNamed(c.name, c.version, { apiVersion: 'apps/v1', kind: 'Deployment', name: c.name }),
  }
