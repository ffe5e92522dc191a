// Pod template mixins shared by every workload kind that has spec.template (Deployment,
// StatefulSet, DaemonSet, Argo Rollout), plus volume constructors.
local configMap = import 'configmap.libsonnet';

{
  withPodLabels(labels):: { spec+: { template+: { metadata+: { labels+: labels } } } },
  withPodAnnotations(annotations):: { spec+: { template+: { metadata+: { annotations+: annotations } } } },
  // scrapeAnnotations ask Prometheus to scrape a pod (observability/scrape.libsonnet reads them).
  scrapeAnnotations(port, path='/metrics'):: {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': std.toString(port),
    'prometheus.io/path': path,
  },
  withScrapeAnnotations(port, path='/metrics'):: self.withPodAnnotations(self.scrapeAnnotations(port, path)),
  // withConfigChecksum rolls the pods whenever the ConfigMap's data changes.
  withConfigChecksum(cm, key='checksum/config'):: self.withPodAnnotations({ [key]: configMap.checksum(cm) }),

  withServiceAccount(name, automount=false):: {
    spec+: { template+: { spec+: { serviceAccountName: name, automountServiceAccountToken: automount } } },
  },
  withVolumes(volumes):: { spec+: { template+: { spec+: { volumes+: volumes } } } },
  withInitContainers(containers):: { spec+: { template+: { spec+: { initContainers+: containers } } } },
  withTerminationGracePeriod(seconds):: { spec+: { template+: { spec+: { terminationGracePeriodSeconds: seconds } } } },
  withNodeSelector(selector):: { spec+: { template+: { spec+: { nodeSelector+: selector } } } },
  withTolerations(tolerations):: { spec+: { template+: { spec+: { tolerations+: tolerations } } } },

  // withPodSecurityContext: every pod runs as a non-root user with the runtime seccomp profile.
  withPodSecurityContext(uid=65532, gid=uid, fsGroup=gid):: {
    spec+: { template+: { spec+: { securityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: gid,
      fsGroup: fsGroup,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    } } } },
  },

  // withTopologySpread spreads replicas across zones and nodes without blocking scheduling.
  withTopologySpread(selector):: {
    spec+: { template+: { spec+: { topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: key,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: selector },
      }
      for key in ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']
    ] } } },
  },

  configMapVolume(name, configMap):: { name: name, configMap: { name: configMap } },
  secretVolume(name, secretName, defaultMode=292):: {
    name: name,
    secret: { secretName: secretName, defaultMode: defaultMode },
  },
  emptyDirVolume(name, sizeLimit=null, medium=null):: {
    name: name,
    emptyDir: {
      [if sizeLimit != null then 'sizeLimit']: sizeLimit,
      [if medium != null then 'medium']: medium,
    },
  },
  pvcVolume(name, claimName):: { name: name, persistentVolumeClaim: { claimName: claimName } },
  hostPathVolume(name, path, type=null):: {
    name: name,
    hostPath: { path: path, [if type != null then 'type']: type },
  },
}
