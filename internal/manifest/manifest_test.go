package manifest

import (
	"testing"
)

func TestAccessors(t *testing.T) {
	tests := []struct {
		name                                     string
		object                                   string
		apiVersion, kind, group, ns, objName, id string
		fileName                                 string
		secret                                   bool
	}{
		{"namespaced in a group", obj("apps/v1", "Deployment", "order-service", `"namespace": "apps"`),
			"apps/v1", "Deployment", "apps", "apps", "order-service", "apps/Deployment/apps/order-service", "apps/deployment-order-service.yaml", false},
		{"core group", obj("v1", "Service", "gateway", `"namespace": "apps"`),
			"v1", "Service", "", "apps", "gateway", "core/Service/apps/gateway", "apps/service-gateway.yaml", false},
		{"cluster-scoped", obj("rbac.authorization.k8s.io/v1", "ClusterRole", "system:reader", ""),
			"rbac.authorization.k8s.io/v1", "ClusterRole", "rbac.authorization.k8s.io", "", "system:reader",
			"rbac.authorization.k8s.io/ClusterRole/system:reader", "_cluster/clusterrole-system%3Areader.yaml", false},
		{"secret", obj("v1", "Secret", "tls", `"namespace": "apps"`),
			"v1", "Secret", "", "apps", "tls", "core/Secret/apps/tls", "apps/secret-tls.yaml", true},
		{"Secret kind of another group", obj("example.com/v1", "Secret", "s", `"namespace": "apps"`),
			"example.com/v1", "Secret", "example.com", "apps", "s", "example.com/Secret/apps/s", "apps/secret-s.yaml", false},
		{"generateName", `{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"generateName": "migrate-", "namespace": "data"}}`,
			"batch/v1", "Job", "batch", "data", "migrate-", "batch/Job/data/migrate-", "data/job-migrate-.yaml", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustExtract(t, tt.object)[0]
			checks := []struct{ what, got, want string }{
				{"APIVersion", m.APIVersion(), tt.apiVersion},
				{"Kind", m.Kind(), tt.kind},
				{"Group", m.Group(), tt.group},
				{"Namespace", m.Namespace(), tt.ns},
				{"Name", m.Name(), tt.objName},
				{"ID", m.ID().String(), tt.id},
				{"FileName", m.FileName(), tt.fileName},
				{"KindName", m.KindName(), tt.kind + "/" + tt.objName},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s() = %q, want %q", c.what, c.got, c.want)
				}
			}
			if got := m.IsSecret(); got != tt.secret {
				t.Errorf("IsSecret() = %v, want %v", got, tt.secret)
			}
		})
	}
}

func TestLabelsAndAnnotations(t *testing.T) {
	m := mustExtract(t, obj("v1", "ConfigMap", "c", `"labels": {"app": "x"}, "annotations": {"a": "b"}`))[0]
	if got := m.Labels()["app"]; got != "x" {
		t.Errorf("Labels()[app] = %v, want x", got)
	}
	if got := m.Annotations()["a"]; got != "b" {
		t.Errorf("Annotations()[a] = %v, want b", got)
	}
	bare := mustExtract(t, obj("v1", "ConfigMap", "c", ""))[0]
	if bare.Labels() != nil || bare.Annotations() != nil {
		t.Errorf("Labels() = %v, Annotations() = %v, want nil maps", bare.Labels(), bare.Annotations())
	}
}
