// Containers: constructor, ports, environment, mounts, resources and the restricted security
// context every platform container runs with.
{
  // pinned tells whether an image reference carries a tag other than latest (or a digest).
  pinned(image)::
    local segments = std.split(image, '/');
    local last = segments[std.length(segments) - 1];
    local parts = std.split(last, ':');
    std.length(std.findSubstr('@sha256:', image)) > 0
    || (std.length(parts) == 2 && parts[1] != '' && parts[1] != 'latest'),

  new(name, image):: {
    assert $.pinned(image) : 'image of container %s must be pinned to a tag: %s' % [name, image],
    name: name,
    image: image,
    imagePullPolicy: 'IfNotPresent',
  },

  port(name, containerPort, protocol='TCP'):: {
    name: name,
    containerPort: containerPort,
    protocol: protocol,
  },
  withPorts(ports):: { ports+: ports },

  withCommand(command):: { command: command },
  withArgs(args):: { args+: args },

  envVar(name, value):: {
    assert std.isString(value) : 'environment variable %s must be a string' % name,
    name: name,
    value: value,
  },
  envFromSecret(name, secretName, key):: {
    name: name,
    valueFrom: { secretKeyRef: { name: secretName, key: key } },
  },
  envFromField(name, fieldPath):: {
    name: name,
    valueFrom: { fieldRef: { fieldPath: fieldPath } },
  },
  envFromResource(name, containerName, resource, divisor):: {
    name: name,
    valueFrom: { resourceFieldRef: { containerName: containerName, resource: resource, divisor: divisor } },
  },
  // envObject turns {NAME: 'value'} into a sorted list of environment variables.
  envObject(vars):: [self.envVar(k, vars[k]) for k in std.objectFields(vars)],
  withEnv(env):: { env+: env },
  // withGoRuntimeEnv lets the Go runtime follow the container limits (GOMAXPROCS, GOMEMLIMIT).
  withGoRuntimeEnv(containerName):: self.withEnv([
    self.envFromResource('GOMAXPROCS', containerName, 'limits.cpu', '1'),
    self.envFromResource('GOMEMLIMIT', containerName, 'limits.memory', '1'),
  ]),

  volumeMount(name, mountPath, readOnly=false, subPath=null):: {
    name: name,
    mountPath: mountPath,
    [if readOnly then 'readOnly']: true,
    [if subPath != null then 'subPath']: subPath,
  },
  withVolumeMounts(mounts):: { volumeMounts+: mounts },

  // resources sets requests and limits; every platform container has both.
  resources(cpu, memory, cpuLimit, memoryLimit=memory):: {
    requests: { cpu: cpu, memory: memory },
    limits: { cpu: cpuLimit, memory: memoryLimit },
  },
  withResources(resources):: {
    assert std.objectHas(resources, 'requests') && std.objectHas(resources, 'limits') : 'resources need requests and limits',
    resources: resources,
  },

  withReadinessProbe(probe):: { readinessProbe: probe },
  withLivenessProbe(probe):: { livenessProbe: probe },
  withStartupProbe(probe):: { startupProbe: probe },

  // withRestrictedSecurityContext: non-root, read-only root filesystem, no privilege
  // escalation, every capability dropped, runtime default seccomp profile.
  withRestrictedSecurityContext(uid=65532, gid=uid):: {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: gid,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  },
}
