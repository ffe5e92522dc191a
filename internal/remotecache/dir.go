package remotecache

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"oras.land/oras-go/v2/content"
	"oras.land/oras-go/v2/errdef"

	"github.com/kforge/kforge/internal/atomicfile"
)

// validTag reports whether ref may be a tag in a directory: the OCI distribution rule for tags,
// [A-Za-z0-9_][A-Za-z0-9._-]{0,127}. Checked by hand: the regular expression, whose bounded
// repetition compiles to 128 copies of the class, cost every kforge process 0.2 ms and 118 KB
// at start-up (GODEBUG=inittrace=1), more than all of kforge's other packages together.
func validTag(ref string) bool {
	if ref == "" || len(ref) > 128 || ref[0] == '.' || ref[0] == '-' {
		return false
	}
	for i := 0; i < len(ref); i++ {
		if !tagByte(ref[i]) {
			return false
		}
	}
	return true
}

// tagByte reports whether c may appear in a tag.
func tagByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
}

// dirTarget is an oras.Target in a directory (see the package documentation for the layout).
// Every file is written to a temporary name and renamed, so processes on several machines may
// share the directory without locks.
type dirTarget struct {
	dir string
}

// openDir returns the dirTarget in dir, creating it if needed.
func openDir(dir string) (*dirTarget, error) {
	for _, d := range []string{"blobs", "tags"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	return &dirTarget{dir: dir}, nil
}

// blobPath is where the blob of d lives.
func (t *dirTarget) blobPath(d digest.Digest) (string, error) {
	if err := d.Validate(); err != nil {
		return "", fmt.Errorf("%s: %w", d, errdef.ErrInvalidDigest)
	}
	return filepath.Join(t.dir, "blobs", d.Algorithm().String(), d.Encoded()), nil
}

// tagPath is where the descriptor tagged ref lives.
func (t *dirTarget) tagPath(ref string) (string, error) {
	if !validTag(ref) || len(ref) < 2 {
		return "", fmt.Errorf("tag %q: %w", ref, errdef.ErrInvalidReference)
	}
	return filepath.Join(t.dir, "tags", ref[:2], ref), nil
}

// Fetch opens the blob of desc.
func (t *dirTarget) Fetch(_ context.Context, desc ocispec.Descriptor) (io.ReadCloser, error) {
	p, err := t.blobPath(desc.Digest)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", desc.Digest, errdef.ErrNotFound)
	}
	return f, err
}

// Push stores the blob of expected, verifying the content against it first.
func (t *dirTarget) Push(_ context.Context, expected ocispec.Descriptor, r io.Reader) error {
	p, err := t.blobPath(expected.Digest)
	if err != nil {
		return err
	}
	data, err := content.ReadAll(r, expected)
	if err != nil {
		return err
	}
	return writeFile(p, data)
}

// Exists reports whether the blob of desc is stored.
func (t *dirTarget) Exists(_ context.Context, desc ocispec.Descriptor) (bool, error) {
	p, err := t.blobPath(desc.Digest)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Resolve returns the descriptor tagged ref.
func (t *dirTarget) Resolve(_ context.Context, ref string) (ocispec.Descriptor, error) {
	p, err := t.tagPath(ref)
	if err != nil {
		return ocispec.Descriptor{}, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return ocispec.Descriptor{}, fmt.Errorf("%s: %w", ref, errdef.ErrNotFound)
	}
	if err != nil {
		return ocispec.Descriptor{}, err
	}
	var d ocispec.Descriptor
	if err := json.Unmarshal(data, &d); err != nil {
		return ocispec.Descriptor{}, fmt.Errorf("tag %s: %w", ref, err)
	}
	return d, nil
}

// Tag points ref at desc, whose blob must be stored.
func (t *dirTarget) Tag(ctx context.Context, desc ocispec.Descriptor, ref string) error {
	p, err := t.tagPath(ref)
	if err != nil {
		return err
	}
	if ok, err := t.Exists(ctx, desc); err != nil || !ok {
		return fmt.Errorf("tag %s: %s: %w", ref, desc.Digest, errdef.ErrNotFound)
	}
	data, err := json.Marshal(ocispec.Descriptor{MediaType: desc.MediaType, Digest: desc.Digest, Size: desc.Size})
	if err != nil {
		return err
	}
	return writeFile(p, data)
}

// writeFile replaces p with data atomically, readable by everyone sharing the directory.
func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(p, atomicfile.Options{Temp: ".tmp-*", Perm: 0o644}, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(data))
		return err
	})
}
