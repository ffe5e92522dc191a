package cli

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/isolate"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/project"
)

// limitFlags bound each environment: evaluation time, output size and memory, policy time, and
// whether evaluations run in worker processes (the only way the time and memory limits can stop
// an evaluation). A zero value takes kforge.yaml's `limits`, so the zero limitFlags (commands
// that build their options without flags, such as argocd-plugin) means the configured limits,
// isolated.
type limitFlags struct {
	// evalTimeout overrides limits.evalTimeout.
	evalTimeout time.Duration
	// policyTimeout overrides limits.policyTimeout.
	policyTimeout time.Duration
	// maxOutputBytes overrides limits.maxOutputBytes.
	maxOutputBytes byteSize
	// maxMemory overrides limits.maxMemory.
	maxMemory byteSize
	// parseYAMLMaxBytes overrides limits.parseYamlMaxBytes.
	parseYAMLMaxBytes byteSize
	// parseYAMLMaxNodes overrides limits.parseYamlMaxNodes.
	parseYAMLMaxNodes int
	// inProcess evaluates in this process (--isolate=false).
	inProcess bool
}

func (f *limitFlags) addFlags(fs *pflag.FlagSet) {
	fs.DurationVar(&f.evalTimeout, "eval-timeout", 0, "stop an environment's evaluation after this long (default: kforge.yaml limits.evalTimeout, else 2m)")
	fs.DurationVar(&f.policyTimeout, "policy-timeout", 0, "stop an environment's policy evaluation after this long (default: kforge.yaml limits.policyTimeout, else 1m)")
	fs.Var(&f.maxOutputBytes, "max-output-bytes", "largest evaluated JSON per environment, e.g. 64Mi (default: kforge.yaml limits.maxOutputBytes, else 128Mi)")
	fs.Var(&f.maxMemory, "max-memory", "memory an environment's evaluation may use, e.g. 512Mi (default: kforge.yaml limits.maxMemory, else 2Gi; needs --isolate)")
	fs.Var(&f.parseYAMLMaxBytes, "parse-yaml-max-bytes", "largest text one std.native('parseYaml') call accepts, e.g. 4Mi (default: kforge.yaml limits.parseYamlMaxBytes, else 16Mi)")
	fs.IntVar(&f.parseYAMLMaxNodes, "parse-yaml-max-nodes", 0, "most YAML nodes one parseYaml call may produce, aliases expanded (default: kforge.yaml limits.parseYamlMaxNodes, else 1000000)")
	iso := fs.VarPF(isolateValue{&f.inProcess}, "isolate", "", "evaluate environments in worker processes, so --eval-timeout and --max-memory can stop a runaway one")
	iso.NoOptDefVal = "true"
	iso.DefValue = "true"
}

// apply overrides l with the limits given on the command line.
func (f *limitFlags) apply(l *project.Limits) error {
	switch {
	case f.evalTimeout < 0:
		return usageErrorf("--eval-timeout must not be negative, got %s", f.evalTimeout)
	case f.policyTimeout < 0:
		return usageErrorf("--policy-timeout must not be negative, got %s", f.policyTimeout)
	case f.parseYAMLMaxNodes < 0:
		return usageErrorf("--parse-yaml-max-nodes must not be negative, got %d", f.parseYAMLMaxNodes)
	}
	*l = l.Override(project.Limits{EvalTimeout: f.evalTimeout, PolicyTimeout: f.policyTimeout,
		MaxOutputBytes: int64(f.maxOutputBytes), MaxMemory: int64(f.maxMemory),
		ParseYAMLMaxBytes: int64(f.parseYAMLMaxBytes), ParseYAMLMaxNodes: int64(f.parseYAMLMaxNodes)})
	return nil
}

// evaluator returns the evaluator enforcing l: a pool of up to parallel kforge worker processes
// (0: one per core), or with --isolate=false the in-process evaluator.
func (f *limitFlags) evaluator(streams IOStreams, l project.Limits, parallel int) (jsonnet.Evaluator, error) {
	// Args[0] is "kforge" whatever the executable is called: tests dispatch on it.
	return isolate.New(isolate.Config{
		Args:      []string{"kforge", workerCommand},
		Env:       isolate.WorkerEnv(streams.environ()),
		Size:      parallel,
		Limits:    isolate.Limits{EvalTimeout: l.EvalTimeout, MaxOutputBytes: l.MaxOutputBytes, MaxMemory: l.MaxMemory},
		InProcess: f.inProcess,
	})
}

// isolateValue is the --isolate flag, stored inverted so the zero limitFlags isolates.
type isolateValue struct{ inProcess *bool }

func (v isolateValue) String() string {
	if v.inProcess == nil {
		return "true"
	}
	return strconv.FormatBool(!*v.inProcess)
}

// Set parses s as a boolean (pflag.Value) and stores its inverse, so --isolate=false runs in process.
func (v isolateValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("expected true or false, got %q", s)
	}
	*v.inProcess = !b
	return nil
}

// Type reports "bool" (pflag.Value), so help shows --isolate like any other boolean flag.
func (v isolateValue) Type() string { return "bool" }

// byteSize is a flag holding a number of bytes: 1048576, 64Ki, 64KiB, 512Mi, 2Gi, 1G (10^9).
type byteSize int64

func (b *byteSize) String() string {
	if *b == 0 {
		return ""
	}
	return strconv.FormatInt(int64(*b), 10)
}

// Set parses s with project.ParseByteSize (pflag.Value), so the flag accepts units such as 64Mi or 1G.
func (b *byteSize) Set(s string) error {
	n, err := project.ParseByteSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

// Type names the flag's value type in help output (pflag.Value).
func (b *byteSize) Type() string { return "bytes" }
