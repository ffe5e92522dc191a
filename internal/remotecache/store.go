package remotecache

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"sync"
	"sync/atomic"

	specs "github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"oras.land/oras-go/v2"
	"oras.land/oras-go/v2/content"
	"oras.land/oras-go/v2/errdef"
	"oras.land/oras-go/v2/registry/remote/errcode"

	"github.com/kforge/kforge/internal/cache"
)

// Media types and annotations of a cache entry's artifact (see the package documentation).
const (
	// ArtifactType is the artifactType of every entry's manifest.
	ArtifactType = "application/vnd.kforge.render-cache.v1"
	// MediaTypeRecord is the layer holding the entry record.
	MediaTypeRecord = "application/vnd.kforge.render-cache.record.v1"
	// MediaTypeOutput is the layer holding the rendered output.
	MediaTypeOutput = "application/vnd.kforge.render-cache.output.v1"
	// AnnotationKey names the entry's key on its manifest.
	AnnotationKey = "org.kforge.render-cache.key"
	// AnnotationSchema is the version of this mapping on the manifest.
	AnnotationSchema = "org.kforge.render-cache.schema"
	// ArtifactTypeMemo is the artifactType of a memo's manifest.
	ArtifactTypeMemo = "application/vnd.kforge.render-cache.memo.v1"
	// MediaTypeMemo is the layer holding a memo file.
	MediaTypeMemo = "application/vnd.kforge.render-cache.memo.v1"
	// AnnotationMemo names the memo's id on its manifest.
	AnnotationMemo = "org.kforge.render-cache.memo"
	// MemoTagPrefix starts the tag of a memo: "memo-" and its id (64 hex digits).
	MemoTagPrefix = "memo-"
	// schemaVersion is the value of AnnotationSchema; bump it when the mapping changes.
	schemaVersion = "1"
)

// Size limits of what Fetch reads: a manifest is a few hundred bytes, an output at most the
// evaluator's output limit (project.DefaultMaxOutputBytes, 128 MiB) with room to spare.
const (
	maxManifestBytes = 1 << 20
	maxBlobBytes     = 1 << 30
)

// Store keeps cache entries as OCI artifacts in an oras.Target: a registry repository or a
// directory. It implements cache.Remote and is safe for concurrent use.
type Store struct {
	target oras.Target
	name   string
	// emptyMu serializes the first pushes of the empty config blob every manifest names (a
	// registry may answer 500 to a HEAD of a blob another request is committing), and
	// emptyPushed is set once it is known to be in the target.
	emptyMu     sync.Mutex
	emptyPushed atomic.Bool
	// suspect holds the digests (digest.Digest) of blobs a fetch found damaged: pushing them
	// again uploads them even though the target says it has them, which repairs a directory.
	// (A registry keeps the first copy of a digest; see the package documentation.)
	suspect sync.Map
}

var _ cache.Remote = (*Store)(nil)

// Options configure Open.
type Options struct {
	// HTTPClient talks to registries; nil means a client with a connection pool sized for
	// kforge's parallel pushes.
	HTTPClient *http.Client
	// Credential returns the credential of a registry (host:port). Nil reads the Docker
	// configuration and its credential helpers, as docker and oras do ($DOCKER_CONFIG, else
	// ~/.docker/config.json).
	Credential func(ctx context.Context, hostport string) (Credential, error)
}

// Open returns the Store a remote cache URL names (ParseURL). A directory is created if
// needed.
func Open(raw string, o Options) (*Store, error) {
	loc, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	var target oras.Target
	switch loc.Scheme {
	case "file":
		target, err = openDir(loc.Dir)
	default:
		target, err = openRepository(loc, o)
	}
	if err != nil {
		return nil, fmt.Errorf("open remote cache %s: %w", raw, err)
	}
	return &Store{target: target, name: raw}, nil
}

// String returns the URL the Store was opened with.
func (s *Store) String() string { return s.name }

