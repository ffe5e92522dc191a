package manifest

import (
	"slices"
	"strings"
	"testing"
)

func TestFileNames(t *testing.T) {
	tests := []struct {
		name    string
		objects []string
		want    []string // in sorted manifest order
	}{
		{"unique names", []string{
			obj("v1", "Namespace", "apps", ""),
			obj("apps/v1", "Deployment", "order-service", `"namespace": "apps"`),
			obj("v1", "Service", "order-service", `"namespace": "apps"`),
			obj("rbac.authorization.k8s.io/v1", "ClusterRole", "reader", ""),
		}, []string{"_cluster/namespace-apps.yaml", "_cluster/clusterrole-reader.yaml", "apps/service-order-service.yaml", "apps/deployment-order-service.yaml"}},
		{"same kind and name in two groups", []string{
			obj("v1", "Service", "web", `"namespace": "apps"`),
			obj("serving.knative.dev/v1", "Service", "web", `"namespace": "apps"`),
			obj("v1", "Service", "web", `"namespace": "data"`),
		}, []string{"apps/service.serving.knative.dev-web.yaml", "apps/service.core-web.yaml", "data/service-web.yaml"}},
		{"kinds differing in case in two groups", []string{
			obj("a.example.com/v1", "Widget", "w", `"namespace": "apps"`),
			obj("b.example.com/v1", "WIDGET", "w", `"namespace": "apps"`),
		}, []string{"apps/widget.b.example.com-w.yaml", "apps/widget.a.example.com-w.yaml"}},
		{"long but allowed name", []string{
			obj("v1", "ConfigMap", strings.Repeat("a", 255-len("configmap-.yaml")), `"namespace": "apps"`),
		}, []string{"apps/configmap-" + strings.Repeat("a", 255-len("configmap-.yaml")) + ".yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := mustExtract(t, "["+strings.Join(tt.objects, ",")+"]")
			got, err := FileNames(ms)
			if err != nil {
				t.Fatalf("FileNames: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestFileNamesErrors(t *testing.T) {
	long := strings.Repeat("a", 250)
	tests := []struct {
		name    string
		objects []string
		want    string
	}{
		{"slash in name", []string{obj("v1", "ConfigMap", "a/b", "")},
			`.[0]: resource core/ConfigMap/a/b cannot be written to a file: name "a/b" contains a path separator`},
		{"backslash in name", []string{obj("v1", "ConfigMap", "a\\b", "")},
			`.[0]: resource core/ConfigMap/a\b cannot be written to a file: name "a\\b" contains a path separator`},
		{"absolute name", []string{obj("v1", "ConfigMap", "/etc/passwd", "")},
			`.[0]: resource core/ConfigMap//etc/passwd cannot be written to a file: name "/etc/passwd" contains a path separator`},
		{"dot-dot namespace", []string{obj("v1", "ConfigMap", "c", `"namespace": ".."`)},
			`.[0]: resource core/ConfigMap/../c cannot be written to a file: namespace ".." is a relative directory`},
		{"dot namespace", []string{obj("v1", "ConfigMap", "c", `"namespace": "."`)},
			`.[0]: resource core/ConfigMap/./c cannot be written to a file: namespace "." is a relative directory`},
		{"dot-dot inside name", []string{obj("v1", "ConfigMap", "a..b", "")},
			`.[0]: resource core/ConfigMap/a..b cannot be written to a file: name "a..b" contains ".."`},
		{"NUL in name", []string{`{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a\u0000b"}}`},
			`.[0]: resource core/ConfigMap/a` + "\x00" + `b cannot be written to a file: name "a\x00b" contains a NUL character`},
		{"slash in kind", []string{`{"apiVersion": "v1", "kind": "x/../y", "metadata": {"name": "c"}}`},
			`.[0]: resource core/x/../y/c cannot be written to a file: kind "x/../y" contains a path separator`},
		{"component too long", []string{obj("v1", "ConfigMap", long, "")},
			`.[0]: resource core/ConfigMap/` + long + ` cannot be written to a file: file name component "configmap-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." is 265 bytes long (at most 255)`},
		{"case-insensitive collision", []string{obj("v1", "ConfigMap", "Web", `"namespace": "apps"`), obj("v1", "ConfigMap", "web", `"namespace": "apps"`)},
			`.[1]: resource core/ConfigMap/apps/web and resource core/ConfigMap/apps/Web (at .[0]) would both be written to apps/configmap-web.yaml (file names are compared case-insensitively)`},
		{"qualified name meets a plain one", []string{
			obj("v1", "Service", "web", `"namespace": "apps"`),
			obj("serving.knative.dev/v1", "Service", "web", `"namespace": "apps"`),
			obj("example.com/v1", "Service.Core", "web", `"namespace": "apps"`),
		}, `.[2]: resource example.com/Service.Core/apps/web and resource core/Service/apps/web (at .[0]) would both be written to apps/service.core-web.yaml (file names are compared case-insensitively)`},
		{"several problems", []string{obj("v1", "ConfigMap", "a/b", ""), obj("v1", "Secret", "..", "")},
			"2 problems in the environment output:\n" +
				`  .[0]: resource core/ConfigMap/a/b cannot be written to a file: name "a/b" contains a path separator` + "\n" +
				`  .[1]: resource core/Secret/.. cannot be written to a file: name ".." is a relative directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := mustExtract(t, "["+strings.Join(tt.objects, ",")+"]")
			// Keep the input order so the paths above stay readable.
			slices.SortFunc(ms, func(a, b *Manifest) int { return strings.Compare(a.Path, b.Path) })
			_, err := FileNames(ms)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error mismatch\ngot:  %v\nwant: %s", err, tt.want)
			}
		})
	}
}

func TestPortableComponent(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"clusterrole-system:aggregated-metrics-reader.yaml", "clusterrole-system%3Aaggregated-metrics-reader.yaml"},
		{"deployment-web.yaml", "deployment-web.yaml"},
		{`a<b>c"d\e|f?g*h%i`, "a%3Cb%3Ec%22d%5Ce%7Cf%3Fg%2Ah%25i"},
		{"tab\there", "tab%09here"},
		{"trailing.", "trailing%2E"},
		{"trailing ", "trailing%20"},
		{"con", "co%6E"},
		{"CON.core-x.yaml", "CO%4E.core-x.yaml"},
		{"com1", "com%31"},
		{"console", "console"},
		{"_cluster", "_cluster"},
	} {
		if got := PortableComponent(tt.in); got != tt.want {
			t.Errorf("PortableComponent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFileNamesPortable(t *testing.T) {
	ms := mustExtract(t, "["+strings.Join([]string{
		obj("rbac.authorization.k8s.io/v1", "ClusterRole", "system:aggregated-metrics-reader", ""),
		obj("v1", "ConfigMap", "x", `"namespace": "con"`),
	}, ",")+"]")
	got, err := FileNames(ms)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"co%6E/configmap-x.yaml", "_cluster/clusterrole-system%3Aaggregated-metrics-reader.yaml"}
	if !slices.Equal(got, want) {
		t.Fatalf("FileNames = %q, want %q", got, want)
	}

	// Names that become the same file are an error naming both resources, not an overwrite.
	ms = mustExtract(t, "["+strings.Join([]string{
		obj("rbac.authorization.k8s.io/v1", "ClusterRole", "system:reader", ""),
		obj("rbac.authorization.k8s.io/v1", "ClusterRole", "SYSTEM:READER", ""),
	}, ",")+"]")
	_, err = FileNames(ms)
	if err == nil || !strings.Contains(err.Error(), "system:reader") || !strings.Contains(err.Error(), "SYSTEM:READER") ||
		!strings.Contains(err.Error(), "clusterrole-") {
		t.Fatalf("FileNames: err = %v, want a collision naming both resources", err)
	}
}
