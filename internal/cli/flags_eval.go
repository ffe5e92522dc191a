package cli

import (
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/jsonnet"
)

// evalFlags are the Jsonnet evaluation flags shared by every command that renders: Tanka's ext
// var and top-level argument flags and --max-stack.
type evalFlags struct {
	// extStr, extCode, ... hold the raw flag values in command-line order.
	extStr, extCode, extStrFile, extCodeFile []string
	tlaStr, tlaCode, tlaStrFile, tlaCodeFile []string
	// maxStack is the Jsonnet stack depth limit; 0 takes kforge.yaml's value.
	maxStack int
	// goJsonnet evaluates with go-jsonnet alone (jsonnet.Options.DisableInterp).
	goJsonnet bool
}

func (f *evalFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVarP(&f.extStr, "ext-str", "V", nil, "set an external string variable: name=value, or name to read $name")
	fs.StringArrayVar(&f.extCode, "ext-code", nil, "set an external variable to Jsonnet code: name=code")
	fs.StringArrayVar(&f.extStrFile, "ext-str-file", nil, "set an external string variable from a file: name=path")
	fs.StringArrayVar(&f.extCodeFile, "ext-code-file", nil, "set an external variable to the Jsonnet code in a file: name=path")
	fs.StringArrayVarP(&f.tlaStr, "tla-str", "A", nil, "set a top-level string argument: name=value, or name to read $name")
	fs.StringArrayVar(&f.tlaCode, "tla-code", nil, "set a top-level argument to Jsonnet code: name=code")
	fs.StringArrayVar(&f.tlaStrFile, "tla-str-file", nil, "set a top-level string argument from a file: name=path")
	fs.StringArrayVar(&f.tlaCodeFile, "tla-code-file", nil, "set a top-level argument to the Jsonnet code in a file: name=path")
	fs.IntVar(&f.maxStack, "max-stack", 0, "maximum Jsonnet stack depth (default from kforge.yaml, else 500)")
	fs.BoolVar(&f.goJsonnet, "go-jsonnet", false, "evaluate with go-jsonnet alone instead of kforge's own evaluator (same output, slower; to rule kforge's evaluator out)")
}

// apply parses the flag values into opts, whose Root must be set. lookupEnv resolves bare -V/-A
// names; workDir resolves relative file paths of the *-file flags, as Tanka does.
func (f *evalFlags) apply(opts *jsonnet.Options, lookupEnv func(string) (string, bool), workDir string) error {
	vars := []struct {
		kind  jsonnet.VarKind
		specs []string
		file  bool
	}{
		{jsonnet.VarExtStr, f.extStr, false}, {jsonnet.VarExtCode, f.extCode, false},
		{jsonnet.VarTLAStr, f.tlaStr, false}, {jsonnet.VarTLACode, f.tlaCode, false},
		{jsonnet.VarExtStr, f.extStrFile, true}, {jsonnet.VarExtCode, f.extCodeFile, true},
		{jsonnet.VarTLAStr, f.tlaStrFile, true}, {jsonnet.VarTLACode, f.tlaCodeFile, true},
	}
	for _, v := range vars {
		for _, spec := range v.specs {
			var err error
			if !v.file {
				err = opts.ParseVar(v.kind, spec, lookupEnv)
			} else {
				if name, file, ok := strings.Cut(spec, "="); ok && !filepath.IsAbs(file) {
					spec = name + "=" + filepath.Join(workDir, file)
				}
				err = opts.ParseVarFile(v.kind, spec)
			}
			if err != nil {
				return usageErrorf("%w", err)
			}
		}
	}
	if f.maxStack > 0 {
		opts.MaxStack = f.maxStack
	}
	opts.DisableInterp = f.goJsonnet
	return nil
}
