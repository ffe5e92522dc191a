// Tests of the k8s/ constructor library.
local k = import 'k8s/k8s.libsonnet';

local container = k.container.new('app', 'ghcr.io/kforge/app:v1.0.0')
                  + k.container.withResources(k.container.resources('100m', '128Mi', '1'))
                  + k.container.withRestrictedSecurityContext();
local deployment = k.deployment.new('app', 'apps', { app: 'app' }, [container])
                   + k.deployment.withReplicas(2)
                   + k.pod.withPodLabels({ version: 'v1' });

{
  pass: {
    namespaced_objects_carry_their_namespace:
      assert deployment.metadata == { name: 'app', namespace: 'apps' } : 'name and namespace';
      assert deployment.spec.selector.matchLabels == { app: 'app' } : 'selector';
      assert deployment.spec.template.metadata.labels == { app: 'app', version: 'v1' } : 'template labels extend the selector';
      true,

    resources_have_requests_and_limits:
      assert container.resources == { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '128Mi' } } : 'memory limit defaults to the request';
      true,

    restricted_security_context:
      local sc = container.securityContext;
      assert sc.runAsNonRoot && sc.readOnlyRootFilesystem && !sc.allowPrivilegeEscalation : 'restricted';
      assert sc.capabilities.drop == ['ALL'] : 'no capabilities';
      true,

    recommended_labels:
      assert std.objectFields(k.meta.labels('app', 'v1', 'api')) == [
        'app.kubernetes.io/component',
        'app.kubernetes.io/instance',
        'app.kubernetes.io/managed-by',
        'app.kubernetes.io/name',
        'app.kubernetes.io/part-of',
        'app.kubernetes.io/version',
      ] : 'the six recommended labels';
      assert k.meta.labels('app', 'v1', 'api')['app.kubernetes.io/part-of'] == 'kforge-platform' : 'part-of';
      true,

    image_pins:
      assert k.container.pinned('ghcr.io/kforge/app:v1') : 'tag';
      assert k.container.pinned('registry:5000/app@sha256:0123') : 'digest';
      assert !k.container.pinned('registry:5000/app') : 'a registry port is not a tag';
      assert !k.container.pinned('app:latest') : 'latest is not a pin';
      true,

    configmap_yaml:
      local cm = k.configMap.new('c', 'apps', { 'config.yaml': k.configMap.yaml({ a: { b: [1, 2] } }) });
      assert cm.data['config.yaml'] == 'a:\n  b:\n  - 1\n  - 2\n' : 'block YAML';
      true,
  },

  fail: {
    unpinned_image: { expect: 'must be pinned to a tag', value:: k.container.new('app', 'ghcr.io/kforge/app:latest').image },
    missing_namespace: { expect: 'needs a namespace', value:: k.service.new('s', '', {}, []).metadata },
    hpa_max_below_min: { expect: 'maxReplicas below minReplicas', value:: k.hpa.new('h', 'apps', {}, 3, 2).spec },
    hpa_min_zero: { expect: 'minReplicas must be at least 1', value:: k.hpa.new('h', 'apps', {}, 0, 2).spec },
    configmap_non_string: { expect: 'data values must be strings', value:: k.configMap.new('c', 'apps', { n: 1 }).data },
    env_non_string: { expect: 'must be a string', value:: k.container.envVar('N', 1).value },
  },
}
