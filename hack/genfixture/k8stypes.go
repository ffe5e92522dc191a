package main

// The Kubernetes API model the vendored library is generated from: a hand-written subset of the
// core, apps, batch, autoscaling, policy, networking and RBAC groups, enough for the library to
// have the shape and size of a real generated one (every pod-template kind repeats the whole
// pod spec, as in k8s-libsonnet). Field docs are synthesised; only names and types matter here.

// kind is a top-level API kind: group (empty for core), version, name, and the fields next to
// metadata.
type kind struct {
	group, version, name string
	fields               []string
}

// apiKinds lists the generated API kinds, in output order within each group and version.
func apiKinds() []kind {
	return []kind{
		{"", "v1", "ConfigMap", []string{"data:map", "binaryData:map", "immutable:boolean"}},
		{"", "v1", "Secret", []string{"data:map", "stringData:map", "type:string", "immutable:boolean"}},
		{"", "v1", "Service", []string{"spec:ServiceSpec"}},
		{"", "v1", "ServiceAccount", []string{"automountServiceAccountToken:boolean", "imagePullSecrets:[]LocalObjectReference", "secrets:[]ObjectReference"}},
		{"", "v1", "Namespace", []string{"spec:NamespaceSpec"}},
		{"", "v1", "Pod", []string{"spec:PodSpec"}},
		{"", "v1", "ReplicationController", []string{"spec:ReplicationControllerSpec"}},
		{"", "v1", "PersistentVolumeClaim", []string{"spec:PersistentVolumeClaimSpec"}},
		{"", "v1", "ResourceQuota", []string{"spec:ResourceQuotaSpec"}},
		{"", "v1", "LimitRange", []string{"spec:LimitRangeSpec"}},
		{"apps", "v1", "Deployment", []string{"spec:DeploymentSpec"}},
		{"apps", "v1", "StatefulSet", []string{"spec:StatefulSetSpec"}},
		{"apps", "v1", "DaemonSet", []string{"spec:DaemonSetSpec"}},
		{"apps", "v1", "ReplicaSet", []string{"spec:ReplicaSetSpec"}},
		{"batch", "v1", "Job", []string{"spec:JobSpec"}},
		{"batch", "v1", "CronJob", []string{"spec:CronJobSpec"}},
		{"autoscaling", "v2", "HorizontalPodAutoscaler", []string{"spec:HorizontalPodAutoscalerSpec"}},
		{"policy", "v1", "PodDisruptionBudget", []string{"spec:PodDisruptionBudgetSpec"}},
		{"networking.k8s.io", "v1", "Ingress", []string{"spec:IngressSpec"}},
		{"networking.k8s.io", "v1", "NetworkPolicy", []string{"spec:NetworkPolicySpec"}},
		{"rbac.authorization.k8s.io", "v1", "Role", []string{"rules:[]PolicyRule"}},
		{"rbac.authorization.k8s.io", "v1", "ClusterRole", []string{"rules:[]PolicyRule", "aggregationRule:AggregationRule"}},
		{"rbac.authorization.k8s.io", "v1", "RoleBinding", []string{"roleRef:RoleRef", "subjects:[]Subject"}},
		{"rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", []string{"roleRef:RoleRef", "subjects:[]Subject"}},
	}
}

// helperGroup lists the non-kind types of one group and version that get their own object in the
// library: the element types one builds by hand and passes to a withX of an array field.
type helperGroup struct {
	group, version string
	names          []string
}

// helperTypes lists the helper types by group and version.
func helperTypes() []helperGroup {
	return []helperGroup{
		{"", "v1", []string{"Container", "ContainerPort", "EnvVar", "EnvFromSource", "Volume", "VolumeMount",
			"ServicePort", "Toleration", "KeyToPath", "LocalObjectReference", "TopologySpreadConstraint", "HTTPHeader"}},
		{"autoscaling", "v2", []string{"MetricSpec"}},
		{"networking.k8s.io", "v1", []string{"IngressRule", "HTTPIngressPath", "IngressTLS", "NetworkPolicyIngressRule", "NetworkPolicyEgressRule", "NetworkPolicyPeer", "NetworkPolicyPort"}},
		{"rbac.authorization.k8s.io", "v1", []string{"PolicyRule", "Subject"}},
	}
}

