package charts

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/getter"
	"helm.sh/helm/v4/pkg/registry"
	repov1 "helm.sh/helm/v4/pkg/repo/v1"
)

// ociScheme marks a repository that is an OCI registry path.
const ociScheme = "oci://"

// httpTimeout bounds each HTTP request to a chart repository.
const httpTimeout = 2 * time.Minute

// fetched is a verified chart archive.
type fetched struct {
	// name is the chart's name in its Chart.yaml (the directory its archive expands to).
	name string
	// data is the .tgz.
	data []byte
}

// fetcher pulls chart archives, fetching each HTTP repository's index once per run.
type fetcher struct {
	plainHTTP bool
	indexes   map[string]*repov1.IndexFile
}

func newFetcher(plainHTTP bool) *fetcher {
	return &fetcher{plainHTTP: plainHTTP, indexes: map[string]*repov1.IndexFile{}}
}

// fetch downloads r's archive from repo and verifies it.
func (f *fetcher) fetch(repo Repo, r Requirement) (*fetched, error) {
	var data []byte
	var err error
	if strings.HasPrefix(repo.URL, ociScheme) {
		data, err = f.fetchOCI(repo, r)
	} else {
		data, err = f.fetchHTTP(repo, r)
	}
	if err != nil {
		return nil, err
	}
	ch, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("load chart archive: %w", err)
	}
	if ch.Metadata.Name != r.ChartName() || ch.Metadata.Version != r.Version {
		return nil, fmt.Errorf("the archive holds chart %s version %s, not %s version %s",
			ch.Metadata.Name, ch.Metadata.Version, r.ChartName(), r.Version)
	}
	return &fetched{name: ch.Metadata.Name, data: data}, nil
}

// fetchHTTP finds r in repo's index.yaml and downloads its archive, checking it against the
// index's digest.
func (f *fetcher) fetchHTTP(repo Repo, r Requirement) ([]byte, error) {
	g, err := getter.NewHTTPGetter(
		getter.WithURL(repo.URL),
		getter.WithBasicAuth(repo.Username, repo.Password),
		getter.WithTLSClientConfig(repo.CertFile, repo.KeyFile, repo.CAFile),
		getter.WithTimeout(httpTimeout),
	)
	if err != nil {
		return nil, fmt.Errorf("repository %s: %w", repo.Name, err)
	}
	index, err := f.index(g, repo)
	if err != nil {
		return nil, err
	}
	versions, ok := index.Entries[r.ChartName()]
	if !ok || len(versions) == 0 {
		return nil, fmt.Errorf("chart %q not found in repository %s (%s)", r.ChartName(), repo.Name, repo.URL)
	}
	var entry *repov1.ChartVersion
	var available []string
	for _, v := range versions {
		available = append(available, v.Version)
		if v.Version == r.Version {
			entry = v
		}
	}
	if entry == nil {
		return nil, fmt.Errorf("version %q of chart %q not found in repository %s (available: %s)",
			r.Version, r.ChartName(), repo.Name, strings.Join(available, ", "))
	}
	if len(entry.URLs) == 0 {
		return nil, fmt.Errorf("repository %s lists chart %s %s without a download URL", repo.Name, r.ChartName(), r.Version)
	}
	u, err := repov1.ResolveReferenceURL(repo.URL, entry.URLs[0])
	if err != nil {
		return nil, fmt.Errorf("repository %s: chart URL %q: %w", repo.Name, entry.URLs[0], err)
	}
	buf, err := g.Get(u)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", u, err)
	}
	data := buf.Bytes()
	if entry.Digest != "" {
		sum := sha256.Sum256(data)
		got := hex.EncodeToString(sum[:])
		want := strings.TrimPrefix(entry.Digest, "sha256:")
		if got != want {
			return nil, fmt.Errorf("digest mismatch: %s has sha256 %s, the index of repository %s says %s", u, got, repo.Name, want)
		}
	}
	return data, nil
}

// index fetches and parses repo's index.yaml, once per run.
func (f *fetcher) index(g getter.Getter, repo Repo) (*repov1.IndexFile, error) {
	if idx, ok := f.indexes[repo.URL]; ok {
		return idx, nil
	}
	u := strings.TrimSuffix(repo.URL, "/") + "/index.yaml"
	buf, err := g.Get(u)
	if err != nil {
		return nil, fmt.Errorf("fetch index of repository %s: %w", repo.Name, err)
	}
	// The SDK parses (and validates) an index only from a file.
	tmp, err := os.MkdirTemp("", "kforge-index-")
	if err != nil {
		return nil, fmt.Errorf("stage index: %w", err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	path := filepath.Join(tmp, "index.yaml")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return nil, fmt.Errorf("stage index: %w", err)
	}
	idx, err := repov1.LoadIndexFile(path)
	if err != nil {
		return nil, fmt.Errorf("index of repository %s (%s): %w", repo.Name, u, err)
	}
	f.indexes[repo.URL] = idx
	return idx, nil
}

// fetchOCI pulls r from the registry path repo.URL, checking the chart layer's digest.
func (f *fetcher) fetchOCI(repo Repo, r Requirement) ([]byte, error) {
	opts := []registry.ClientOption{}
	if f.plainHTTP {
		opts = append(opts, registry.ClientOptPlainHTTP())
	}
	if repo.Username != "" || repo.Password != "" {
		opts = append(opts, registry.ClientOptBasicAuth(repo.Username, repo.Password))
	}
	if repo.CAFile != "" || repo.CertFile != "" {
		tlsConf, err := tlsConfig(repo)
		if err != nil {
			return nil, err
		}
		opts = append(opts, registry.ClientOptHTTPClient(&http.Client{
			Timeout:   httpTimeout,
			Transport: &http.Transport{TLSClientConfig: tlsConf, Proxy: http.ProxyFromEnvironment},
		}))
	}
	client, err := registry.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("registry client: %w", err)
	}
	// OCI tags cannot hold "+", so Helm stores versions with "_" in its place.
	ref := strings.TrimSuffix(strings.TrimPrefix(repo.URL, ociScheme), "/") + "/" + r.ChartName() + ":" +
		strings.ReplaceAll(r.Version, "+", "_")
	res, err := client.Pull(ref)
	if err != nil {
		return nil, fmt.Errorf("pull %s%s: %w", ociScheme, ref, err)
	}
	sum := sha256.Sum256(res.Chart.Data)
	if got := "sha256:" + hex.EncodeToString(sum[:]); got != res.Chart.Digest {
		return nil, fmt.Errorf("digest mismatch: the chart layer of %s%s has %s, its manifest says %s", ociScheme, ref, got, res.Chart.Digest)
	}
	return res.Chart.Data, nil
}

// tlsConfig builds the TLS settings of a repository with its own CA or client certificate.
func tlsConfig(repo Repo) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if repo.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(repo.CertFile, repo.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("repository %s: client certificate: %w", repo.Name, err)
		}
		conf.Certificates = []tls.Certificate{cert}
	}
	if repo.CAFile != "" {
		pem, err := os.ReadFile(repo.CAFile)
		if err != nil {
			return nil, fmt.Errorf("repository %s: CA file: %w", repo.Name, err)
		}
		pool, err := systemPoolWith(pem)
		if err != nil {
			return nil, fmt.Errorf("repository %s: CA file %s: %w", repo.Name, repo.CAFile, err)
		}
		conf.RootCAs = pool
	}
	return conf, nil
}

// systemPoolWith is the system's certificate pool plus the PEM certificates given.
func systemPoolWith(pem []byte) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no PEM certificate in it")
	}
	return pool, nil
}
