package drift

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
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
			assertNoSecrets(t, got, tt.content)
			if bytes.Contains(got, []byte("sha256")) || bytes.Contains(got, []byte("<masked,")) {
				t.Errorf("one-sided masking must use %q only:\n%s", Masked, got)
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

func TestMaskSecretPair(t *testing.T) {
	secret := func(data, stringData map[string]any) []byte {
		return canonicalSecret(t, data, stringData, nil)
	}
	cert := func(last string) string {
		return "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n" + last + "\n-----END CERTIFICATE-----\n"
	}
	tests := []struct {
		name     string
		old, new []byte
		// wantOld and wantNew are the lines of the masked documents when they end with "" (the
		// end of the last line), otherwise lines they must contain.
		wantOld, wantNew []string
	}{
		{
			name:    "changed, unchanged, added and removed values",
			old:     secret(map[string]any{"token": "b2xkLXRva2Vu", "gone": "Z29uZQ=="}, map[string]any{"password": "old-password", "user": "web"}),
			new:     secret(map[string]any{"token": "bmV3LXRva2Vu", "added": "YWRkZWQ="}, map[string]any{"password": "new-password", "user": "web"}),
			wantOld: []string{"apiVersion: v1", "data:", "  gone: <masked>", "  token: <masked, old value>", "kind: Secret", "metadata:", "  name: db", "  namespace: apps", "stringData:", "  password: <masked, old value>", "  user: <masked>", "type: Opaque", ""},
			wantNew: []string{"apiVersion: v1", "data:", "  added: <masked>", "  token: <masked, new value>", "kind: Secret", "metadata:", "  name: db", "  namespace: apps", "stringData:", "  password: <masked, new value>", "  user: <masked>", "type: Opaque", ""},
		},
		{
			name:    "a multi-line value that changed in its last line",
			old:     secret(nil, map[string]any{"tls.crt": cert("oldLastLineOfTheCert"), "tls.key": cert("sameKey")}),
			new:     secret(nil, map[string]any{"tls.crt": cert("newLastLineOfTheCert"), "tls.key": cert("sameKey")}),
			wantOld: []string{"  tls.crt: <masked, old value>", "  tls.key: <masked>"},
			wantNew: []string{"  tls.crt: <masked, new value>", "  tls.key: <masked>"},
		},
		{
			name:    "only the quoting changed",
			old:     []byte("apiVersion: v1\nkind: Secret\nstringData:\n  password: plain-password\n"),
			new:     []byte("apiVersion: v1\nkind: Secret\nstringData:\n  password: 'plain-password'\n"),
			wantOld: []string{"apiVersion: v1", "kind: Secret", "stringData:", "  password: <masked>", ""},
			wantNew: []string{"apiVersion: v1", "kind: Secret", "stringData:", "  password: <masked>", ""},
		},
		{
			name:    "a value moved from data to stringData",
			old:     secret(map[string]any{"password": "bW92ZWQtcGFzc3dvcmQ="}, nil),
			new:     secret(nil, map[string]any{"password": "moved-password"}),
			wantOld: []string{"data:", "  password: <masked>"},
			wantNew: []string{"stringData:", "  password: <masked>"},
		},
		{
			name:    "the decoded data value elsewhere in the new version",
			old:     secret(map[string]any{"password": "ZGVjb2RlZC1zZWNyZXQ="}, nil),
			new:     canonicalSecret(t, map[string]any{"password": "ZGVjb2RlZC1zZWNyZXQ="}, nil, map[string]any{"note": "decoded-secret"}),
			wantOld: []string{"  password: <masked>"},
			wantNew: []string{strings.TrimSuffix(wholeComment, "\n"), "masked: <masked, new value>", ""},
		},
		{
			name:    "an old value in plain text in the new version",
			old:     secret(nil, map[string]any{"password": "rotated-away-secret"}),
			new:     canonicalSecret(t, nil, map[string]any{"password": "fresh-secret-value"}, map[string]any{"previous": "rotated-away-secret"}),
			wantOld: []string{"  password: <masked, old value>"},
			wantNew: []string{strings.TrimSuffix(wholeComment, "\n"), "masked: <masked, new value>", ""},
		},
		{
			name:    "an old version that is not YAML",
			old:     []byte("apiVersion: v1\nkind: Secret\nstringData:\n  password: [unclosed-secret\n"),
			new:     secret(nil, map[string]any{"password": "closed-secret"}),
			wantOld: []string{strings.TrimSuffix(wholeComment, "\n"), "masked: <masked, old value>", ""},
			wantNew: []string{"  password: <masked>"},
		},
		{
			name:    "equal documents masked whole",
			old:     []byte("apiVersion: v1\nkind: Secret\ndata: {password: Zmxvdy1zZWNyZXQ=}\n"),
			new:     []byte("apiVersion: v1\nkind: Secret\ndata: {password: Zmxvdy1zZWNyZXQ=}\n"),
			wantOld: []string{strings.TrimSuffix(wholeComment, "\n"), "masked: <masked>", ""},
			wantNew: []string{strings.TrimSuffix(wholeComment, "\n"), "masked: <masked>", ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotOld, gotNew := MaskSecretPair(tt.old, tt.new)
			for _, side := range []struct {
				name      string
				got, orig []byte
				want      []string
			}{{"old", gotOld, tt.old, tt.wantOld}, {"new", gotNew, tt.new, tt.wantNew}} {
				lines := strings.Split(string(side.got), "\n")
				if exact := len(side.want) > 0 && side.want[len(side.want)-1] == ""; exact {
					if strings.Join(lines, "\n") != strings.Join(side.want, "\n") {
						t.Errorf("%s side:\n%s\nwant:\n%s", side.name, side.got, strings.Join(side.want, "\n"))
					}
				} else {
					for _, w := range side.want {
						if !slices.Contains(lines, w) {
							t.Errorf("%s side lacks line %q:\n%s", side.name, w, side.got)
						}
					}
				}
				assertNoSecrets(t, side.got, tt.old, tt.new)
			}
			again1, again2 := MaskSecretPair(tt.old, tt.new)
			if !bytes.Equal(again1, gotOld) || !bytes.Equal(again2, gotNew) {
				t.Error("masking is not deterministic")
			}
		})
	}
}

// assertNoSecrets fails when masked holds a value of the Secrets docs, a line of one, its
// base64 decoding, or the start of the hex SHA-256 of any of these.
func assertNoSecrets(t *testing.T, masked []byte, docs ...[]byte) {
	t.Helper()
	for _, doc := range docs {
		d, ok := parseSecret(doc)
		if !ok {
			continue
		}
		for _, v := range d.leakValues() {
			for _, line := range append(strings.Split(v, "\n"), v) {
				line = strings.TrimSpace(line)
				if line == "" {
					continue
				}
				sum := sha256.Sum256([]byte(line))
				if bytes.Contains(masked, []byte(hex.EncodeToString(sum[:4]))) {
					t.Errorf("masked output holds a hash of %q:\n%s", line, masked)
				}
				if len(line) >= 3 && bytes.Contains(masked, []byte(": "+line)) {
					t.Errorf("masked output holds %q:\n%s", line, masked)
				}
			}
		}
	}
}

// A weak secret must not be recognisable from its placeholder: sha256("web") starts 4b5e57f6.
func TestMaskSecretHidesWeakSecrets(t *testing.T) {
	doc := canonicalSecret(t, nil, map[string]any{"user": "web", "password": "x"}, nil)
	other := canonicalSecret(t, nil, map[string]any{"user": "api", "password": "y"}, nil)
	outs := [][]byte{MaskSecret(doc), MaskSecret(other)}
	o, n := MaskSecretPair(doc, other)
	outs = append(outs, o, n)
	for _, out := range outs {
		if bytes.Contains(out, []byte("sha256")) || bytes.Contains(out, []byte("4b5e57f6")) {
			t.Errorf("masked output derives from the value:\n%s", out)
		}
		assertNoSecrets(t, out, doc, other)
	}
	// One-sided masking shows nothing that tells two values apart.
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("MaskSecret outputs of different values differ:\n%s\n---\n%s", outs[0], outs[1])
	}
}