// structTypes maps a type name to its fields, each "name:type" where type is string, integer,
// number, boolean, map (a free-form object), a struct name, or []T for an array. An array's
// element type need not be listed: arrays are set whole, never expanded.
func structTypes() map[string][]string {
	return map[string][]string{
		"ObjectMeta": {"name:string", "generateName:string", "namespace:string", "labels:map", "annotations:map",
			"finalizers:[]string", "ownerReferences:[]OwnerReference", "uid:string", "resourceVersion:string",
			"generation:integer", "creationTimestamp:string", "deletionTimestamp:string",
			"deletionGracePeriodSeconds:integer", "selfLink:string", "managedFields:[]ManagedFieldsEntry"},
		"OwnerReference":           {"apiVersion:string", "kind:string", "name:string", "uid:string", "controller:boolean", "blockOwnerDeletion:boolean"},
		"ManagedFieldsEntry":       {"manager:string", "operation:string", "apiVersion:string", "time:string", "fieldsType:string", "fieldsV1:map", "subresource:string"},
		"LabelSelector":            {"matchLabels:map", "matchExpressions:[]LabelSelectorRequirement"},
		"LabelSelectorRequirement": {"key:string", "operator:string", "values:[]string"},
		"LocalObjectReference":     {"name:string"},
		"ObjectReference":          {"apiVersion:string", "kind:string", "name:string", "namespace:string", "uid:string", "fieldPath:string", "resourceVersion:string"},
		"PodTemplateSpec":          {"metadata:ObjectMeta", "spec:PodSpec"},
		"PodSpec": {"activeDeadlineSeconds:integer", "affinity:Affinity", "automountServiceAccountToken:boolean",
			"containers:[]Container", "dnsConfig:PodDNSConfig", "dnsPolicy:string", "enableServiceLinks:boolean",
			"ephemeralContainers:[]Container", "hostAliases:[]HostAlias", "hostIPC:boolean", "hostNetwork:boolean",
			"hostPID:boolean", "hostUsers:boolean", "hostname:string", "imagePullSecrets:[]LocalObjectReference",
			"initContainers:[]Container", "nodeName:string", "nodeSelector:map", "os:PodOS", "overhead:map",
			"preemptionPolicy:string", "priority:integer", "priorityClassName:string", "readinessGates:[]PodReadinessGate",
			"restartPolicy:string", "runtimeClassName:string", "schedulerName:string", "securityContext:PodSecurityContext",
			"serviceAccount:string", "serviceAccountName:string", "setHostnameAsFQDN:boolean",
			"shareProcessNamespace:boolean", "subdomain:string", "terminationGracePeriodSeconds:integer",
			"tolerations:[]Toleration", "topologySpreadConstraints:[]TopologySpreadConstraint", "volumes:[]Volume",
			"resourceClaims:[]PodResourceClaim", "schedulingGates:[]PodSchedulingGate"},
		"Affinity":        {"nodeAffinity:NodeAffinity", "podAffinity:PodAffinity", "podAntiAffinity:PodAntiAffinity"},
		"NodeAffinity":    {"preferredDuringSchedulingIgnoredDuringExecution:[]PreferredSchedulingTerm", "requiredDuringSchedulingIgnoredDuringExecution:NodeSelector"},
		"NodeSelector":    {"nodeSelectorTerms:[]NodeSelectorTerm"},
		"PodAffinity":     {"preferredDuringSchedulingIgnoredDuringExecution:[]WeightedPodAffinityTerm", "requiredDuringSchedulingIgnoredDuringExecution:[]PodAffinityTerm"},
		"PodAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution:[]WeightedPodAffinityTerm", "requiredDuringSchedulingIgnoredDuringExecution:[]PodAffinityTerm"},
		"PodDNSConfig":    {"nameservers:[]string", "options:[]PodDNSConfigOption", "searches:[]string"},
		"PodOS":           {"name:string"},
		"PodSecurityContext": {"appArmorProfile:AppArmorProfile", "fsGroup:integer", "fsGroupChangePolicy:string",
			"runAsGroup:integer", "runAsNonRoot:boolean", "runAsUser:integer", "seLinuxOptions:SELinuxOptions",
			"seccompProfile:SeccompProfile", "supplementalGroups:[]integer", "supplementalGroupsPolicy:string",
			"sysctls:[]Sysctl", "windowsOptions:WindowsSecurityContextOptions"},
		"AppArmorProfile":               {"localhostProfile:string", "type:string"},
		"SELinuxOptions":                {"level:string", "role:string", "type:string", "user:string"},
		"SeccompProfile":                {"localhostProfile:string", "type:string"},
		"WindowsSecurityContextOptions": {"gmsaCredentialSpec:string", "gmsaCredentialSpecName:string", "hostProcess:boolean", "runAsUserName:string"},
		"Container": {"args:[]string", "command:[]string", "env:[]EnvVar", "envFrom:[]EnvFromSource", "image:string",
			"imagePullPolicy:string", "lifecycle:Lifecycle", "livenessProbe:Probe", "name:string", "ports:[]ContainerPort",
			"readinessProbe:Probe", "resizePolicy:[]ContainerResizePolicy", "resources:ResourceRequirements",
			"restartPolicy:string", "securityContext:SecurityContext", "startupProbe:Probe", "stdin:boolean",
			"stdinOnce:boolean", "terminationMessagePath:string", "terminationMessagePolicy:string", "tty:boolean",
			"volumeDevices:[]VolumeDevice", "volumeMounts:[]VolumeMount", "workingDir:string"},
		"ContainerPort":         {"containerPort:integer", "hostIP:string", "hostPort:integer", "name:string", "protocol:string"},
		"EnvVar":                {"name:string", "value:string", "valueFrom:EnvVarSource"},
		"EnvVarSource":          {"configMapKeyRef:ConfigMapKeySelector", "fieldRef:ObjectFieldSelector", "resourceFieldRef:ResourceFieldSelector", "secretKeyRef:SecretKeySelector"},
		"ConfigMapKeySelector":  {"key:string", "name:string", "optional:boolean"},
		"SecretKeySelector":     {"key:string", "name:string", "optional:boolean"},
		"ObjectFieldSelector":   {"apiVersion:string", "fieldPath:string"},
		"ResourceFieldSelector": {"containerName:string", "divisor:string", "resource:string"},
		"EnvFromSource":         {"configMapRef:ConfigMapEnvSource", "prefix:string", "secretRef:SecretEnvSource"},
		"ConfigMapEnvSource":    {"name:string", "optional:boolean"},
		"SecretEnvSource":       {"name:string", "optional:boolean"},
		"Lifecycle":             {"postStart:LifecycleHandler", "preStop:LifecycleHandler", "stopSignal:string"},
		"LifecycleHandler":      {"exec:ExecAction", "httpGet:HTTPGetAction", "sleep:SleepAction", "tcpSocket:TCPSocketAction"},
		"ExecAction":            {"command:[]string"},
		"SleepAction":           {"seconds:integer"},
		"HTTPGetAction":         {"host:string", "httpHeaders:[]HTTPHeader", "path:string", "port:string", "scheme:string"},
		"HTTPHeader":            {"name:string", "value:string"},
		"TCPSocketAction":       {"host:string", "port:string"},
		"GRPCAction":            {"port:integer", "service:string"},
		"Probe": {"exec:ExecAction", "failureThreshold:integer", "grpc:GRPCAction", "httpGet:HTTPGetAction",
			"initialDelaySeconds:integer", "periodSeconds:integer", "successThreshold:integer", "tcpSocket:TCPSocketAction",
			"terminationGracePeriodSeconds:integer", "timeoutSeconds:integer"},
		"ResourceRequirements":  {"claims:[]ResourceClaim", "limits:map", "requests:map"},
		"ResourceClaim":         {"name:string", "request:string"},
		"ContainerResizePolicy": {"resourceName:string", "restartPolicy:string"},
		"SecurityContext": {"allowPrivilegeEscalation:boolean", "appArmorProfile:AppArmorProfile", "capabilities:Capabilities",
			"privileged:boolean", "procMount:string", "readOnlyRootFilesystem:boolean", "runAsGroup:integer",
			"runAsNonRoot:boolean", "runAsUser:integer", "seLinuxOptions:SELinuxOptions", "seccompProfile:SeccompProfile",
			"windowsOptions:WindowsSecurityContextOptions"},
		"Capabilities":                      {"add:[]string", "drop:[]string"},
		"VolumeDevice":                      {"devicePath:string", "name:string"},
		"VolumeMount":                       {"mountPath:string", "mountPropagation:string", "name:string", "readOnly:boolean", "recursiveReadOnly:string", "subPath:string", "subPathExpr:string"},
		"Volume":                            {"name:string", "configMap:ConfigMapVolumeSource", "secret:SecretVolumeSource", "emptyDir:EmptyDirVolumeSource", "persistentVolumeClaim:PersistentVolumeClaimVolumeSource", "projected:ProjectedVolumeSource", "hostPath:HostPathVolumeSource", "downwardAPI:DownwardAPIVolumeSource"},
		"ConfigMapVolumeSource":             {"defaultMode:integer", "items:[]KeyToPath", "name:string", "optional:boolean"},
		"SecretVolumeSource":                {"defaultMode:integer", "items:[]KeyToPath", "optional:boolean", "secretName:string"},
		"EmptyDirVolumeSource":              {"medium:string", "sizeLimit:string"},
		"PersistentVolumeClaimVolumeSource": {"claimName:string", "readOnly:boolean"},
		"ProjectedVolumeSource":             {"defaultMode:integer", "sources:[]VolumeProjection"},
		"HostPathVolumeSource":              {"path:string", "type:string"},
		"DownwardAPIVolumeSource":           {"defaultMode:integer", "items:[]DownwardAPIVolumeFile"},
		"KeyToPath":                         {"key:string", "mode:integer", "path:string"},
		"Toleration":                        {"effect:string", "key:string", "operator:string", "tolerationSeconds:integer", "value:string"},
		"TopologySpreadConstraint": {"labelSelector:LabelSelector", "matchLabelKeys:[]string", "maxSkew:integer",
			"minDomains:integer", "nodeAffinityPolicy:string", "nodeTaintsPolicy:string", "topologyKey:string", "whenUnsatisfiable:string"},
		"ServiceSpec": {"allocateLoadBalancerNodePorts:boolean", "clusterIP:string", "clusterIPs:[]string", "externalIPs:[]string",
			"externalName:string", "externalTrafficPolicy:string", "healthCheckNodePort:integer", "internalTrafficPolicy:string",
			"ipFamilies:[]string", "ipFamilyPolicy:string", "loadBalancerClass:string", "loadBalancerIP:string",
			"loadBalancerSourceRanges:[]string", "ports:[]ServicePort", "publishNotReadyAddresses:boolean", "selector:map",
			"sessionAffinity:string", "sessionAffinityConfig:SessionAffinityConfig", "trafficDistribution:string", "type:string"},
		"SessionAffinityConfig":     {"clientIP:ClientIPConfig"},
		"ClientIPConfig":            {"timeoutSeconds:integer"},
		"ServicePort":               {"appProtocol:string", "name:string", "nodePort:integer", "port:integer", "protocol:string", "targetPort:string"},
		"NamespaceSpec":             {"finalizers:[]string"},
		"ReplicationControllerSpec": {"minReadySeconds:integer", "replicas:integer", "selector:map", "template:PodTemplateSpec"},
		"PersistentVolumeClaimSpec": {"accessModes:[]string", "resources:VolumeResourceRequirements", "selector:LabelSelector",
			"storageClassName:string", "volumeAttributesClassName:string", "volumeMode:string", "volumeName:string"},
		"VolumeResourceRequirements": {"limits:map", "requests:map"},
		"ResourceQuotaSpec":          {"hard:map", "scopes:[]string"},
		"LimitRangeSpec":             {"limits:[]LimitRangeItem"},
		"DeploymentSpec": {"minReadySeconds:integer", "paused:boolean", "progressDeadlineSeconds:integer", "replicas:integer",
			"revisionHistoryLimit:integer", "selector:LabelSelector", "strategy:DeploymentStrategy", "template:PodTemplateSpec"},
		"DeploymentStrategy":      {"rollingUpdate:RollingUpdateDeployment", "type:string"},
		"RollingUpdateDeployment": {"maxSurge:string", "maxUnavailable:string"},
		"StatefulSetSpec": {"minReadySeconds:integer", "ordinals:StatefulSetOrdinals", "persistentVolumeClaimRetentionPolicy:StatefulSetPersistentVolumeClaimRetentionPolicy",
			"podManagementPolicy:string", "replicas:integer", "revisionHistoryLimit:integer", "selector:LabelSelector",
			"serviceName:string", "template:PodTemplateSpec", "updateStrategy:StatefulSetUpdateStrategy", "volumeClaimTemplates:[]PersistentVolumeClaim"},
		"StatefulSetOrdinals":                             {"start:integer"},
		"StatefulSetPersistentVolumeClaimRetentionPolicy": {"whenDeleted:string", "whenScaled:string"},
		"StatefulSetUpdateStrategy":                       {"rollingUpdate:RollingUpdateStatefulSetStrategy", "type:string"},
		"RollingUpdateStatefulSetStrategy":                {"maxUnavailable:string", "partition:integer"},
		"DaemonSetSpec":                                   {"minReadySeconds:integer", "revisionHistoryLimit:integer", "selector:LabelSelector", "template:PodTemplateSpec", "updateStrategy:DaemonSetUpdateStrategy"},
		"DaemonSetUpdateStrategy":                         {"rollingUpdate:RollingUpdateDaemonSet", "type:string"},
		"RollingUpdateDaemonSet":                          {"maxSurge:string", "maxUnavailable:string"},
		"ReplicaSetSpec":                                  {"minReadySeconds:integer", "replicas:integer", "selector:LabelSelector", "template:PodTemplateSpec"},
		"JobSpec": {"activeDeadlineSeconds:integer", "backoffLimit:integer", "backoffLimitPerIndex:integer", "completionMode:string",
			"completions:integer", "managedBy:string", "manualSelector:boolean", "maxFailedIndexes:integer", "parallelism:integer",
			"podFailurePolicy:PodFailurePolicy", "podReplacementPolicy:string", "selector:LabelSelector",
			"successPolicy:SuccessPolicy", "suspend:boolean", "template:PodTemplateSpec", "ttlSecondsAfterFinished:integer"},
		"PodFailurePolicy": {"rules:[]PodFailurePolicyRule"},
		"SuccessPolicy":    {"rules:[]SuccessPolicyRule"},
		"CronJobSpec": {"concurrencyPolicy:string", "failedJobsHistoryLimit:integer", "jobTemplate:JobTemplateSpec", "schedule:string",
			"startingDeadlineSeconds:integer", "successfulJobsHistoryLimit:integer", "suspend:boolean", "timeZone:string"},
		"JobTemplateSpec": {"metadata:ObjectMeta", "spec:JobSpec"},
		"HorizontalPodAutoscalerSpec": {"behavior:HorizontalPodAutoscalerBehavior", "maxReplicas:integer", "metrics:[]MetricSpec",
			"minReplicas:integer", "scaleTargetRef:CrossVersionObjectReference"},
		"HorizontalPodAutoscalerBehavior": {"scaleDown:HPAScalingRules", "scaleUp:HPAScalingRules"},
		"HPAScalingRules":                 {"policies:[]HPAScalingPolicy", "selectPolicy:string", "stabilizationWindowSeconds:integer", "tolerance:string"},
		"CrossVersionObjectReference":     {"apiVersion:string", "kind:string", "name:string"},
		"MetricSpec":                      {"containerResource:ContainerResourceMetricSource", "external:ExternalMetricSource", "object:ObjectMetricSource", "pods:PodsMetricSource", "resource:ResourceMetricSource", "type:string"},
		"ContainerResourceMetricSource":   {"container:string", "name:string", "target:MetricTarget"},
		"ExternalMetricSource":            {"metric:MetricIdentifier", "target:MetricTarget"},
		"ObjectMetricSource":              {"describedObject:CrossVersionObjectReference", "metric:MetricIdentifier", "target:MetricTarget"},
		"PodsMetricSource":                {"metric:MetricIdentifier", "target:MetricTarget"},
		"ResourceMetricSource":            {"name:string", "target:MetricTarget"},
		"MetricIdentifier":                {"name:string", "selector:LabelSelector"},
		"MetricTarget":                    {"averageUtilization:integer", "averageValue:string", "type:string", "value:string"},
		"PodDisruptionBudgetSpec":         {"maxUnavailable:string", "minAvailable:string", "selector:LabelSelector", "unhealthyPodEvictionPolicy:string"},
		"IngressSpec":                     {"defaultBackend:IngressBackend", "ingressClassName:string", "rules:[]IngressRule", "tls:[]IngressTLS"},
		"IngressBackend":                  {"resource:TypedLocalObjectReference", "service:IngressServiceBackend"},
		"TypedLocalObjectReference":       {"apiGroup:string", "kind:string", "name:string"},
		"IngressServiceBackend":           {"name:string", "port:ServiceBackendPort"},
		"ServiceBackendPort":              {"name:string", "number:integer"},
		"IngressRule":                     {"host:string", "http:HTTPIngressRuleValue"},
		"HTTPIngressRuleValue":            {"paths:[]HTTPIngressPath"},
		"HTTPIngressPath":                 {"backend:IngressBackend", "path:string", "pathType:string"},
		"IngressTLS":                      {"hosts:[]string", "secretName:string"},
		"NetworkPolicySpec":               {"egress:[]NetworkPolicyEgressRule", "ingress:[]NetworkPolicyIngressRule", "podSelector:LabelSelector", "policyTypes:[]string"},
		"NetworkPolicyIngressRule":        {"from:[]NetworkPolicyPeer", "ports:[]NetworkPolicyPort"},
		"NetworkPolicyEgressRule":         {"ports:[]NetworkPolicyPort", "to:[]NetworkPolicyPeer"},
		"NetworkPolicyPeer":               {"ipBlock:IPBlock", "namespaceSelector:LabelSelector", "podSelector:LabelSelector"},
		"IPBlock":                         {"cidr:string", "except:[]string"},
		"NetworkPolicyPort":               {"endPort:integer", "port:string", "protocol:string"},
		"PolicyRule":                      {"apiGroups:[]string", "nonResourceURLs:[]string", "resourceNames:[]string", "resources:[]string", "verbs:[]string"},
		"AggregationRule":                 {"clusterRoleSelectors:[]LabelSelector"},
		"RoleRef":                         {"apiGroup:string", "kind:string", "name:string"},
		"Subject":                         {"apiGroup:string", "kind:string", "name:string", "namespace:string"},
	}
}

// field is one parsed field of a struct.
type field struct {
	name string
	// typ is string, integer, number, boolean, map or a struct name.
	typ string
	// array is true for []typ.
	array bool
}
