package affected

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"syscall"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
	"github.com/google/go-jsonnet/formatter"

	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/jsonnet"
)

// Scanner lists the import paths of Jsonnet files and turns them into the paths an import
// search probes without finding anything (misses). It remembers the imports of every file
// content it parsed, by sha256, so files shared by many environments are parsed once. A
// Scanner is safe for concurrent use.
type Scanner struct {
	mu      sync.Mutex
	imports map[[sha256.Size]byte][]string
	// strings holds the string literals of the files chartReads looked at, by content.
	strings map[[sha256.Size]byte][]string
}

// NewScanner returns an empty Scanner.
func NewScanner() *Scanner {
	return &Scanner{imports: make(map[[sha256.Size]byte][]string), strings: make(map[[sha256.Size]byte][]string)}
}

// Imports returns the literal paths of every import, importstr and importbin in src (the
// content of the repository-relative file name), in source order without duplicates. Jsonnet
// allows only string literals after import, so the list is complete, including imports in
// branches an evaluation does not take. Content that does not parse as Jsonnet (a YAML file
// read with importstr) has no imports. The result is shared: do not modify it.
func (s *Scanner) Imports(name string, src []byte) []string {
	sum := sha256.Sum256(src)
	s.mu.Lock()
	imps, ok := s.imports[sum]
	s.mu.Unlock()
	if ok {
		return imps
	}
	imps = parseImports(name, src)
	s.mu.Lock()
	s.imports[sum] = imps
	s.mu.Unlock()
	return imps
}

