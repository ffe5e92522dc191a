package policy

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"reflect"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
)

// BuiltinPrefix starts the file names of the built-in pack's modules ("(builtin)/canary/canary.rego")
// in rules, findings and errors: they are not files of the repository.
const BuiltinPrefix = "(builtin)"

// IsBuiltin reports whether a rule's or finding's file belongs to the built-in pack.
func IsBuiltin(file string) bool {
	return strings.HasPrefix(file, BuiltinPrefix+"/")
}

// prefixFS shows fsys below the directory prefix, so that the loader names the pack's files
// (BuiltinPrefix)/<package>/<file>.
type prefixFS struct {
	prefix string
	fsys   fs.FS
}

// Open implements fs.FS: the prefix itself is the pack's root.
func (p prefixFS) Open(name string) (fs.File, error) {
	if name == p.prefix {
		return p.fsys.Open(".")
	}
	rest, ok := strings.CutPrefix(name, p.prefix+"/")
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return p.fsys.Open(rest)
}

// loadBuiltin parses the built-in pack (its tests left out) and returns its modules and data.
func (e *Engine) loadBuiltin(pack fs.FS, caps *ast.Capabilities) (map[string]*ast.Module, map[string]any, error) {
	result, err := loader.NewFileLoader().
		WithFS(prefixFS{prefix: BuiltinPrefix, fsys: pack}).
		WithProcessAnnotation(true).
		WithRegoVersion(ast.RegoV1).
		WithCapabilities(caps).
		Filtered([]string{BuiltinPrefix}, func(abspath string, info os.FileInfo, depth int) bool {
			return policyFileFilter(abspath, info, depth) || strings.HasSuffix(info.Name(), "_test.rego")
		})
	if err != nil {
		return nil, nil, fmt.Errorf("load the built-in policies: %w", err)
	}
	return result.ParsedModules(), result.Documents, nil
}

// sharesPackage reports whether a module of mine declares a package of theirs: a repository
// that carries its own copy (or fork) of the built-in pack replaces it.
func sharesPackage(mine, theirs map[string]*ast.Module) bool {
	pkgs := map[string]bool{}
	for _, m := range theirs {
		pkgs[m.Package.Path.String()] = true
	}
	for _, m := range mine {
		if pkgs[m.Package.Path.String()] {
			return true
		}
	}
	return false
}

// mergeDocuments adds the built-in pack's data to the loaded data, object by object; a value
// both define differently is an error naming its path.
func mergeDocuments(docs, builtin map[string]any) (map[string]any, error) {
	out := maps.Clone(docs)
	if out == nil {
		out = map[string]any{}
	}
	if err := mergeInto(out, builtin, "data"); err != nil {
		return nil, err
	}
	return out, nil
}

func mergeInto(dst, src map[string]any, at string) error {
	for k, v := range src {
		here := at + "." + k
		cur, dup := dst[k]
		if !dup {
			dst[k] = v
			continue
		}
		cm, curIsMap := cur.(map[string]any)
		vm, vIsMap := v.(map[string]any)
		if curIsMap && vIsMap {
			merged := maps.Clone(cm)
			if err := mergeInto(merged, vm, here); err != nil {
				return err
			}
			dst[k] = merged
			continue
		}
		if !reflect.DeepEqual(cur, v) {
			return &Error{Kind: KindLoad, Message: fmt.Sprintf("%s is defined both by the policy data files and by the built-in policies; turn the built-in pack off (kforge.yaml policy.builtin: false) or rename the key", here)}
		}
	}
	return nil
}
