package golden

import (
	"bytes"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// canonicalSecret encodes a Secret the way the canonical encoder does.
func canonicalSecret(t *testing.T, data, stringData map[string]any, annotations map[string]any) []byte {
	t.Helper()
	md := map[string]any{"name": "db", "namespace": "apps"}
	if annotations != nil {
		md["annotations"] = annotations
	}
	obj := map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": md, "type": "Opaque"}
	if data != nil {
		obj["data"] = data
	}
	if stringData != nil {
		obj["stringData"] = stringData
	}
	b, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const wholeMarker = "# Secret masked as a whole"

func TestMaskSecret(t *testing.T) {
	cert := "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFirstLine\n\nMIIBszCCAVmgAwIBAgIUSecondLine\n-----END CERTIFICATE-----\n"
	long := strings.Repeat("hunter2-long-secret ", 12)
	tests := []struct {
		name    string
		content []byte
		secrets []string // values (or lines of values) that must not appear
		whole   bool     // expect the whole-document fallback
		keep    []string // lines that must survive
	}{
		{
			name:    "data values",
			content: canonicalSecret(t, map[string]any{"password": "c3VwZXJzZWNyZXQ=", "user": "YWRtaW5pc3RyYXRvcg=="}, nil, nil),
			secrets: []string{"c3VwZXJzZWNyZXQ=", "YWRtaW5pc3RyYXRvcg=="},
			keep:    []string{"kind: Secret", "  name: db", "type: Opaque", "data:"},
		},
		{
			name: "stringData block scalars, folded, quoted and empty values",
			content: canonicalSecret(t, nil, map[string]any{
				"tls.crt":  cert,
				"long":     long,
				"tabs":     "tab\tseparated-secret\nsecond-line-secret",
				"trailing": "trailing-space-secret  \nnext-line-secret",
				"yes":      "yes",
				"123":      "numeric-key-secret",
				"empty":    "",
				"kept":     "kept-blank-lines-secret\n\n\n",
			}, nil),
			secrets: []string{"MIIBszCCAVmgAwIBAgIUFirstLine", "MIIBszCCAVmgAwIBAgIUSecondLine", "BEGIN CERTIFICATE", "hunter2-long-secret",
				"separated-secret", "second-line-secret", "trailing-space-secret", "next-line-secret", "numeric-key-secret", "kept-blank-lines-secret"},
			keep: []string{"stringData:", "kind: Secret", "type: Opaque"},
		},
		{
			name:    "both sections",
			content: canonicalSecret(t, map[string]any{"a": "ZGF0YS1zZWNyZXQtdmFsdWU="}, map[string]any{"b": "string-secret-value"}, nil),
			secrets: []string{"ZGF0YS1zZWNyZXQtdmFsdWU=", "string-secret-value"},
			keep:    []string{"data:", "stringData:"},
		},
		{
			name:    "hand-written quoted keys and leading document marker",
			content: []byte("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  'single:key': c2luZ2xlLXNlY3JldA==\n  \"double\\\"key\": ZG91YmxlLXNlY3JldA==\n"),
			secrets: []string{"c2luZ2xlLXNlY3JldA==", "ZG91YmxlLXNlY3JldA=="},
			keep:    []string{"---", "  'single:key': <masked", `  "double\"key": <masked`},
		},
		{
			name:    "four-space indentation",
			content: []byte("apiVersion: v1\nkind: Secret\nmetadata:\n    name: db\nstringData:\n    key: |\n        line-one-secret\n        line-two-secret\n    other: plain-secret-value\n"),
			secrets: []string{"line-one-secret", "line-two-secret", "plain-secret-value"},
			keep:    []string{"    name: db", "stringData:"},
		},
		{
			name:    "no data at all",
			content: []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\n"),
			keep:    []string{"type: Opaque"},
		},
		{
			name:    "empty flow data",
			content: []byte("apiVersion: v1\ndata: {}\nkind: Secret\nmetadata:\n  name: db\n"),
			keep:    []string{"data: {}"},
		},
		{
			name:    "flow style data",
			content: []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata: {password: Zmxvdy1zZWNyZXQ=}\n"),
			secrets: []string{"Zmxvdy1zZWNyZXQ="},
			whole:   true,
		},
		{
			name:    "duplicate keys",
			content: []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  a: ZHVwLW9uZS1zZWNyZXQ=\n  a: ZHVwLXR3by1zZWNyZXQ=\n"),
			secrets: []string{"ZHVwLW9uZS1zZWNyZXQ=", "ZHVwLXR3by1zZWNyZXQ="},
			whole:   true,
		},
		{
			name:    "duplicate section",
			content: []byte("apiVersion: v1\nkind: Secret\ndata:\n  a: Zmlyc3Qtc2VjdGlvbg==\nmetadata:\n  name: db\ndata:\n  b: c2Vjb25kLXNlY3Rpb24=\n"),
			secrets: []string{"Zmlyc3Qtc2VjdGlvbg==", "c2Vjb25kLXNlY3Rpb24="},
			whole:   true,
		},
		{
			name:    "invalid YAML",
			content: []byte("apiVersion: v1\nkind: Secret\ndata:\n  a: [unclosed-secret-value\n"),
			secrets: []string{"unclosed-secret-value"},
			whole:   true,
		},
		{
			name:    "comment inside data",
			content: []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  # commented-secret-value\n  a: YWN0aXZlLXNlY3JldA==\n"),
			secrets: []string{"commented-secret-value", "YWN0aXZlLXNlY3JldA=="},
			whole:   true,
		},
		{
			name:    "value repeated in an annotation",
			content: canonicalSecret(t, nil, map[string]any{"password": "repeated-secret"}, map[string]any{"last-applied": `{"stringData":{"password":"repeated-secret"}}`}),
			secrets: []string{"repeated-secret"},
			whole:   true,
		},
		{
			name:    "decoded data value repeated in an annotation",
			content: canonicalSecret(t, map[string]any{"password": "ZGVjb2RlZC1zZWNyZXQ="}, nil, map[string]any{"note": "decoded-secret"}),
			secrets: []string{"ZGVjb2RlZC1zZWNyZXQ=", "decoded-secret"},
			whole:   true,
		},
		{
			name:    "anchor and alias",
			content: []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  labels:\n    copy: &v anchored-secret\ndata:\n  a: *v\n"),
			secrets: []string{"anchored-secret"},
			whole:   true,
		},
		{
			name:    "data is a list",
			content: []byte("apiVersion: v1\nkind: Secret\ndata:\n- listed-secret-value\n"),
			secrets: []string{"listed-secret-value"},
			whole:   true,
		},
		{
			name:    "explicit key",
			content: []byte("apiVersion: v1\nkind: Secret\ndata:\n  ? explicit\n  : ZXhwbGljaXQta2V5LXNlY3JldA==\n"),
			secrets: []string{"ZXhwbGljaXQta2V5LXNlY3JldA=="},
			whole:   true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MaskSecret(tt.content)
			for _, s := range tt.secrets {
				if bytes.Contains(got, []byte(s)) {
					t.Errorf("masked output leaks %q:\n%s", s, got)
				}
			}
			if isWhole := bytes.HasPrefix(got, []byte(wholeMarker)); isWhole != tt.whole {
				t.Errorf("whole-document fallback = %v, want %v:\n%s", isWhole, tt.whole, got)
			}
			lines := strings.Split(string(got), "\n")
			for _, k := range tt.keep {
				found := false
				for _, l := range lines {
					if strings.HasPrefix(l, k) {
						found = true
					}
				}
				if !found {
					t.Errorf("masked output lost line %q:\n%s", k, got)
				}
			}
			if again := MaskSecret(tt.content); !bytes.Equal(again, got) {
				t.Errorf("masking is not deterministic")
			}
			if !tt.whole {
				var obj map[string]any
				if err := yaml.Unmarshal(got, &obj); err != nil {
					t.Fatalf("masked output is not YAML: %v\n%s", err, got)
				}
			}
		})
	}
}

func TestMaskSecretShowsWhichValueChanged(t *testing.T) {
	before := canonicalSecret(t, map[string]any{"a": "b2xkLWE=", "b": "c2FtZS1i"}, map[string]any{"c": "multi\nline\nold-value\n"}, nil)
	after := canonicalSecret(t, map[string]any{"a": "bmV3LWE=", "b": "c2FtZS1i"}, map[string]any{"c": "multi\nline\nnew-value\n"}, nil)
	mb, ma := strings.Split(string(MaskSecret(before)), "\n"), strings.Split(string(MaskSecret(after)), "\n")
	if len(mb) != len(ma) {
		t.Fatalf("line counts differ:\n%s\n---\n%s", MaskSecret(before), MaskSecret(after))
	}
	var changed []string
	for i := range mb {
		if mb[i] != ma[i] {
			changed = append(changed, strings.TrimSpace(strings.SplitN(mb[i], ":", 2)[0]))
		}
	}
	if strings.Join(changed, ",") != "a,c" {
		t.Errorf("changed masked lines %v, want [a c]", changed)
	}
	if want := "  b: " + Placeholder("c2FtZS1i"); !strings.Contains(string(MaskSecret(after)), want+"\n") {
		t.Errorf("unchanged value not shown as %q:\n%s", want, MaskSecret(after))
	}
}

func TestPlaceholder(t *testing.T) {
	// sha256("secret") = 2bb80d53...
	if got, want := Placeholder("secret"), "<masked sha256:2bb80d53>"; got != want {
		t.Errorf("Placeholder(secret) = %q, want %q", got, want)
	}
	if Placeholder("a") == Placeholder("b") {
		t.Error("different values share a placeholder")
	}
}

func TestLooksLikeSecret(t *testing.T) {
	tests := []struct {
		content string
		want    bool
	}{
		{"apiVersion: v1\nkind: Secret\n", true},
		{"kind: \"Secret\"\r\n", true},
		{"apiVersion: v1\nkind: ConfigMap\ndata:\n  kind: Secret\n", false},
		{"kind: SecretStore\n", false},
	}
	for _, tt := range tests {
		if got := looksLikeSecret([]byte(tt.content)); got != tt.want {
			t.Errorf("looksLikeSecret(%q) = %v, want %v", tt.content, got, tt.want)
		}
	}
}
