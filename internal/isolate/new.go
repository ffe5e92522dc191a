package isolate

import (
	"fmt"
	"os"

	"github.com/kforge/kforge/internal/jsonnet"
)

// New returns the evaluator cfg asks for: with cfg.InProcess a [Local] evaluator under
// cfg.Limits (it cannot stop an evaluation and does not bound memory), else a [Pool] of worker
// processes. An empty cfg.Executable means this program (os.Executable), whose cfg.Args must
// then name its worker command.
func New(cfg Config) (jsonnet.Evaluator, error) {
	if cfg.InProcess {
		return Local{Limits: cfg.Limits, Eval: jsonnet.NewInProcess()}, nil
	}
	if cfg.Executable == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find the kforge executable to run evaluation workers (or pass --isolate=false): %w", err)
		}
		cfg.Executable = exe
	}
	return NewPool(cfg), nil
}
