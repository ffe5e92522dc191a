package remotecache

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"

	"oras.land/oras-go/v2/registry"
)

// Location is a parsed --cache-url.
type Location struct {
	// Scheme is "oci", "oci+http" or "file".
	Scheme string
	// Repository is the registry and repository ("ghcr.io/org/kforge-cache") of an oci URL.
	Repository string
	// PlainHTTP talks HTTP instead of HTTPS: oci+http URLs and registries on the loopback
	// interface (localhost, 127.0.0.1, ::1).
	PlainHTTP bool
	// Dir is the absolute directory of a file URL.
	Dir string
}

// ParseURL parses a remote cache URL: oci://REGISTRY/REPOSITORY (HTTPS, or plain HTTP for a
// registry on the loopback interface), oci+http://REGISTRY/REPOSITORY (plain HTTP) or
// file:///ABSOLUTE/PATH (a directory, e.g. on a mounted share).
func ParseURL(raw string) (Location, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return Location{}, fmt.Errorf("remote cache URL %q: want oci://REGISTRY/REPOSITORY, oci+http://REGISTRY/REPOSITORY or file:///PATH", raw)
	}
	switch scheme {
	case "oci", "oci+http":
		ref, err := registry.ParseReference(rest)
		if err != nil || ref.Reference != "" || !strings.Contains(rest, "/") {
			return Location{}, fmt.Errorf("remote cache URL %q: want %s://REGISTRY/REPOSITORY without a tag or digest", raw, scheme)
		}
		return Location{Scheme: scheme, Repository: rest, PlainHTTP: scheme == "oci+http" || loopback(ref.Registry)}, nil
	case "file":
		u, err := url.Parse(raw)
		if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") || u.RawQuery != "" || u.Fragment != "" {
			return Location{}, fmt.Errorf("remote cache URL %q: want file:///ABSOLUTE/PATH", raw)
		}
		return Location{Scheme: scheme, Dir: filepath.Clean(filepath.FromSlash(u.Path))}, nil
	default:
		return Location{}, fmt.Errorf("remote cache URL %q: unknown scheme %q (want oci, oci+http or file)", raw, scheme)
	}
}

// loopback reports whether host (with an optional port) is on the loopback interface.
func loopback(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
