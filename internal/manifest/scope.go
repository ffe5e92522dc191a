package manifest

// annotationNamespaced overrides whether the default namespace is applied:
// "true" means namespaced, any other value cluster-scoped (as in Tanka).
const annotationNamespaced = "tanka.dev/namespaced"

// isClusterScopedKind reports whether kind is one of the cluster-scoped kinds
// of the Kubernetes API (`kubectl api-resources --namespaced=false`, built-in
// groups up to 1.33, including alpha and beta ones and those removed since),
// plus the cluster-scoped kinds Tanka knows beyond them (cert-manager's
// ClusterIssuer, metrics' NodeMetrics). Like Tanka it matches the kind alone;
// a custom resource of another kind uses the tanka.dev/namespaced annotation.
func isClusterScopedKind(kind string) bool {
	switch kind {
	case
		// core
		"ComponentStatus", "Namespace", "Node", "PersistentVolume",
		// admissionregistration.k8s.io
		"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
		"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
		"MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
		// apiextensions.k8s.io, apiregistration.k8s.io
		"CustomResourceDefinition", "APIService",
		// authentication.k8s.io, authorization.k8s.io
		"TokenReview", "SelfSubjectReview",
		"SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview",
		// certificates.k8s.io
		"CertificateSigningRequest", "ClusterTrustBundle",
		// flowcontrol.apiserver.k8s.io
		"FlowSchema", "PriorityLevelConfiguration",
		// networking.k8s.io
		"IngressClass", "IPAddress", "ServiceCIDR",
		// node.k8s.io, scheduling.k8s.io, policy (removed in 1.25)
		"RuntimeClass", "PriorityClass", "PodSecurityPolicy",
		// rbac.authorization.k8s.io
		"ClusterRole", "ClusterRoleBinding",
		// storage.k8s.io
		"CSIDriver", "CSINode", "StorageClass", "VolumeAttachment", "VolumeAttributesClass",
		// resource.k8s.io
		"DeviceClass", "ResourceSlice", "DeviceTaintRule",
		// storagemigration.k8s.io, internal.apiserver.k8s.io
		"StorageVersionMigration", "StorageVersion",
		// metrics.k8s.io, cert-manager.io (both in Tanka's list)
		"NodeMetrics", "ClusterIssuer":
		return true
	}
	return false
}
