package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/jsonnet"
)

// EvaluatePath evaluates any Jsonnet file of the repository the way `tk eval <path>` does:
// pathArg is a file or a directory (its main.jsonnet), resolved to a base and an entrypoint as
// for environments. When the base holds spec.json the file is evaluated as that static
// environment (`import 'tk'` bound); otherwise with the base's import path and no `import 'tk'`,
// whatever the file is (a library, an inline environment's main.jsonnet). expr, when not empty,
// is evaluated against the file's value bound to main (EvaluateExpression).
func (r *Renderer) EvaluatePath(ctx context.Context, pathArg, expr string) (jsonnet.Result, error) {
	base, entry, err := r.project.Entrypoint(pathArg)
	if err != nil {
		return jsonnet.Result{}, err
	}
	env := environment.Environment{Name: entry, Dir: base, Entrypoint: entry, Inline: true}
	if _, err := os.Stat(r.project.Abs(path.Join(base, environment.SpecFile))); err == nil {
		envs, err := r.Load(ctx, r.project.Abs(entry))
		if err != nil {
			return jsonnet.Result{}, err
		}
		env = envs[0]
	} else if !errors.Is(err, fs.ErrNotExist) {
		return jsonnet.Result{}, fmt.Errorf("eval %s: %w", entry, err)
	}
	if expr == "" {
		return r.evaluator.Evaluate(ctx, r.EvalOptions(env), entry, "")
	}
	return r.EvaluateExpression(ctx, env, expr)
}

// TankaJSON re-prints evaluated JSON the way `tk eval` prints it: decoded into Go values (so
// object keys sorted and numbers as float64, which Go prints without an exponent below 1e21)
// and encoded with two-space indentation and Go's escaping of <, > and & (\u003c), without a
// final newline.
func TankaJSON(raw string) ([]byte, error) {
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return nil, fmt.Errorf("decode evaluated JSON: %w", err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode JSON: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