// parseImports parses src and collects its import paths.
func parseImports(name string, src []byte) []string {
	if !bytes.Contains(src, []byte("import")) {
		// Cheap exit for data files and leaf libraries: no keyword, no import.
		return nil
	}
	node, _, err := formatter.SnippetToRawAST(name, string(src))
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, lit := range collectImports(node) {
		v, ok := importPath(lit)
		if ok && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// collectImports returns the path literal of every import, importstr and importbin below
// node, in source order.
func collectImports(node ast.Node) []*ast.LiteralString {
	var out []*ast.LiteralString
	walkAST(node, func(n any) bool {
		switch n := n.(type) {
		case *ast.Import:
			out = append(out, n.File)
		case *ast.ImportStr:
			out = append(out, n.File)
		case *ast.ImportBin:
			out = append(out, n.File)
		default:
			return true
		}
		return false
	})
	return out
}

// walkAST calls visit with every pointer or interface value below node, in source order, and
// enters it when visit returns true. It walks every field of every node by reflection rather
// than with toolutils.Children, which skips the target of `x.y` in a raw AST and object-level
// asserts in a desugared one (so go-jsonnet's FindDependencies misses imports inside object
// asserts). Positions, comments and contexts hold no expressions and are not entered.
func walkAST(node ast.Node, visit func(n any) bool) {
	nodeBaseType := reflect.TypeFor[ast.NodeBase]()
	fodderType := reflect.TypeFor[ast.Fodder]()
	locType := reflect.TypeFor[ast.LocationRange]()
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			if v.IsNil() || !visit(v.Interface()) {
				return
			}
			walk(v.Elem())
		case reflect.Struct:
			if t := v.Type(); t == nodeBaseType || t == locType {
				return
			}
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			if v.Type() == fodderType {
				return
			}
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(node))
}

// importPath returns the value of an import's path literal. The raw AST keeps escape
// sequences of quoted strings as written; go-jsonnet's own parser decodes them.
func importPath(lit *ast.LiteralString) (string, bool) {
	if lit == nil {
		return "", false
	}
	if !strings.Contains(lit.Value, `\`) {
		return lit.Value, true
	}
	var quoted string
	switch lit.Kind {
	case ast.StringSingle:
		quoted = "'" + lit.Value + "'"
	case ast.StringDouble:
		quoted = `"` + lit.Value + `"`
	default:
		return lit.Value, true // verbatim strings have no escapes
	}
	n, err := gojsonnet.SnippetToAST("<import path>", quoted)
	if err != nil {
		return "", false
	}
	dec, ok := n.(*ast.LiteralString)
	if !ok {
		return "", false
	}
	return dec.Value, true
}

// Probe is the outcome of Scanner.Probe.
type Probe struct {
	// Files maps every given file, and every file reachable from the given files and code
	// through imports, to the lower-case hex sha256 of the content that was scanned ("" for a
	// given file that could not be read). A given directory listing (jsonnet.IsDirRead) maps
	// to jsonnet.DirListingSHA256 of its names.
	Files map[string]string
	// Misses are the repository-relative paths the import searches tried before the file
	// they found (or tried in vain), sorted: creating any of them can change what an import
	// resolves to.
	Misses []string
}

// Probe reads files (repository-relative, under root) and, for every import in them and in
// code (external variable and top-level argument code, which imports relative to the root),
// replays the import search of kforge's jsonnet package (jsonnet.SearchImport): the importing
// file's directory, then jpath in order, stopping at the first path that exists. Every path
// tried before that is a miss; the file found is scanned in turn, so Files is the static import
// closure of the input. The closure covers imports in branches an evaluation does not take,
// which makes a read set extended with it conservative, and complete even when the recorded
// reads are not. `import 'tk'` is virtual and probes nothing. The error is reserved for
// failures to probe a path.
func (s *Scanner) Probe(root string, jpath, files, code []string) (Probe, error) {
	jp := cleanPaths(jpath)
	p := Probe{Files: make(map[string]string, len(files))}
	misses := map[string]bool{}
	probed := map[string]bool{}
	var queue []string
	resolve := func(from string, imps []string) error {
		dir := path.Dir(from)
		for _, imp := range imps {
			if imp == jsonnet.TkImport {
				continue
			}
			found, err := search(root, dir, imp, jp, misses, probed)
			if err != nil {
				return err
			}
			if _, ok := p.Files[found]; found != "" && !ok {
				p.Files[found] = ""
				queue = append(queue, found)
			}
		}
		return nil
	}
	for _, f := range files {
		if jsonnet.IsDirRead(f) {
			// A directory listing a native function read (a Helm chart's): its names, no imports.
			d := jsonnet.DirRead(filepath.ToSlash(f))
			p.Files[d], _ = jsonnet.HashDirListing(filepath.Join(root, filepath.FromSlash(d)))
			continue
		}
		f = path.Clean(filepath.ToSlash(f))
		if _, ok := p.Files[f]; !ok {
			p.Files[f] = ""
			queue = append(queue, f)
		}
	}
	for i, c := range code {
		if err := resolve("", s.Imports(fmt.Sprintf("<code %d>", i), []byte(c))); err != nil {
			return Probe{}, err
		}
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			continue
		}
		sum := sha256.Sum256(data)
		p.Files[f] = hex.EncodeToString(sum[:])
		if err := resolve(f, s.Imports(f, data)); err != nil {
			return Probe{}, err
		}
	}
	p.Misses = make([]string, 0, len(misses))
	for m := range misses {
		p.Misses = append(p.Misses, m)
	}
	sort.Strings(p.Misses)
	return p, nil
}

// search replays one import with jsonnet.SearchImport. It adds the paths tried in vain to
// misses and returns the path found ("" when none is, or the sandbox refuses the import).
// probed memoises existence checks across calls.
func search(root, dir, imp string, jpath []string, misses, probed map[string]bool) (string, error) {
	found, _, err := jsonnet.SearchImport(dir, imp, jpath, func(cand string) (bool, error) {
		exists, known := probed[cand]
		if !known {
			var err error
			exists, err = pathExists(root, cand)
			if err != nil {
				return false, err
			}
			probed[cand] = exists
		}
		if !exists && misses != nil {
			misses[cand] = true
		}
		return exists, nil
	})
	var refused *jsonnet.Error
	if errors.As(err, &refused) {
		return "", nil // the sandbox refuses the import; nothing later is tried
	}
	return found, err
}

// pathExists reports whether the repository-relative p exists under root (following
// symlinks, as the importer does: a dangling symlink does not exist).
func pathExists(root, p string) (bool, error) {
	_, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return false, nil
	case errors.Is(err, fs.ErrPermission):
		// The importer fails on such a path; it is not a miss, and it ends the search.
		return true, nil
	default:
		return false, fmt.Errorf("probe %s: %w", p, fsutil.WithoutPath(err))
	}
}

// StillMissing reports whether none of misses (repository-relative) exists under root, and
// the first one that does.
func StillMissing(root string, misses []string) (bool, string, error) {
	for _, m := range misses {
		exists, err := pathExists(root, m)
		if err != nil {
			return false, m, err
		}
		if exists {
			return false, m, nil
		}
	}
	return true, "", nil
}

// cleanPaths returns the clean slash forms of paths.
func cleanPaths(paths []string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		out = append(out, path.Clean(filepath.ToSlash(p)))
	}
	return out
}

// isLocal reports whether the clean slash path p stays inside the root.
func isLocal(p string) bool {
	return !path.IsAbs(p) && p != ".." && !strings.HasPrefix(p, "../")
}
