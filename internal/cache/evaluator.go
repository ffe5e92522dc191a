package cache

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/kforge/kforge/internal/jsonnet"
)

// EvaluatorFormat is the Inputs.Format of the entries CachingEvaluator writes: the evaluated
// JSON exactly as the evaluator returned it.
const EvaluatorFormat = "jsonnet-result/1"

// Evaluator runs one Jsonnet evaluation: jsonnet.Evaluator's method set, so a CachingEvaluator
// wraps any evaluator and is one itself.
type Evaluator interface {
	Evaluate(ctx context.Context, opts jsonnet.Options, filename, code string) (jsonnet.Result, error)
}

// Stats count what a CachingEvaluator did.
type Stats struct {
	// Hits were served from the cache.
	Hits int64
	// Misses were evaluated.
	Misses int64
	// Unstored evaluations succeeded but could not be stored (a file changed meanwhile, the
	// cache directory is full or read-only); the error of the last one is LastError.
	Unstored int64
	// Bypassed evaluations were snippets (kforge eval expressions), which are not cached.
	Bypassed int64
	// LastError is the last error of a lookup or a store, nil if none.
	LastError error
}

// CachingEvaluator serves file evaluations from a Store and evaluates the others with the
// wrapped Evaluator, storing their results. A hit returns the stored JSON, the reads extended
// with their import closure, and writes the recorded std.trace output to opts.TraceOut. Cache
// failures never fail an evaluation: they count in Stats. It is safe for concurrent use.
type CachingEvaluator struct {
	next    Evaluator
	store   *Store
	version string

	hits, misses, unstored, bypassed atomic.Int64
	mu                               sync.Mutex
	lastErr                          error
}

// NewEvaluator returns a CachingEvaluator over next and s. kforgeVersion identifies the build
// (Inputs.KforgeVersion: the version and BuildID).
func NewEvaluator(next Evaluator, s *Store, kforgeVersion string) *CachingEvaluator {
	return &CachingEvaluator{next: next, store: s, version: kforgeVersion}
}

// Key returns the key under which the evaluation of the repository-relative file filename
// with opts is cached.
func (c *CachingEvaluator) Key(opts jsonnet.Options, filename string) Key {
	return NewKey(Inputs{
		Entrypoint:     filename,
		Options:        opts,
		KforgeVersion:  c.version,
		JsonnetVersion: JsonnetVersion(),
		Format:         EvaluatorFormat,
	})
}

// Lookup returns the valid entry for evaluating filename with opts, if there is one, without
// evaluating: its Reads and Misses are the environment's current read set, for affected.Env.
func (c *CachingEvaluator) Lookup(opts jsonnet.Options, filename string) (Entry, bool, error) {
	return c.store.Get(c.Key(opts, filename), opts.Root)
}

// Evaluate implements Evaluator.
func (c *CachingEvaluator) Evaluate(ctx context.Context, opts jsonnet.Options, filename, code string) (jsonnet.Result, error) {
	if code != "" {
		c.bypassed.Add(1)
		return c.next.Evaluate(ctx, opts, filename, code)
	}
	k := c.Key(opts, filename)
	e, ok, err := c.store.Get(k, opts.Root)
	if err != nil {
		c.fail(err)
	}
	if ok {
		c.hits.Add(1)
		if len(e.Trace) > 0 && opts.TraceOut != nil {
			if _, err := opts.TraceOut.Write(e.Trace); err != nil {
				return jsonnet.Result{}, err
			}
		}
		return jsonnet.Result{JSON: string(e.Output), Reads: e.Reads}, nil
	}
	c.misses.Add(1)
	var trace bytes.Buffer
	inner := opts
	inner.TraceOut = io.MultiWriter(&trace, orDiscard(opts.TraceOut))
	res, err := c.next.Evaluate(ctx, inner, filename, code)
	if err != nil {
		return res, err
	}
	if err := c.store.Put(k, opts.Root, Entry{Output: []byte(res.JSON), Reads: res.Reads, Misses: res.Misses, Trace: trace.Bytes()}); err != nil {
		c.unstored.Add(1)
		c.fail(err)
	}
	return res, nil
}

// CachedMemo serves a memo of a cached evaluation without reading, checking or hashing its
// output: when the local entry for evaluating the file filename with opts is still exact (the
// same check as Evaluate's) and the local memo stored with PutMemo under name for its output is
// intact, it passes the memo's data to use. When use accepts it (returns true), the hit counts as
// Evaluate's would, the recorded std.trace output is written to opts.TraceOut, and CachedMemo
// returns the entry's reads and true. In every other case (a remote is consulted only by
// Evaluate and GetMemo) it returns false and the caller evaluates as usual. A memo is a
// deterministic function of the output and its name, and the output is named by its sha256 in
// the entry, so the memo is exactly what the output would give: on a warm run of `kforge
// render` or `export` the evaluated JSON (7 MB for kube-prometheus) is never read. use may keep
// data: it is not reused.
func (c *CachingEvaluator) CachedMemo(opts jsonnet.Options, filename, name string, use func(data []byte) bool) ([]jsonnet.FileRead, bool) {
	k := c.Key(opts, filename)
	rec, reason, err := c.store.lookupRecord(k, opts.Root)
	c.store.hashes.save()
	if err != nil {
		c.fail(err)
	}
	if reason != "" {
		return nil, false
	}
	data, memoPath, ok := c.store.localMemo(rec.Output, name)
	if !ok || !use(data) {
		return nil, false
	}
	if len(rec.Trace) > 0 && opts.TraceOut != nil {
		if _, err := opts.TraceOut.Write(rec.Trace); err != nil {
			c.fail(err)
		}
	}
	c.hits.Add(1)
	touch(c.store.entryPath(k.id), c.store.blobPath(rec.Output), memoPath)
	return rec.Reads, true
}

// Stats returns the counts so far.
func (c *CachingEvaluator) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{
		Hits:      c.hits.Load(),
		Misses:    c.misses.Load(),
		Unstored:  c.unstored.Load(),
		Bypassed:  c.bypassed.Load(),
		LastError: c.lastErr,
	}
}

func (c *CachingEvaluator) fail(err error) {
	var stale *StaleError
	if errors.As(err, &stale) {
		// Expected when a file is edited during a run; not worth reporting as the last error.
		return
	}
	c.mu.Lock()
	c.lastErr = err
	c.mu.Unlock()
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// Close waits for the store's background pushes to its remote (Store.Close).
func (c *CachingEvaluator) Close(ctx context.Context) { c.store.Close(ctx) }

// SetDraining passes the hint on to the evaluator underneath when it takes it (isolate.Pool):
// see pipeline.Drainer.
func (c *CachingEvaluator) SetDraining(draining bool) {
	if d, ok := c.next.(interface{ SetDraining(bool) }); ok {
		d.SetDraining(draining)
	}
}

// RemoteStats returns what the store did with its remote (Store.RemoteStats).
func (c *CachingEvaluator) RemoteStats() RemoteStats { return c.store.RemoteStats() }
