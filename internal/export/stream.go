package export

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"

	"github.com/kforge/kforge/internal/golden"
)

// Stream exports files handed in batches (one environment's at a time) while later ones are
// still being produced: the same files, names, errors and guarantees as one [Export] call over
// all of them, without holding every file until the end.
//
// When the export directory is missing or empty and neither Replace nor a merge strategy is
// asked for (the usual cold export), each batch is named and written into the staging directory
// at once by a goroutine of its own, so writing overlaps with rendering, and [Stream.Finish]
// only adds manifest.json, makes the tree durable and swaps it in. The lock of the directory's
// parent is then held from [NewStream] until Finish or Discard returns; when another run holds
// it, the stream does not wait but falls back to the other case. In every other case the files
// are kept and Finish calls Export.
type Stream struct {
	dir  string
	opts Options
	// files are kept for Export when the directory cannot be streamed into.
	files []File
	// w writes the files when streaming; nil otherwise.
	w *streamWriter
}

// streamWriter names, validates and writes batches on its own goroutine.
type streamWriter struct {
	abs     string
	exists  bool
	release func()
	staging *golden.Staging
	nt      *nameTemplate
	valid   *golden.Validator
	batches chan []File
	done    chan struct{}
	// discarded tells the goroutine to stop writing: the export is abandoned.
	discarded atomic.Bool
	// Written by the goroutine, read after done is closed.
	index   map[string]string
	written []string
	// nameErr is the first naming error, validErr the first invalid path, writeErr the first
	// failed write: Export reports them in that order of precedence.
	nameErr, validErr, writeErr error
}

// NewStream starts an export into dir with opts (see Export).
func NewStream(dir string, opts Options) *Stream {
	s := &Stream{dir: dir, opts: opts}
	if opts.Replace || opts.Merge != MergeNone {
		return s
	}
	s.w = startWriter(dir, opts)
	return s
}

// startWriter prepares the staging directory of an export into dir and starts the goroutine
// that writes into it, or returns nil when the export cannot be streamed (dir is not empty) or
// preparing failed: Export then reports what is wrong after the files were produced, as it
// always did.
func startWriter(dir string, opts Options) *streamWriter {
	nt, err := newNameTemplate(opts.Format, opts.Extension)
	if err != nil {
		return nil
	}
	abs, err := exportDir(dir)
	if err != nil {
		return nil
	}
	parent, name := filepath.Dir(abs), filepath.Base(abs)
	if err := os.MkdirAll(parent, golden.DirMode); err != nil {
		return nil
	}
	// Streaming holds the lock while the environments render, so it never waits for it: when
	// another run holds it (an export or golden update beside this one), the files are kept and
	// Export takes the lock at the end, as without streaming.
	release, err := golden.TryLock(parent)
	if err != nil {
		return nil
	}
	if golden.RecoverLeftovers(parent, name) != nil {
		release()
		return nil
	}
	exists, empty, err := dirState(abs)
	if err != nil || !empty {
		release()
		return nil
	}
	staging, err := golden.Stage(parent, name)
	if err != nil {
		release()
		return nil
	}
	w := &streamWriter{
		abs: abs, exists: exists, release: release, staging: staging, nt: nt,
		valid: golden.NewValidator(), batches: make(chan []File, 64), done: make(chan struct{}),
		index: map[string]string{},
	}
	go w.run()
	return w
}

// Add hands in the next batch of files. It does not wait for them to be written.
func (s *Stream) Add(files []File) {
	if s.w == nil {
		s.files = append(s.files, files...)
		return
	}
	s.w.batches <- files
}

// Discard ends the export without writing anything: the staging directory is removed and the
// lock released.
func (s *Stream) Discard() {
	if s.w == nil {
		return
	}
	s.w.discarded.Store(true)
	s.w.stop()
	_ = s.w.staging.Discard()
	s.w.release()
}

// Finish completes the export; envs are the entrypoints of every exported environment
// (Options.Envs). It returns what Export would have returned for all the files added.
func (s *Stream) Finish(envs []string) (Result, error) {
	s.opts.Envs = envs
	if s.w == nil {
		return Export(s.dir, s.files, s.opts)
	}
	w := s.w
	w.stop()
	defer w.release()
	var res Result
	fail := func(err error) (Result, error) {
		_ = w.staging.Discard()
		return res, fmt.Errorf("export into %s: %w", s.dir, err)
	}
	switch {
	case w.nameErr != nil:
		return fail(w.nameErr)
	case w.validErr != nil:
		return fail(w.validErr)
	case w.writeErr != nil:
		return fail(w.writeErr)
	}
	if s.opts.Manifest && len(w.index) > 0 {
		content, err := json.MarshalIndent(w.index, "", "    ")
		if err != nil {
			return fail(fmt.Errorf("encode %s: %w", manifestFile, err))
		}
		if err := w.staging.Write(golden.File{Path: manifestFile, Content: content}); err != nil {
			return fail(err)
		}
		w.written = append(w.written, manifestFile)
	}
	if err := w.staging.Commit(w.exists); err != nil {
		return res, fmt.Errorf("export into %s: %w", s.dir, err)
	}
	res.Written = w.written
	sort.Strings(res.Written)
	return res, nil
}

// stop waits until every batch handed in is written.
func (w *streamWriter) stop() {
	close(w.batches)
	<-w.done
}

// run names and writes batches until the channel closes. After the first error nothing more is
// written, but files are still named: a naming error of a later file takes precedence over an
// invalid path or a failed write, as in Export.
func (w *streamWriter) run() {
	defer close(w.done)
	for files := range w.batches {
		if w.discarded.Load() {
			continue
		}
		for _, f := range files {
			if w.nameErr != nil {
				continue
			}
			p, err := w.nt.name(f.Object, f.Env, f.Resource)
			if err == nil && p == manifestFile {
				err = &golden.PathError{Path: p, Resource: f.Resource, Reason: "reserved for the export index"}
			}
			if err != nil {
				w.nameErr = err
				continue
			}
			w.index[p] = f.Entrypoint
			if w.validErr != nil || w.writeErr != nil {
				continue
			}
			gf := golden.File{Path: p, Content: f.Content, Resource: f.Resource}
			if err := w.valid.Add(gf); err != nil {
				w.validErr = err
				continue
			}
			if err := w.staging.Write(gf); err != nil {
				w.writeErr = err
				continue
			}
			w.written = append(w.written, p)
		}
	}
}
