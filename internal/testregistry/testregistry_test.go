package testregistry

import (
	"net/http"
	"testing"
)

// TestStartAndStop starts a real registry, checks that it speaks the OCI distribution API, and
// that Stop makes it unreachable.
func TestStartAndStop(t *testing.T) {
	r := Start(t)
	resp, err := http.Get(r.URL() + "/v2/")
	if err != nil {
		t.Fatalf("GET /v2/: %v", err)
	}
	_ = resp.Body.Close()
	if got := resp.Header.Get("Docker-Distribution-Api-Version"); got != "registry/2.0" {
		t.Errorf("Docker-Distribution-Api-Version = %q, want registry/2.0", got)
	}
	r.Stop()
	if resp, err := http.Get(r.URL() + "/v2/"); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("registry still answers after Stop")
	}
	r.Stop() // a second Stop is harmless
}
