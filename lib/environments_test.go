package lib

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// clusterScoped lists the cluster-scoped kinds the stack renders.
var clusterScoped = map[string]bool{"Namespace": true, "ClusterRole": true, "ClusterRoleBinding": true}

// recommendedLabels are the labels every object of the platform carries.
var recommendedLabels = []string{
	"app.kubernetes.io/name",
	"app.kubernetes.io/instance",
	"app.kubernetes.io/version",
	"app.kubernetes.io/component",
	"app.kubernetes.io/part-of",
	"app.kubernetes.io/managed-by",
}

func TestResourceCounts(t *testing.T) {
	platform := func(extra map[string]int) map[string]int {
		counts := map[string]int{
			"AnalysisTemplate":      1,
			"ClusterRole":           2,
			"ClusterRoleBinding":    2,
			"Component":             2,
			"ConfigMap":             11,
			"Configuration":         1,
			"DaemonSet":             1,
			"Deployment":            7,
			"DestinationRule":       3,
			"Gateway":               1,
			"Namespace":             3,
			"PersistentVolumeClaim": 2,
			"Rollout":               1,
			"Service":               19,
			"ServiceAccount":        15,
			"StatefulSet":           6,
			"TidbCluster":           1,
			"VirtualService":        3,
			"VitessCluster":         1,
		}
		for k, v := range extra {
			counts[k] = v
		}
		return counts
	}
	// staging and prod run the order-service canary (a second Deployment and its analysis)
	// and give every service a budget and an autoscaler.
	withCanaryAndBudgets := map[string]int{
		"AnalysisTemplate":        2,
		"Deployment":              8,
		"HorizontalPodAutoscaler": 7,
		"PodDisruptionBudget":     11,
	}
	tests := []struct {
		env  string
		want map[string]int
	}{
		{env: "dev", want: platform(nil)},
		{env: "staging", want: platform(withCanaryAndBudgets)},
		{env: "prod", want: platform(withCanaryAndBudgets)},
		{env: "argocd", want: map[string]int{"AppProject": 1, "Application": 3}},
		{env: "flux", want: map[string]int{"GitRepository": 1, "Kustomization": 3}},
	}
	root := repoRoot(t)
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			got := map[string]int{}
			for _, m := range manifests(t, evaluateEnv(t, root, tt.env)) {
				got[m.kind()]++
			}
			if diff := countDiff(tt.want, got); diff != "" {
				t.Errorf("resource counts of %s (kind: want → got):\n%s", tt.env, diff)
			}
		})
	}
}

func countDiff(want, got map[string]int) string {
	kinds := map[string]bool{}
	for k := range want {
		kinds[k] = true
	}
	for k := range got {
		kinds[k] = true
	}
	var lines []string
	for k := range kinds {
		if want[k] != got[k] {
			lines = append(lines, fmt.Sprintf("  %s: %d → %d", k, want[k], got[k]))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestManifestShape(t *testing.T) {
	root := repoRoot(t)
	for _, env := range []string{"dev", "staging", "prod", "argocd", "flux"} {
		t.Run(env, func(t *testing.T) {
			ms := manifests(t, evaluateEnv(t, root, env))
			if len(ms) == 0 {
				t.Fatal("no manifests rendered")
			}
			seen := map[string]string{}
			for _, m := range ms {
				if m.name() == "" {
					t.Errorf("%s: %s without metadata.name", m.Path, m.kind())
				}
				if m.kind() == "Secret" {
					t.Errorf("%s: Secret %s rendered; the platform only references Secrets", m.Path, m.name())
				}
				if clusterScoped[m.kind()] != (m.namespace() == "") {
					t.Errorf("%s: %s %s has namespace %q", m.Path, m.kind(), m.name(), m.namespace())
				}
				for _, l := range recommendedLabels {
					if str(m.Object, "metadata", "labels", l) == "" {
						t.Errorf("%s: %s %s lacks label %s", m.Path, m.kind(), m.name(), l)
					}
				}
				if v := str(m.Object, "metadata", "labels", "app.kubernetes.io/part-of"); v != "kforge-platform" {
					t.Errorf("%s: part-of is %q", m.Path, v)
				}
				id := strings.Join([]string{str(m.Object, "apiVersion"), m.kind(), m.namespace(), m.name()}, "/")
				if prev, dup := seen[id]; dup {
					t.Errorf("%s: %s rendered twice (also at %s)", m.Path, id, prev)
				}
				seen[id] = m.Path
			}
		})
	}
}

func TestPodSpecs(t *testing.T) {
	root := repoRoot(t)
	for _, env := range []string{"dev", "staging", "prod"} {
		t.Run(env, func(t *testing.T) {
			for _, m := range manifests(t, evaluateEnv(t, root, env)) {
				tpl, ok := get(m.Object, "spec", "template", "spec").(map[string]any)
				if !ok {
					continue
				}
				containers, _ := tpl["containers"].([]any)
				if len(containers) == 0 {
					t.Errorf("%s: pod template without containers", m.Path)
				}
				for _, c := range containers {
					checkContainer(t, m.Path, c)
				}
				if selector, ok := get(m.Object, "spec", "selector", "matchLabels").(map[string]any); ok {
					for k, v := range selector {
						if get(m.Object, "spec", "template", "metadata", "labels", k) != v {
							t.Errorf("%s: selector %s=%v does not select the pod template", m.Path, k, v)
						}
					}
				}
			}
		})
	}
}

func checkContainer(t *testing.T, at string, c any) {
	t.Helper()
	name := str(c, "name")
	image := str(c, "image")
	last := image[strings.LastIndex(image, "/")+1:]
	colon := strings.LastIndex(last, ":")
	if colon < 0 || last[colon+1:] == "" || last[colon+1:] == "latest" {
		t.Errorf("%s: container %s image %q is not pinned", at, name, image)
	}
	for _, section := range []string{"requests", "limits"} {
		for _, r := range []string{"cpu", "memory"} {
			if str(c, "resources", section, r) == "" {
				t.Errorf("%s: container %s has no %s.%s", at, name, section, r)
			}
		}
	}
	for _, p := range []string{"readinessProbe", "livenessProbe"} {
		if get(c, p) == nil {
			t.Errorf("%s: container %s has no %s", at, name, p)
		}
	}
	sc := get(c, "securityContext")
	if get(sc, "runAsNonRoot") != true || get(sc, "readOnlyRootFilesystem") != true || get(sc, "allowPrivilegeEscalation") != false {
		t.Errorf("%s: container %s is not restricted: %v", at, name, sc)
	}
	if drop, _ := get(sc, "capabilities", "drop").([]any); len(drop) != 1 || drop[0] != "ALL" {
		t.Errorf("%s: container %s keeps capabilities: %v", at, name, drop)
	}
}