// Push stores b as the artifact tagged key: the blobs the target lacks, then the manifest and
// the tag.
func (s *Store) Push(ctx context.Context, key string, b cache.Bundle) error {
	return s.push(ctx, key, ArtifactType, map[string]string{AnnotationKey: key},
		layer(MediaTypeRecord, "record", b.Record), layer(MediaTypeOutput, "output.json", b.Output))
}

// PushMemo stores a memo file as the artifact tagged MemoTagPrefix + id.
func (s *Store) PushMemo(ctx context.Context, id string, memo []byte) error {
	return s.push(ctx, MemoTagPrefix+id, ArtifactTypeMemo, map[string]string{AnnotationMemo: id},
		layer(MediaTypeMemo, "memo", memo))
}

// push uploads the blobs of layers the target lacks, then a manifest of artifactType naming
// them, tagged tag.
func (s *Store) push(ctx context.Context, tag, artifactType string, annotations map[string]string, layers ...blob) error {
	if err := s.pushEmpty(ctx); err != nil {
		return err
	}
	descs := make([]ocispec.Descriptor, len(layers))
	for i, l := range layers {
		if err := s.pushBlob(ctx, l.desc, l.data); err != nil {
			return err
		}
		descs[i] = l.desc
	}
	annotations[AnnotationSchema] = schemaVersion
	manifest, err := json.Marshal(ocispec.Manifest{
		Versioned:    specs.Versioned{SchemaVersion: 2},
		MediaType:    ocispec.MediaTypeImageManifest,
		ArtifactType: artifactType,
		Config:       ocispec.DescriptorEmptyJSON,
		Layers:       descs,
		Annotations:  annotations,
	})
	if err != nil {
		return fmt.Errorf("encode manifest of %s: %w", tag, err)
	}
	if _, err := oras.TagBytes(ctx, s.target, ocispec.MediaTypeImageManifest, manifest, tag); err != nil {
		return fmt.Errorf("push %s: %w", tag, err)
	}
	return nil
}

// pushEmpty pushes the empty config blob once per Store.
func (s *Store) pushEmpty(ctx context.Context) error {
	if s.emptyPushed.Load() {
		return nil
	}
	s.emptyMu.Lock()
	defer s.emptyMu.Unlock()
	if s.emptyPushed.Load() {
		return nil
	}
	if err := s.pushBlob(ctx, ocispec.DescriptorEmptyJSON, ocispec.DescriptorEmptyJSON.Data); err != nil {
		return err
	}
	s.emptyPushed.Store(true)
	return nil
}

// blob is one layer of an artifact and its content.
type blob struct {
	desc ocispec.Descriptor
	data []byte
}

// layer describes one blob of an artifact.
func layer(mediaType, title string, data []byte) blob {
	d := content.NewDescriptorFromBytes(mediaType, data)
	d.Annotations = map[string]string{ocispec.AnnotationTitle: title}
	return blob{desc: d, data: data}
}

// pushBlob uploads data unless the target has it already.
func (s *Store) pushBlob(ctx context.Context, desc ocispec.Descriptor, data []byte) error {
	if _, damaged := s.suspect.Load(desc.Digest); !damaged {
		ok, err := s.target.Exists(ctx, desc)
		if err != nil {
			return fmt.Errorf("check blob %s: %w", desc.Digest, err)
		}
		if ok {
			return nil
		}
	}
	if err := s.target.Push(ctx, desc, bytes.NewReader(data)); err != nil && !errors.Is(err, errdef.ErrAlreadyExists) {
		return fmt.Errorf("push blob %s: %w", desc.Digest, err)
	}
	return nil
}

// Fetch returns the bundle tagged key. Anything under the tag that is not a whole entry of
// this mapping (an unknown manifest, a missing, truncated or altered blob) is an error wrapping
// cache.ErrCorruptRemote.
func (s *Store) Fetch(ctx context.Context, key string) (cache.Bundle, bool, error) {
	blobs, found, err := s.fetch(ctx, key, ArtifactType, AnnotationKey, key, MediaTypeRecord, MediaTypeOutput)
	if err != nil || !found {
		return cache.Bundle{}, found, err
	}
	return cache.Bundle{Record: blobs[0], Output: blobs[1]}, true, nil
}

