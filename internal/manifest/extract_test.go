package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// summary lists "<path> <id>" per manifest, in order.
func summary(ms []*Manifest) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Path + " " + m.ID().String()
	}
	return out
}

// obj builds the JSON of a minimal object; extra is spliced into metadata.
func obj(apiVersion, kind, name, extra string) string {
	md := fmt.Sprintf(`"name": %q`, name)
	if extra != "" {
		md += ", " + extra
	}
	return fmt.Sprintf(`{"apiVersion": %q, "kind": %q, "metadata": {%s}}`, apiVersion, kind, md)
}

func TestExtractWalk(t *testing.T) {
	cm := func(name string) string { return obj("v1", "ConfigMap", name, `"namespace": "apps"`) }
	tests := []struct {
		name   string
		output string
		want   []string
	}{
		{"null output", `null`, []string{}},
		{"empty object", `{}`, []string{}},
		{"empty array", `[]`, []string{}},
		{"root manifest", cm("a"), []string{". core/ConfigMap/apps/a"}},
		{"nested objects", `{"apps": {"order-service": {"config": ` + cm("b") + `}, "a": ` + cm("a") + `}}`,
			[]string{".apps.a core/ConfigMap/apps/a", `.apps["order-service"].config core/ConfigMap/apps/b`}},
		{"root key needing quotes", `{"my app": ` + cm("a") + `}`, []string{`.["my app"] core/ConfigMap/apps/a`}},
		{"arrays by index", `[` + cm("a") + `, [` + cm("b") + `]]`, []string{".[0] core/ConfigMap/apps/a", ".[1][0] core/ConfigMap/apps/b"}},
		{"null fields skipped", `{"disabled": null, "x": {"y": null, "z": ` + cm("a") + `}}`, []string{".x.z core/ConfigMap/apps/a"}},
		{"ksonnet field skipped", `{"__ksonnet": {"a": 1}, "x": ` + cm("a") + `}`, []string{".x core/ConfigMap/apps/a"}},
		{"manifest not descended into", `{"x": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "apps"}, "data": {"inner": ` + cm("b") + `}}}`,
			[]string{".x core/ConfigMap/apps/a"}},
		{"List unwrapped", `{"l": {"apiVersion": "v1", "kind": "List", "items": [` + cm("a") + `, ` + cm("b") + `]}}`,
			[]string{".l.items[0] core/ConfigMap/apps/a", ".l.items[1] core/ConfigMap/apps/b"}},
		{"nested Lists unwrapped", `{"l": {"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "ConfigMapList", "items": [` + cm("b") + `, {"apiVersion": "v1", "kind": "List", "items": [` + cm("c") + `]}]}, ` + cm("a") + `]}}`,
			[]string{".l.items[1] core/ConfigMap/apps/a", ".l.items[0].items[0] core/ConfigMap/apps/b", ".l.items[0].items[1].items[0] core/ConfigMap/apps/c"}},
		{"empty List", `{"l": {"apiVersion": "v1", "kind": "List", "items": []}}`, []string{}},
		{"List kind without items is an object", obj("v1", "ConfigMapList", "x", `"namespace": "apps"`), []string{". core/ConfigMapList/apps/x"}},
		{"same generateName twice", `[{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"generateName": "migrate-", "namespace": "apps"}}, {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"generateName": "migrate-", "namespace": "apps"}}]`,
			[]string{".[0] batch/Job/apps/migrate-", ".[1] batch/Job/apps/migrate-"}},
		{"same name in different groups", `[` + obj("v1", "Service", "web", `"namespace": "apps"`) + `, ` + obj("serving.knative.dev/v1", "Service", "web", `"namespace": "apps"`) + `]`,
			[]string{".[1] serving.knative.dev/Service/apps/web", ".[0] core/Service/apps/web"}},
		{"same name in different namespaces", `[` + obj("v1", "ConfigMap", "a", `"namespace": "b"`) + `, ` + obj("v1", "ConfigMap", "a", `"namespace": "a"`) + `]`,
			[]string{".[1] core/ConfigMap/a/a", ".[0] core/ConfigMap/b/a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Extract([]byte(tt.output), Settings{Namespace: "default"})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if got := summary(ms); !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestExtractDropsKsonnetField(t *testing.T) {
	ms := mustExtract(t, `{"apiVersion": "v1", "kind": "ConfigMap", "__ksonnet": {"x": 1}, "metadata": {"name": "a"}}`)
	if _, ok := ms[0].Object[ksonnetKey]; ok {
		t.Errorf("%s still present: %v", ksonnetKey, ms[0].Object)
	}
}

func TestExtractSettings(t *testing.T) {
	tests := []struct {
		name     string
		object   string
		settings Settings
		want     string // YAML
	}{
		{"default namespace set", obj("apps/v1", "Deployment", "d", ""), Settings{Namespace: "apps"},
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: apps\n"},
		{"explicit namespace kept", obj("apps/v1", "Deployment", "d", `"namespace": "data"`), Settings{Namespace: "apps"},
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: data\n"},
		{"null namespace replaced", obj("apps/v1", "Deployment", "d", `"namespace": null`), Settings{Namespace: "apps"},
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: apps\n"},
		{"no default namespace", obj("apps/v1", "Deployment", "d", ""), Settings{},
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n"},
		{"cluster-scoped kind", obj("rbac.authorization.k8s.io/v1", "ClusterRole", "r", ""), Settings{Namespace: "apps"},
			"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n"},
		{"cluster-scoped IngressClass", obj("networking.k8s.io/v1", "IngressClass", "nginx", ""), Settings{Namespace: "apps"},
			"apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"},
		{"cluster-scoped kind with explicit namespace", obj("v1", "Namespace", "ns", `"namespace": "x"`), Settings{Namespace: "apps"},
			"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n  namespace: x\n"},
		{"annotation makes namespaced kind cluster-scoped", obj("example.com/v1", "Widget", "w", `"annotations": {"tanka.dev/namespaced": "false"}`), Settings{Namespace: "apps"},
			"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  annotations:\n    tanka.dev/namespaced: \"false\"\n  name: w\n"},
		{"annotation other than true means cluster-scoped", obj("example.com/v1", "Widget", "w", `"annotations": {"tanka.dev/namespaced": "True"}`), Settings{Namespace: "apps"},
			"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  annotations:\n    tanka.dev/namespaced: \"True\"\n  name: w\n"},
		{"annotation makes cluster-scoped kind namespaced", obj("cert-manager.io/v1", "ClusterIssuer", "i", `"annotations": {"tanka.dev/namespaced": "true"}`), Settings{Namespace: "apps"},
			"apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  annotations:\n    tanka.dev/namespaced: \"true\"\n  name: i\n  namespace: apps\n"},
		{"empty annotations removed", obj("v1", "ConfigMap", "c", `"annotations": {}`), Settings{Namespace: "apps"},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: apps\n"},
		{"null annotations removed", obj("v1", "ConfigMap", "c", `"annotations": null`), Settings{Namespace: "apps"},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: apps\n"},
		{"empty annotations kept without default namespace", obj("v1", "ConfigMap", "c", `"annotations": {}`), Settings{},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations: {}\n  name: c\n"},
		{"empty labels kept", obj("v1", "ConfigMap", "c", `"labels": {}`), Settings{Namespace: "apps"},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n  name: c\n  namespace: apps\n"},
		{"inject labels creates labels", obj("v1", "ConfigMap", "c", ""), Settings{InjectLabels: map[string]string{"tanka.dev/environment": "abc"}},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    tanka.dev/environment: abc\n  name: c\n"},
		{"inject labels replaces null labels", obj("v1", "ConfigMap", "c", `"labels": null`), Settings{InjectLabels: map[string]string{"tanka.dev/environment": "abc"}},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    tanka.dev/environment: abc\n  name: c\n"},
		{"inject labels overrides", obj("v1", "ConfigMap", "c", `"labels": {"tanka.dev/environment": "old", "app": "x"}`), Settings{InjectLabels: map[string]string{"tanka.dev/environment": "abc"}},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    app: x\n    tanka.dev/environment: abc\n  name: c\n"},
		{"defaults added where absent", obj("v1", "ConfigMap", "c", `"labels": {"team": "mine"}, "annotations": {"note": "kept"}`),
			Settings{DefaultLabels: map[string]string{"team": "platform", "tier": "prod"}, DefaultAnnotations: map[string]string{"note": "default", "owner": "sre"}},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    note: kept\n    owner: sre\n  labels:\n    team: mine\n    tier: prod\n  name: c\n"},
		{"defaults create maps", obj("v1", "ConfigMap", "c", ""),
			Settings{Namespace: "apps", DefaultLabels: map[string]string{"tier": "prod"}, DefaultAnnotations: map[string]string{"owner": "sre"}},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    owner: sre\n  labels:\n    tier: prod\n  name: c\n  namespace: apps\n"},
		{"defaults do not override injected labels", obj("v1", "ConfigMap", "c", ""),
			Settings{InjectLabels: map[string]string{"env": "injected"}, DefaultLabels: map[string]string{"env": "default"}},
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    env: injected\n  name: c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Extract([]byte(tt.object), tt.settings)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			got, err := ms[0].YAML()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestExtractSortOrder(t *testing.T) {
	// Every kind of Tanka's fixed order, then others alphabetically; ties by
	// namespace, then name, then apiVersion.
	fixed := []string{
		"Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
		"PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap", "StorageClass",
		"PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
		"ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList",
		"RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController",
		"ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
		"Ingress", "APIService",
	}
	others := []string{"AnalysisTemplate", "Component", "DestinationRule", "Rollout", "VirtualService"}
	var want []string
	var objects []string
	for _, kind := range append(slices.Clone(fixed), others...) {
		want = append(want, kind+"/x")
		objects = append(objects, obj("example.com/v1", kind, "x", `"namespace": "apps"`))
	}
	// Ties: namespace, then name, then apiVersion.
	want = append(want, "Zed/a:a:a.example.com/v1", "Zed/a:a:b.example.com/v1", "Zed/a:b:a.example.com/v1", "Zed/b:a:a.example.com/v1")
	objects = append(objects,
		obj("a.example.com/v1", "Zed", "b", `"namespace": "a"`),
		obj("a.example.com/v1", "Zed", "a", `"namespace": "b"`),
		obj("b.example.com/v1", "Zed", "a", `"namespace": "a"`),
		obj("a.example.com/v1", "Zed", "a", `"namespace": "a"`),
	)
	// Kinds compare byte-wise, as in Tanka: lower case after upper case.
	want = append(want, "aLowercaseKind/x")
	objects = append(objects, obj("example.com/v1", "aLowercaseKind", "x", `"namespace": "apps"`))
	slices.Reverse(objects)
	ms, err := Extract([]byte("["+strings.Join(objects, ",")+"]"), Settings{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		if m.Kind() == "Zed" {
			got = append(got, fmt.Sprintf("Zed/%s:%s:%s", m.Namespace(), m.Name(), m.APIVersion()))
			continue
		}
		got = append(got, m.KindName())
	}
	if !slices.Equal(got, want) {
		t.Errorf("order mismatch\ngot  %q\nwant %q", got, want)
	}
}

func TestExtractNumbers(t *testing.T) {
	ms := mustExtract(t, `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "spec": {"a": [1e6, 0.10000000000000001, -0, 3.0, 12], "b": {"c": 1.5e-7}}}`)
	spec := ms[0].Object["spec"].(map[string]any)
	got := fmt.Sprint(spec["a"], spec["b"])
	if want := "[1000000 0.1 0 3 12] map[c:1.5e-07]"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestExtractErrors(t *testing.T) {
	const exp = "expected a Kubernetes object (an object with non-empty string apiVersion and kind), or an object or array of them"
	tests := []struct {
		name   string
		output string
		want   string   // err.Error()
		paths  []string // Path of every *Error, in order
	}{
		{"primitive leaf", `{"a": {"b": ["x"]}}`,
			`.a.b[0]: found string "x"; ` + exp, []string{".a.b[0]"}},
		{"root primitive", `"hello"`,
			`.: found string "hello"; ` + exp, []string{"."}},
		{"quoted key in path", `{"my-app": {"port": 8080}}`,
			`.["my-app"].port: found number 8080; ` + exp, []string{`.["my-app"].port`}},
		{"boolean leaf", `{"enabled": true}`,
			`.enabled: found boolean true; ` + exp, []string{".enabled"}},
		{"long string shortened", `{"s": "` + strings.Repeat("a", 50) + `"}`,
			`.s: found string "` + strings.Repeat("a", 40) + `"...; ` + exp, []string{".s"}},
		{"null array element", `{"a": [null]}`,
			`.a[0]: found null in an array; ` + exp, []string{".a[0]"}},
		{"kind missing", `{"x": {"apiVersion": "v1", "metadata": {}}}`,
			`.x.apiVersion: found string "v1"; ` + exp + ` (the object holding this field is not one: both apiVersion and kind must be non-empty strings)`, []string{".x.apiVersion"}},
		{"empty kind", `{"x": {"apiVersion": "v1", "kind": ""}}`,
			"2 problems in the environment output:\n" +
				`  .x.apiVersion: found string "v1"; ` + exp + ` (the object holding this field is not one: both apiVersion and kind must be non-empty strings)` + "\n" +
				`  .x.kind: found string ""; ` + exp + ` (the object holding this field is not one: both apiVersion and kind must be non-empty strings)`,
			[]string{".x.apiVersion", ".x.kind"}},
		{"several leaves in walk order", `{"b": 1, "a": [2, {"c": "d"}]}`,
			"3 problems in the environment output:\n" +
				"  .a[0]: found number 2; " + exp + "\n" +
				`  .a[1].c: found string "d"; ` + exp + "\n" +
				"  .b: found number 1; " + exp,
			[]string{".a[0]", ".a[1].c", ".b"}},
		{"metadata missing", `{"x": {"apiVersion": "v1", "kind": "ConfigMap"}}`,
			".x: invalid Kubernetes object (v1 ConfigMap): metadata is missing (it needs at least a name)", []string{".x"}},
		{"metadata not an object", `{"x": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": "c"}}`,
			`.x: invalid Kubernetes object (v1 ConfigMap): metadata must be an object, found string "c"`, []string{".x"}},
		{"name missing", `{"x": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"namespace": "a"}}}`,
			".x: invalid Kubernetes object (v1 ConfigMap): metadata.name is missing", []string{".x"}},
		{"name null", `{"x": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": null}}}`,
			".x: invalid Kubernetes object (v1 ConfigMap): metadata.name is missing", []string{".x"}},
		{"name empty", `{"x": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": ""}}}`,
			".x: invalid Kubernetes object (v1 ConfigMap): metadata.name is empty", []string{".x"}},
		{"generateName not a string", `{"x": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": 1}}}`,
			".x: invalid Kubernetes object (v1 ConfigMap): metadata.generateName must be a string, found number 1", []string{".x"}},
		{"every metadata problem", `{"x": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": 5, "namespace": ["a"], "labels": {"z": 1, "app": "ok", "a b": true, "n": null}, "annotations": "x"}}}`,
			".x: invalid Kubernetes object (apps/v1 Deployment): metadata.name must be a string, found number 5; metadata.namespace must be a string, found array; " +
				`metadata.labels["a b"] must be a string, found boolean true; metadata.labels.n must be a string, found null; metadata.labels.z must be a string, found number 1; ` +
				`metadata.annotations must be an object of strings, found string "x"`, []string{".x"}},
		{"labels not an object", `{"x": ` + obj("v1", "ConfigMap", "c", `"labels": ["a"]`) + `}`,
			".x: invalid Kubernetes object (v1 ConfigMap): metadata.labels must be an object of strings, found array", []string{".x"}},
		{"annotation value not a string", `{"x": ` + obj("v1", "ConfigMap", "c", `"annotations": {"prometheus.io/port": 8080}`) + `}`,
			`.x: invalid Kubernetes object (v1 ConfigMap): metadata.annotations["prometheus.io/port"] must be a string, found number 8080`, []string{".x"}},
		{"List item not an object", `{"l": {"apiVersion": "v1", "kind": "List", "items": ["a"]}}`,
			`.l.items[0]: found string "a" as an item of v1 List; a List may only hold Kubernetes objects (non-empty string apiVersion and kind)`, []string{".l.items[0]"}},
		{"List item null", `{"l": {"apiVersion": "v1", "kind": "List", "items": [null]}}`,
			`.l.items[0]: found null as an item of v1 List; a List may only hold Kubernetes objects (non-empty string apiVersion and kind)`, []string{".l.items[0]"}},
		{"List item without kind", `{"l": {"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1"}]}}`,
			`.l.items[0]: found object as an item of v1 List; a List may only hold Kubernetes objects (non-empty string apiVersion and kind)`, []string{".l.items[0]"}},
		{"invalid List item metadata", `{"l": {"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Secret"}]}]}}`,
			`.l.items[0].items[0]: invalid Kubernetes object (v1 Secret): metadata is missing (it needs at least a name)`, []string{".l.items[0].items[0]"}},
		{"duplicate names both paths", `{"b": ` + obj("apps/v1", "Deployment", "web", `"namespace": "apps", "labels": {"v": "2"}`) + `, "a": ` + obj("apps/v1", "Deployment", "web", `"namespace": "apps"`) + `}`,
			".b: duplicate resource apps/Deployment/apps/web with different content, already defined at .a", []string{".b"}},
		{"duplicate across versions and by default namespace", `[` + obj("apps/v1", "Deployment", "web", "") + `, ` + obj("apps/v1beta1", "Deployment", "web", `"namespace": "default"`) + `]`,
			".[1]: duplicate resource apps/Deployment/default/web with different content, already defined at .[0]", []string{".[1]"}},
		{"duplicate cluster-scoped", `[` + obj("v1", "Namespace", "apps", "") + `, ` + obj("v1", "Namespace", "apps", `"labels": {"a": "1"}`) + `, ` + obj("v1", "Namespace", "apps", `"labels": {"a": "2"}`) + `]`,
			"2 problems in the environment output:\n  .[1]: duplicate resource core/Namespace/apps with different content, already defined at .[0]\n  .[2]: duplicate resource core/Namespace/apps with different content, already defined at .[0]",
			[]string{".[1]", ".[2]"}},
		{"walk problems and duplicates together", `{"a": 1, "b": ` + obj("v1", "ConfigMap", "c", "") + `, "c": ` + obj("v1", "ConfigMap", "c", `"labels": {"x": "y"}`) + `}`,
			"2 problems in the environment output:\n  .a: found number 1; " + exp + "\n  .c: duplicate resource core/ConfigMap/default/c with different content, already defined at .b",
			[]string{".a", ".c"}},
		{"number out of range", `{"x": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"list": [1, 1e400]}}}`,
			".x.data.list[1]: number 1e400 is out of range", []string{".x.data.list[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Extract([]byte(tt.output), Settings{Namespace: "default"})
			if err == nil {
				t.Fatalf("no error; got %q", summary(ms))
			}
			if err.Error() != tt.want {
				t.Errorf("error mismatch\ngot:  %s\nwant: %s", err, tt.want)
			}
			var paths []string
			var list Errors
			var single *Error
			switch {
			case errors.As(err, &list):
				for _, e := range list {
					paths = append(paths, e.Path)
				}
			case errors.As(err, &single):
				paths = []string{single.Path}
			}
			if !slices.Equal(paths, tt.paths) {
				t.Errorf("paths %q, want %q", paths, tt.paths)
			}
		})
	}
}

func TestExtractIdenticalDuplicates(t *testing.T) {
	cm := obj("v1", "ConfigMap", "c", "")
	// The second .b is the same object once the default namespace is applied.
	out := `{"a": ` + cm + `, "b": ` + obj("v1", "ConfigMap", "c", `"namespace": "default"`) + `, "c": ` + cm + `, "d": ` + obj("v1", "Secret", "s", "") + `}`
	x, err := ExtractFiltered([]byte(out), Settings{Namespace: "default"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(x.Manifests); !slices.Equal(got, []string{".d core/Secret/default/s", ".a core/ConfigMap/default/c"}) {
		t.Errorf("manifests %q", got)
	}
	want := []Duplicate{
		{ID: ID{Kind: "ConfigMap", Namespace: "default", Name: "c"}, Kept: ".a", Dropped: ".b"},
		{ID: ID{Kind: "ConfigMap", Namespace: "default", Name: "c"}, Kept: ".a", Dropped: ".c"},
	}
	if !slices.Equal(x.Duplicates, want) {
		t.Errorf("duplicates %+v, want %+v", x.Duplicates, want)
	}
}

func TestExtractFiltersBeforeDuplicates(t *testing.T) {
	// Two different definitions of the same ConfigMap are an error, unless a target filter
	// removes that resource first, as -t '!configmap/c' does.
	out := `{"a": ` + obj("v1", "ConfigMap", "c", "") + `, "b": ` + obj("v1", "ConfigMap", "c", `"labels": {"x": "y"}`) + `, "d": ` + obj("v1", "Secret", "s", "") + `}`
	if _, err := ExtractFiltered([]byte(out), Settings{}, nil); err == nil {
		t.Fatal("differing duplicates were accepted")
	}
	f, err := ParseTargets([]string{"!configmap/c"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := ExtractFiltered([]byte(out), Settings{}, f)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(x.Manifests); !slices.Equal(got, []string{".d core/Secret/s"}) {
		t.Errorf("manifests %q", got)
	}
}

func TestExtractErrorsAsFirst(t *testing.T) {
	_, err := Extract([]byte(`{"a": 1, "b": 2}`), Settings{})
	var e *Error
	if !errors.As(err, &e) || e.Path != ".a" {
		t.Fatalf("errors.As(*Error) = %v (%v), want the problem at .a", e, err)
	}
}

func TestExtractErrorsCapped(t *testing.T) {
	_, err := Extract([]byte("["+strings.Repeat("1,", 24)+"1]"), Settings{})
	lines := strings.Split(err.Error(), "\n")
	if got, want := lines[0], "25 problems in the environment output:"; got != want {
		t.Errorf("first line %q, want %q", got, want)
	}
	if got, want := len(lines), 1+maxErrorLines+1; got != want {
		t.Errorf("%d lines, want %d", got, want)
	}
	if got, want := lines[len(lines)-1], "  ... and 5 more"; got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
}

func TestExtractInvalidJSON(t *testing.T) {
	tests := []struct {
		name, output, want string
	}{
		{"empty", ``, "decode environment output: EOF"},
		{"syntax", `{"a": }`, "decode environment output: invalid character '}' looking for beginning of value"},
		{"trailing data", `{} {}`, "decode environment output: unexpected data after the top-level JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Extract([]byte(tt.output), Settings{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v, want %s", err, tt.want)
			}
		})
	}
}
