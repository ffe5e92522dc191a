package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of RemoteOptions.
const (
	// DefaultRemoteQueue is how many entries may wait to be pushed before Put blocks.
	DefaultRemoteQueue = 64
	// DefaultRemotePushers is how many entries are pushed at once.
	DefaultRemotePushers = 4
	// DefaultRemoteTimeout bounds one fetch or push.
	DefaultRemoteTimeout = 30 * time.Second
)

// Remote is a shared store behind a Store's directory: an OCI registry or a directory on a
// mounted share (internal/remotecache implements both). It moves entries as Bundles and needs to
// check nothing: the Store verifies every bundle it fetches before using it.
type Remote interface {
	// Fetch returns the bundle stored under key (64 hex digits); found is false when there is
	// none. An error wrapping ErrCorruptRemote means the remote holds something under key
	// that is not a whole entry (a blob missing, truncated or not matching its digest); any
	// other error means the remote cannot be reached or refused the request.
	Fetch(ctx context.Context, key string) (b Bundle, found bool, err error)
	// Push stores b under key, replacing what was there. Concurrent pushes of one key each
	// leave a whole bundle; the last one wins.
	Push(ctx context.Context, key string, b Bundle) error
	// FetchMemo returns the memo file stored under id (64 hex digits), with the errors of
	// Fetch. A memo file is what the local directory holds: a line with the format and the
	// CRC-32C of the data that follows.
	FetchMemo(ctx context.Context, id string) (memo []byte, found bool, err error)
	// PushMemo stores a memo file under id.
	PushMemo(ctx context.Context, id string, memo []byte) error
	// String names the remote in messages: its URL.
	String() string
}

// ErrCorruptRemote marks a remote entry that is not whole: it is ignored and rendered again.
var ErrCorruptRemote = errors.New("corrupt remote entry")

// Bundle is a cache entry in transit to or from a Remote.
type Bundle struct {
	// Record is the entry file exactly as the local directory holds it: a line with the
	// format and the sha256 of the JSON that follows, which names the key, the output's sha256
	// and size, and the files the evaluation read.
	Record []byte
	// Output is the rendered output the record names (content addressed by its sha256).
	Output []byte
}

// RemoteOptions attach a Remote to a Store (WithRemote).
type RemoteOptions struct {
	// Remote is the shared store.
	Remote Remote
	// ReadOnly only reads the remote: entries are stored in the local directory alone (for
	// jobs whose output must not reach other runs, such as untrusted pull requests).
	ReadOnly bool
	// Queue bounds the entries waiting to be pushed (DefaultRemoteQueue when 0): Put blocks
	// while it is full, so memory stays bounded when the remote is slower than rendering.
	Queue int
	// Pushers is the number of entries pushed at once (DefaultRemotePushers when 0).
	Pushers int
	// Timeout bounds one fetch or push (DefaultRemoteTimeout when 0).
	Timeout time.Duration
	// Warn receives the warnings of the remote: at most one saying it failed (after which
	// the Store no longer uses it), one for the first entry that failed verification, one
	// for pushes Close abandoned. Nil discards them.
	Warn func(msg string)
}

// RemoteStats count what a Store did with its remote.
type RemoteStats struct {
	// Hits are entries fetched, verified and copied into the local directory.
	Hits int64
	// Misses are lookups the remote had no usable entry for (none, or one for other files).
	Misses int64
	// Rejected are fetched entries that failed verification and were ignored.
	Rejected int64
	// MemoHits are memos fetched, verified and copied into the local directory.
	MemoHits int64
	// Pushed are entries and memos stored in the remote.
	Pushed int64
	// Failed says the remote failed (unreachable, timed out, refused) and was abandoned for
	// the rest of the run.
	Failed bool
}

// remoteTier is the remote behind a Store: lookups fall through to it, and Puts are queued for
// pushers in the background. The first failure switches it off for the rest of the run.
type remoteTier struct {
	remote   Remote
	readOnly bool
	timeout  time.Duration
	warn     func(string)

	mu     sync.RWMutex // guards closed against sends on queue
	closed bool
	queue  chan pushJob
	done   chan struct{}

	down                   atomic.Bool
	downOnce, rejectOnce   sync.Once
	hits, misses, rejected atomic.Int64
	memoHits               atomic.Int64
	pushed, pending        atomic.Int64
}

// pushJob is one entry, or one memo, waiting to be pushed.
type pushJob struct {
	// key is the entry's key or the memo's id.
	key    string
	bundle Bundle
	// memo is the memo file; nil for an entry.
	memo []byte
}

// WithRemote returns a Store over the same directory that falls back to o.Remote on a local
// miss and pushes what Put stores to it in the background (unless o.ReadOnly). Call Close
// when the run ends to wait for the pushes.
func (s *Store) WithRemote(o RemoteOptions) *Store {
	if o.Queue <= 0 {
		o.Queue = DefaultRemoteQueue
	}
	if o.Pushers <= 0 {
		o.Pushers = DefaultRemotePushers
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultRemoteTimeout
	}
	if o.Warn == nil {
		o.Warn = func(string) {}
	}
	t := &remoteTier{remote: o.Remote, readOnly: o.ReadOnly, timeout: o.Timeout, warn: o.Warn, done: make(chan struct{})}
	if o.ReadOnly {
		close(t.done)
	} else {
		t.queue = make(chan pushJob, o.Queue)
		var wg sync.WaitGroup
		for range o.Pushers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				t.pushAll()
			}()
		}
		go func() {
			wg.Wait()
			close(t.done)
		}()
	}
	c := *s
	c.remote = t
	return &c
}