// FetchMemo returns the memo file tagged MemoTagPrefix + id, with the same errors as Fetch.
func (s *Store) FetchMemo(ctx context.Context, id string) ([]byte, bool, error) {
	blobs, found, err := s.fetch(ctx, MemoTagPrefix+id, ArtifactTypeMemo, AnnotationMemo, id, MediaTypeMemo)
	if err != nil || !found {
		return nil, found, err
	}
	return blobs[0], true, nil
}

// fetch reads the manifest tagged tag, checks that it is an artifact of artifactType whose
// annotation names id and whose layers have the media types given, in order, and returns the
// layers' content.
func (s *Store) fetch(ctx context.Context, tag, artifactType, annotation, id string, mediaTypes ...string) ([][]byte, bool, error) {
	_, data, err := oras.FetchBytes(ctx, s.target, tag, oras.FetchBytesOptions{MaxBytes: maxManifestBytes})
	if errors.Is(err, errdef.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, classify(tag, "manifest", err)
	}
	var m ocispec.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, false, corrupt(tag, "manifest: %v", err)
	}
	ok := m.ArtifactType == artifactType && m.Annotations[annotation] == id && m.Annotations[AnnotationSchema] == schemaVersion &&
		len(m.Layers) == len(mediaTypes)
	for i := 0; ok && i < len(mediaTypes); i++ {
		ok = m.Layers[i].MediaType == mediaTypes[i]
	}
	if !ok {
		return nil, false, corrupt(tag, "the manifest is not a %s (schema %s) for this tag", artifactType, schemaVersion)
	}
	blobs := make([][]byte, len(m.Layers))
	for i, desc := range m.Layers {
		if blobs[i], err = s.fetchBlob(ctx, tag, desc); err != nil {
			return nil, false, err
		}
	}
	return blobs, true, nil
}

// fetchBlob reads one layer and checks it against its descriptor's size and digest.
func (s *Store) fetchBlob(ctx context.Context, key string, desc ocispec.Descriptor) ([]byte, error) {
	if desc.Size < 0 || desc.Size > maxBlobBytes {
		return nil, corrupt(key, "blob %s: size %d out of range", desc.Digest, desc.Size)
	}
	rc, err := s.target.Fetch(ctx, desc)
	if err != nil {
		err = classify(key, "blob "+desc.Digest.String(), err)
		if errors.Is(err, cache.ErrCorruptRemote) {
			s.suspect.Store(desc.Digest, true)
		}
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	data, err := content.ReadAll(rc, desc)
	if err != nil {
		err = classify(key, "blob "+desc.Digest.String(), err)
		if errors.Is(err, cache.ErrCorruptRemote) {
			s.suspect.Store(desc.Digest, true)
		}
		return nil, err
	}
	return data, nil
}

// classify wraps an error of a fetch: the remote failing (unreachable, timed out, refusing
// access, a server error) stays a plain error; anything else, such as a missing blob or
// content that does not match its digest, marks the entry corrupt.
func classify(key, what string, err error) error {
	if unavailable(err) {
		return fmt.Errorf("fetch %s %s: %w", key, what, err)
	}
	return corrupt(key, "%s: %v", what, err)
}

// unavailable reports whether err says the store could not serve the request at all.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var resp *errcode.ErrorResponse
	if errors.As(err, &resp) {
		return resp.StatusCode >= 500 || resp.StatusCode == http.StatusUnauthorized ||
			resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests
	}
	var pe *fs.PathError
	return errors.As(err, &pe) && !errors.Is(err, fs.ErrNotExist)
}

// corrupt is an error wrapping cache.ErrCorruptRemote.
func corrupt(key, format string, args ...any) error {
	return fmt.Errorf("%w %s: %s", cache.ErrCorruptRemote, key, fmt.Sprintf(format, args...))
}
