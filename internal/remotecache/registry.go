package remotecache

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"oras.land/oras-go/v2/registry/remote"
	"oras.land/oras-go/v2/registry/remote/auth"
	"oras.land/oras-go/v2/registry/remote/credentials"
	"oras.land/oras-go/v2/registry/remote/retry"
)

// Credential is a registry credential (user name and password, or a token).
type Credential = auth.Credential

// openRepository returns the registry repository of loc, authenticating with o.Credential or
// the Docker configuration.
func openRepository(loc Location, o Options) (*remote.Repository, error) {
	repo, err := remote.NewRepository(loc.Repository)
	if err != nil {
		return nil, err
	}
	repo.PlainHTTP = loc.PlainHTTP
	client := o.HTTPClient
	if client == nil {
		client = newHTTPClient()
	}
	cred := auth.CredentialFunc(o.Credential)
	if cred == nil {
		store, err := credentials.NewStoreFromDocker(credentials.StoreOptions{DetectDefaultNativeStore: true})
		if err != nil {
			return nil, fmt.Errorf("read the Docker credentials: %w", err)
		}
		cred = credentials.Credential(store)
	}
	repo.Client = &auth.Client{
		Client:     client,
		Header:     http.Header{"User-Agent": {"kforge"}},
		Cache:      auth.NewCache(),
		Credential: cred,
	}
	return repo, nil
}

// newHTTPClient is an HTTP client that keeps enough idle connections per registry for the
// parallel fetches and pushes of a run, and gives up on a registry that does not answer.
func newHTTPClient() *http.Client {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return &http.Client{}
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = 32
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.ResponseHeaderTimeout = 30 * time.Second
	// A few retries of what may pass on a second try (a 5xx, 429 or 408, a timed-out dial, a
	// reset connection), but not of a refused connection: a registry that is down should cost
	// the run one quick warning, not seconds per environment.
	return &http.Client{Transport: &retry.Transport{Base: t, Policy: func() retry.Policy { return retryPolicy }}}
}

// retryPolicy retries at most three times, within about three seconds.
var retryPolicy retry.Policy = &retry.GenericPolicy{
	Retryable: retry.DefaultPredicate,
	Backoff:   retry.DefaultBackoff,
	MinWait:   200 * time.Millisecond,
	MaxWait:   time.Second,
	MaxRetry:  3,
}
