package pipeline

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"path"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/jsonnet"
)

// Memo stores results computed deterministically from an evaluation's output, so that an
// unchanged environment skips extraction and YAML encoding as well as evaluation
// (cache.Store implements it).
type Memo interface {
	GetMemo(output []byte, name string) ([]byte, bool, error)
	PutMemo(output []byte, name string, data []byte) error
}

// MemoEvaluator is an evaluator that can serve a memo of a cached evaluation without producing
// the evaluation's output (cache.CachingEvaluator): when the evaluation of filename with opts is
// cached and Memo holds name for its output, it passes the memo's data to use and, when use
// accepts it, returns the evaluation's reads and true. Files uses it first on a warm run, so
// that the evaluated JSON is neither read nor hashed.
type MemoEvaluator interface {
	CachedMemo(opts jsonnet.Options, filename, name string, use func(data []byte) bool) ([]jsonnet.FileRead, bool)
}

// filesMemo names the memo of Files: the golden files and the extraction's warnings, encoded by
// encodeFilesMemo.
const filesMemo = "golden-files/v4"

// Files renders env into the files of its golden directory: one canonical YAML file per
// resource, named by manifest.FileNames. With a memo, files already encoded for the same output,
// settings and key are served from it; when the evaluator is a MemoEvaluator, an unchanged
// environment's files come straight from the memo without the evaluated JSON being read.
func (r *Renderer) Files(ctx context.Context, env environment.Environment) ([]golden.File, error) {
	// The warnings of the extraction are memoized with the files, so a warm run warns as a cold
	// one does.
	var files []golden.File
	var warnings []string
	decode := func(data []byte) bool {
		var ok bool
		files, warnings, ok = decodeFilesMemo(data)
		return ok
	}
	if me, ok := r.evaluator.(MemoEvaluator); ok && r.memo != nil && !env.Inline {
		name, err := r.memoName(filesMemo, env)
		if err != nil {
			return nil, err
		}
		if _, ok := me.CachedMemo(r.staticOptions(env), env.Entrypoint, name, decode); ok {
			return r.servedFiles(files, warnings), nil
		}
	}
	res, err := r.Evaluate(ctx, env)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", env.Name, err)
	}
	// The extraction reads the output text itself (its strings share it); only a memo key needs
	// the bytes.
	output := res.JSON
	err = memoize(r, output, filesMemo, env, decode,
		func() ([]byte, error) { return encodeFilesMemo(files, warnings), nil },
		func() error {
			ms, w, err := r.extract(env, output)
			if err != nil {
				return err
			}
			warnings = w
			files, err = GoldenFiles(ms)
			if err != nil {
				return fmt.Errorf("render %s: %w", env.Name, err)
			}
			return nil
		})
	if err != nil {
		r.warnOnce(warnings)
		return files, err
	}
	return r.servedFiles(files, warnings), nil
}

// servedFiles gives the warnings of an environment's extraction and returns its files; files
// that may come from the memo were not filtered in this run, so they count as matches of the
// target filters.
func (r *Renderer) servedFiles(files []golden.File, warnings []string) []golden.File {
	r.warnOnce(warnings)
	if !r.targets.Empty() {
		for _, f := range files {
			r.targets.MatchKindName(f.Kind + "/" + path.Base(f.Resource))
		}
	}
	return files
}

// Memoize fills *result from r's memo when the same computation (what, under the memo key and
// env's extraction settings) already ran on output, else runs compute, which fills *result, and
// stores it. Without a memo it just runs compute. result must survive a gob round trip (gob
// rather than JSON, which would carry the bytes of golden files as base64 text and is slower to
// decode on the warm path).
func Memoize[T any, O string | []byte](r *Renderer, output O, what string, env environment.Environment, result *T, compute func() error) error {
	return memoize(r, output, what, env,
		func(data []byte) bool { return gob.NewDecoder(bytes.NewReader(data)).Decode(result) == nil },
		func() ([]byte, error) {
			var data bytes.Buffer
			err := gob.NewEncoder(&data).Encode(result)
			return data.Bytes(), err
		},
		compute)
}

// memoize is Memoize with the encoding given: decode fills the result from a memo's data and
// says whether it could, encode returns the data of the result compute filled.
func memoize[O string | []byte](r *Renderer, output O, what string, env environment.Environment,
	decode func([]byte) bool, encode func() ([]byte, error), compute func() error,
) error {
	name := ""
	var key []byte
	if r.memo != nil {
		var err error
		if name, err = r.memoName(what, env); err != nil {
			return err
		}
		key = []byte(output)
		if data, ok, _ := r.memo.GetMemo(key, name); ok && decode(data) {
			return nil
		}
	}
	if err := compute(); err != nil {
		return err
	}
	if name != "" {
		if data, err := encode(); err == nil {
			// A memo that cannot be stored only costs the next run the computation.
			_ = r.memo.PutMemo(key, name, data)
		}
	}
	return nil
}

// memoName is the name of the memo of what for env: it holds the memo key (the kforge build and
// the target filters) and env's extraction settings, the other inputs of the computation.
func (r *Renderer) memoName(what string, env environment.Environment) (string, error) {
	settings, err := json.Marshal(Settings(env))
	if err != nil {
		return "", fmt.Errorf("render %s: encode settings: %w", env.Name, err)
	}
	return what + " " + r.memoKey + " " + string(settings), nil
}
