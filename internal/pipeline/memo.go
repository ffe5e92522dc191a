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
)

// Memo stores results computed deterministically from an evaluation's output, so that an
// unchanged environment skips extraction and YAML encoding as well as evaluation
// (cache.Store implements it).
type Memo interface {
	GetMemo(output []byte, name string) ([]byte, bool, error)
	PutMemo(output []byte, name string, data []byte) error
}

// Files renders env into the files of its golden directory: one canonical YAML file per
// resource, named by manifest.FileNames. With a memo, files already encoded for the same output,
// settings and key are served from it.
func (r *Renderer) Files(ctx context.Context, env environment.Environment) ([]golden.File, error) {
	res, err := r.Evaluate(ctx, env)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", env.Name, err)
	}
	// The warnings of the extraction are memoized with the files, so a warm run warns as a cold
	// one does.
	var memo struct {
		Files    []golden.File
		Warnings []string
	}
	// One copy of the output serves as the memo's key and the extraction's input (each
	// conversion would copy all of it: 17 MB for kube-prometheus).
	output := []byte(res.JSON)
	err = Memoize(r, output, "golden-files/v3", env, &memo, func() error {
		ms, warnings, err := r.extract(env, output)
		if err != nil {
			return err
		}
		memo.Warnings = warnings
		memo.Files, err = GoldenFiles(ms)
		if err != nil {
			return fmt.Errorf("render %s: %w", env.Name, err)
		}
		return nil
	})
	files := memo.Files
	r.warnOnce(memo.Warnings)
	if err == nil && !r.targets.Empty() {
		// Files served from the memo were not filtered in this run: count them as matches.
		for _, f := range files {
			r.targets.MatchKindName(f.Kind + "/" + path.Base(f.Resource))
		}
	}
	return files, err
}

// Memoize fills *result from r's memo when the same computation (what, under the memo key and
// env's extraction settings) already ran on output, else runs compute, which fills *result, and
// stores it. Without a memo it just runs compute. result must survive a gob round trip (gob
// rather than JSON, which would carry the bytes of golden files as base64 text and is slower to
// decode on the warm path).
func Memoize[T any](r *Renderer, output []byte, what string, env environment.Environment, result *T, compute func() error) error {
	name := ""
	if r.memo != nil {
		settings, err := json.Marshal(Settings(env))
		if err != nil {
			return fmt.Errorf("render %s: encode settings: %w", env.Name, err)
		}
		name = what + " " + r.memoKey + " " + string(settings)
		if data, ok, _ := r.memo.GetMemo(output, name); ok && gob.NewDecoder(bytes.NewReader(data)).Decode(result) == nil {
			return nil
		}
	}
	if err := compute(); err != nil {
		return err
	}
	if name != "" {
		var data bytes.Buffer
		if err := gob.NewEncoder(&data).Encode(result); err == nil {
			// A memo that cannot be stored only costs the next run the computation.
			_ = r.memo.PutMemo(output, name, data.Bytes())
		}
	}
	return nil
}
