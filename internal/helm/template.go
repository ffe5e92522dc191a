package helm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
)

// Renderer renders charts for helmTemplate and remembers its results: a second call with the
// same release name, chart files and options (calledFrom aside) is served from memory
// without rendering again. The files are read again on every call (through the FS, which
// records them), so every evaluation's read set holds them. A Renderer is safe for
// concurrent use; the zero value is not usable, use NewRenderer.
type Renderer struct {
	mu   sync.Mutex
	memo map[string]memoEntry
}

// memoEntry is one remembered outcome.
type memoEntry struct {
	out map[string]any
	err error
}

// NewRenderer returns a Renderer with an empty memory.
func NewRenderer() *Renderer {
	return &Renderer{memo: map[string]memoEntry{}}
}

// Error is a chart that could not be rendered.
type Error struct {
	// Chart is the chart's repository-relative path.
	Chart string
	// Release is the release name.
	Release string
	// Err is Helm's (or the loader's) error.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("helmTemplate: chart %s (release %q): %v", e.Chart, e.Release, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Template renders the chart at the repository-relative path chart (a directory or a
// packaged .tgz) as release name with opts, and returns the objects keyed by opts.NameFormat.
// The returned map is shared with later calls: do not modify it. Errors are *Error.
func (r *Renderer) Template(ctx context.Context, fsys FS, chart, name string, opts Options) (map[string]any, error) {
	cf, err := readChart(fsys, chart)
	if err != nil {
		return nil, &Error{Chart: chart, Release: name, Err: err}
	}
	key, err := memoKey(cf, chart, name, opts)
	if err != nil {
		return nil, &Error{Chart: chart, Release: name, Err: err}
	}
	r.mu.Lock()
	e, ok := r.memo[key]
	r.mu.Unlock()
	if ok {
		return e.out, e.err
	}
	e.out, e.err = render(ctx, cf, name, opts)
	if e.err != nil {
		e.out, e.err = nil, &Error{Chart: chart, Release: name, Err: e.err}
	}
	if ctx.Err() == nil {
		r.mu.Lock()
		r.memo[key] = e
		r.mu.Unlock()
	}
	return e.out, e.err
}

// render renders and keys the objects.
func render(ctx context.Context, cf *chartFiles, name string, opts Options) (map[string]any, error) {
	stream, err := renderStream(ctx, cf, name, opts)
	if err != nil {
		return nil, err
	}
	objs, err := decodeStream(stream)
	if err != nil {
		return nil, err
	}
	return keyObjects(objs, opts.NameFormat)
}

// memoKey identifies a render: the chart's path and files, the release name and every
// option but calledFrom (the chart path already says where the chart is).
func memoKey(cf *chartFiles, chart, name string, opts Options) (string, error) {
	opts.CalledFrom = ""
	o, err := json.Marshal(opts)
	if err != nil {
		return "", fmt.Errorf("encode options: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s\n%d:%s\n%s\n", len(chart), chart, len(name), name, cf.digest)
	h.Write(o)
	return hex.EncodeToString(h.Sum(nil)), nil
}
