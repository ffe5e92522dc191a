package golden

import "testing"

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
		if got := LooksLikeSecret([]byte(tt.content)); got != tt.want {
			t.Errorf("LooksLikeSecret(%q) = %v, want %v", tt.content, got, tt.want)
		}
	}
}
