// Prometheus scrape configurations, all by Kubernetes service discovery of pods. Targets keep
// only low-cardinality labels: namespace, app, version and the component name; pod names, pod
// IPs and other per-instance identifiers are never copied into labels.
local podAnnotationRelabels = [
  { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
  { source_labels: ['__meta_kubernetes_pod_phase'], action: 'drop', regex: 'Pending|Succeeded|Failed|Completed' },
  {
    source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'],
    action: 'replace',
    target_label: '__metrics_path__',
    regex: '(.+)',
  },
  {
    source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
    action: 'replace',
    target_label: '__address__',
    regex: '([^:]+)(?::\\d+)?;(\\d+)',
    replacement: '$1:$2',
  },
];

local identityRelabels = [
  { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], action: 'replace', target_label: 'app' },
  { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_version'], action: 'replace', target_label: 'version' },
  { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_component'], action: 'replace', target_label: 'component' },
];

local sd(namespace) = [{ role: 'pod', namespaces: { names: [namespace] } }];

{
  // service scrapes one platform service: its pods' annotated metrics port (which Istio's
  // metrics merging extends with the sidecar's request metrics).
  service(name, namespace):: {
    job_name: '%s/%s' % [namespace, name],
    kubernetes_sd_configs: sd(namespace),
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], action: 'keep', regex: name },
    ] + podAnnotationRelabels + identityRelabels,
    metric_relabel_configs: [
      // Size histograms triple the series of every service and nobody alerts on them.
      { source_labels: ['__name__'], action: 'drop', regex: 'istio_(request|response)_bytes_bucket' },
    ],
  },

  // annotated scrapes every pod of a namespace that asks for it with prometheus.io annotations.
  annotated(jobName, namespace):: {
    job_name: jobName,
    kubernetes_sd_configs: sd(namespace),
    relabel_configs: podAnnotationRelabels + identityRelabels,
  },

  // port scrapes a named container port of one component, keeping the labels it exposes
  // (Pushgateway, the Collector's Prometheus exporter).
  port(jobName, namespace, name, portName, honorLabels=false):: {
    job_name: jobName,
    honor_labels: honorLabels,
    kubernetes_sd_configs: sd(namespace),
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], action: 'keep', regex: name },
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: portName },
      { source_labels: ['__meta_kubernetes_pod_phase'], action: 'drop', regex: 'Pending|Succeeded|Failed|Completed' },
    ] + (if honorLabels then [] else identityRelabels),
  },
}