// Close waits until every queued entry is pushed or ctx ends, whichever comes first; pushes
// still pending then are abandoned with a warning. A Store without a remote has nothing to
// wait for. Close is safe to call more than once; Put after Close stores locally only.
func (s *Store) Close(ctx context.Context) {
	t := s.remote
	if t == nil {
		return
	}
	t.mu.Lock()
	if !t.closed {
		t.closed = true
		if t.queue != nil {
			close(t.queue)
		}
	}
	t.mu.Unlock()
	select {
	case <-t.done:
	case <-ctx.Done():
		if n := t.pending.Load(); n > 0 {
			t.warn(fmt.Sprintf("remote render cache %s: %d entries not pushed (%v)", t.remote, n, context.Cause(ctx)))
		}
	}
}

// RemoteStats returns what the Store did with its remote so far (zero without one).
func (s *Store) RemoteStats() RemoteStats {
	t := s.remote
	if t == nil {
		return RemoteStats{}
	}
	return RemoteStats{Hits: t.hits.Load(), Misses: t.misses.Load(), Rejected: t.rejected.Load(), MemoHits: t.memoHits.Load(), Pushed: t.pushed.Load(), Failed: t.down.Load()}
}

// fetchRemote looks k up in the remote. A bundle is used only when it is whole and exact: its
// record is intact (format, checksum) and belongs to k, the output matches the sha256 and size
// the record names, and the files the record lists have that content in the repository at
// root. A used bundle is copied into the local directory.
func (s *Store) fetchRemote(k Key, root string) (Entry, bool) {
	t := s.remote
	if t.down.Load() {
		return Entry{}, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.timeout)
	defer cancel()
	b, found, err := t.remote.Fetch(ctx, k.id)
	switch {
	case errors.Is(err, ErrCorruptRemote):
		t.reject(k.id, err.Error())
		return Entry{}, false
	case err != nil:
		t.fail(err)
		return Entry{}, false
	case !found:
		t.misses.Add(1)
		return Entry{}, false
	}
	rec, ok := decodeRecord(b.Record, k.id)
	if !ok {
		t.reject(k.id, "the record is damaged or belongs to another key")
		return Entry{}, false
	}
	if sha256Hex(b.Output) != rec.Output || int64(len(b.Output)) != rec.Size || checksum(b.Output) != rec.CRC32C {
		t.reject(k.id, "the output does not match the sha256 its record names")
		return Entry{}, false
	}
	if s.stillExact(rec, root) != "" {
		// An entry of the same inputs for other file contents (another branch): not ours,
		// and not worth replacing the local entry with.
		t.misses.Add(1)
		return Entry{}, false
	}
	// Copy it into the local directory, the blob first so that the record never names a
	// missing blob. A failed copy only costs the next run another fetch.
	if writeAtomic(s.blobPath(rec.Output), b.Output) == nil {
		_ = writeAtomic(s.entryPath(k.id), b.Record)
	}
	t.hits.Add(1)
	return Entry{Output: b.Output, Reads: rec.Reads, Misses: rec.Misses, Trace: rec.Trace}, true
}

// fetchRemoteMemo looks the memo id up in the remote. A memo is used only when its format and
// CRC-32C are intact (and, in a registry, its blob matches its digest); it is then copied into
// the local directory.
func (s *Store) fetchRemoteMemo(id string) ([]byte, bool) {
	t := s.remote
	if t.down.Load() {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.timeout)
	defer cancel()
	raw, found, err := t.remote.FetchMemo(ctx, id)
	switch {
	case errors.Is(err, ErrCorruptRemote):
		t.reject("memo "+id, err.Error())
		return nil, false
	case err != nil:
		t.fail(err)
		return nil, false
	case !found:
		return nil, false
	}
	data, ok := decodeMemo(raw)
	if !ok {
		t.reject("memo "+id, "its checksum does not match")
		return nil, false
	}
	_ = writeAtomic(s.memoPathOf(id), raw)
	t.memoHits.Add(1)
	return data, true
}

// pushRemote queues an entry Put stored, or a memo PutMemo stored, for the pushers. It blocks
// while the queue is full.
func (s *Store) pushRemote(job pushJob) {
	t := s.remote
	if t == nil || t.readOnly || t.down.Load() {
		return
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.closed {
		return
	}
	t.pending.Add(1)
	t.queue <- job
}

// pushAll pushes queued entries until the queue is closed; once the remote failed, it only
// drains the queue.
func (t *remoteTier) pushAll() {
	for job := range t.queue {
		if !t.down.Load() {
			ctx, cancel := context.WithTimeout(context.Background(), t.timeout)
			var err error
			if job.memo != nil {
				err = t.remote.PushMemo(ctx, job.key, job.memo)
			} else {
				err = t.remote.Push(ctx, job.key, job.bundle)
			}
			cancel()
			if err != nil {
				t.fail(err)
			} else {
				t.pushed.Add(1)
			}
		}
		t.pending.Add(-1)
	}
}

// fail switches the remote off for the rest of the run, warning once.
func (t *remoteTier) fail(err error) {
	t.down.Store(true)
	t.downOnce.Do(func() {
		t.warn(fmt.Sprintf("remote render cache %s failed, continuing without it: %v", t.remote, err))
	})
}

// reject counts an entry that failed verification, warning for the first one.
func (t *remoteTier) reject(key, why string) {
	t.rejected.Add(1)
	t.rejectOnce.Do(func() {
		t.warn(fmt.Sprintf("remote render cache %s: entry %s failed verification and was ignored (%s); rendering it instead", t.remote, key, why))
	})
}
