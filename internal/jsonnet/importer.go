package jsonnet

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	gojsonnet "github.com/google/go-jsonnet"

	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/helm"
	"github.com/kforge/kforge/internal/kustomize"
)

// tkFoundAt is the name under which `import 'tk'` appears in stack traces. No file import
// can produce it (see fileEntry lookups in resolve). An engine that evaluates with several
// values of `import 'tk'` names the second one "<tk#2>", and so on (see tkName), because
// go-jsonnet requires one content per name; errors show every one of them as "<tk>".
const tkFoundAt = "<tk>"

// tkName is the name under which an engine serves the n-th (1-based) distinct value of
// `import 'tk'`.
func tkName(n int) string {
	if n == 1 {
		return tkFoundAt
	}
	return "<tk#" + strconv.Itoa(n) + ">"
}

// isTkName reports whether name is one tkName returns.
func isTkName(name string) bool {
	if name == tkFoundAt {
		return true
	}
	digits, ok := strings.CutPrefix(name, "<tk#")
	if !ok {
		return false
	}
	digits, ok = strings.CutSuffix(digits, ">")
	if !ok || digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// tkImport is what `import 'tk'` resolves to in one evaluation.
type tkImport struct {
	contents gojsonnet.Contents
	foundAt  string
}

// fileEntry is the shared, per-VM cache record of one repository-relative path. Contents are
// created once per path so go-jsonnet always gets the same value for the same foundAt.
type fileEntry struct {
	exists   bool
	contents gojsonnet.Contents
	sha256   string
	// resolved is the repository-relative path after following symlinks.
	resolved string
	// failKind and failMsg describe why the path may not be imported (directory, non-regular
	// file, symlink leaving the root, unreadable); failMsg names the path, not the import.
	failKind Kind
	failMsg  string
	// badLine and badColumn locate the first byte that is not UTF-8 (0 when the file is
	// valid UTF-8).
	badLine, badColumn int
	// binary holds the paths this file imports with importbin, parsed once (binaryOnce) when
	// one of its imports turns out not to be UTF-8.
	binary     map[string]bool
	binaryOnce sync.Once
	// json is how the file reaches go-jsonnet when kforge parses it as JSON (jsonOnce; nil
	// when it is not a .json file jsonAST builds).
	json     *jsonStandIn
	jsonOnce sync.Once
	// textImports is whether the file's text mentions importstr or importbin (textOnce).
	textImports bool
	textOnce    sync.Once
}

// binaryImports returns the paths the Jsonnet file e (at rel) imports with importbin.
func (e *fileEntry) binaryImports(rel string) map[string]bool {
	e.binaryOnce.Do(func() { e.binary = binaryImports(rel, e.contents.String()) })
	return e.binary
}

// importResult is what one (directory, import path) pair resolved to within one evaluation.
type importResult struct {
	foundAt  string
	contents gojsonnet.Contents
	entry    *fileEntry
	fail     *Error
}

// importer implements go-jsonnet's Importer: Tanka's search order inside the repository
// root, `import 'tk'`, and a record of every file it handed out. It lives as long as the
// go-jsonnet VM it serves (setting an importer flushes every go-jsonnet cache); begin starts
// each evaluation afresh with that evaluation's search path and `import 'tk'`.
type importer struct {
	sb *sandbox
	// jpath is the current evaluation's search path after the importing file's directory.
	jpath []string
	// tk is the current evaluation's `import 'tk'`; nil when it is not available.
	tk *tkImport
	// memo makes repeated imports within the evaluation cheap and guarantees go-jsonnet's
	// rule that the same (importedFrom, importedPath) always yields the same answer within
	// one evaluation. Across evaluations the answer may differ (another base directory);
	// go-jsonnet caches only by foundAt, whose contents never change (see sandbox).
	memo map[[2]string]importResult
	// reads maps repository-relative paths to their sha256 hex.
	reads map[string]string
	// misses are the repository-relative paths native functions (kustomizeBuild) looked for
	// in vain.
	misses map[string]bool
	// failures maps the message of every import this evaluation refused to its kind, so the
	// go-jsonnet RuntimeError carrying that message can be classified.
	failures map[string]Kind
	// format rewrites imported files for native formatting; nil when it is off.
	format *formatHook
	// programs holds the code of the evaluation's programs that are not files: snippets by
	// name, and under "" the ext code and top-level argument code (go-jsonnet imports from
	// them as ""). binary caches their importbin paths (see importsBinary).
	programs map[string][]string
	binary   map[string]map[string]bool
	// json hands go-jsonnet the ASTs kforge builds for imported JSON files; fastJSON is whether
	// the current evaluation uses it (Options.DisableJSONFastPath).
	json     *jsonHook
	fastJSON bool
}

// newImporter returns an importer reading through sb.
func newImporter(sb *sandbox) *importer {
	return &importer{
		sb:       sb,
		memo:     make(map[[2]string]importResult),
		reads:    make(map[string]string),
		misses:   make(map[string]bool),
		failures: make(map[string]Kind),
		programs: make(map[string][]string),
		binary:   make(map[string]map[string]bool),
	}
}

// begin forgets everything about the previous evaluation and sets up the next one.
func (imp *importer) begin(jpath []string, tk *tkImport, fastJSON bool) {
	imp.jpath = jpath
	imp.tk = tk
	imp.fastJSON = fastJSON
	clear(imp.memo)
	imp.reads = make(map[string]string, len(imp.reads))
	clear(imp.misses)
	clear(imp.failures)
	clear(imp.programs)
	clear(imp.binary)
}

// program registers code evaluated under name without being a file (a snippet; "" for ext and
// top-level argument code), so that its imports are checked against its own importbin paths.
func (imp *importer) program(name string, code ...string) {
	imp.programs[name] = append(imp.programs[name], code...)
}

// Import implements gojsonnet.Importer. importedFrom is the repository-relative path of the
// importing file ("" or a pseudo name for snippets, ext code and TLA code, which import
// relative to the root); foundAt is always repository-relative.
func (imp *importer) Import(importedFrom, importedPath string) (gojsonnet.Contents, string, error) {
	if importedPath == TkImport {
		if imp.tk == nil {
			return gojsonnet.Contents{}, "", imp.fail(KindImport, "import 'tk' is only available when rendering an environment")
		}
		return imp.tk.contents, imp.tk.foundAt, nil
	}
	res := imp.lookup(importedFrom, importedPath)
	if res.fail != nil {
		return gojsonnet.Contents{}, "", imp.fail(res.fail.Kind, res.fail.Message)
	}
	if res.entry.badLine > 0 && !imp.importsBinary(importedFrom, importedPath) {
		return gojsonnet.Contents{}, "", imp.fail(KindImport, fmt.Sprintf("import %q: %s", importedPath,
			invalidUTF8Message(res.foundAt, res.entry.badLine, res.entry.badColumn)))
	}
	imp.record(res.foundAt, res.entry)
	if standIn := imp.jsonStandIn(importedFrom, res); standIn != nil {
		imp.json.install(importedFrom, importedPath, standIn)
		return standIn.contents, standIn.foundAt, nil
	}
	imp.format.imported(importedFrom, importedPath, res.foundAt)
	return res.contents, res.foundAt, nil
}

// lookup resolves importedPath imported from importedFrom (relative to its directory; the root
// for "" and pseudo names), once per directory and path within the evaluation.
func (imp *importer) lookup(importedFrom, importedPath string) importResult {
	dir := "."
	if importedFrom != "" {
		dir = path.Dir(importedFrom)
	}
	key := [2]string{dir, importedPath}
	res, ok := imp.memo[key]
	if !ok {
		res = imp.resolve(dir, importedPath)
		imp.memo[key] = res
	}
	return res
}

// jsonText is the JSON fast path for kforge's evaluator: when importedPath (imported from
// importedFrom) resolves to a file go-jsonnet would be handed as a JSON stand-in, it records the
// import as Import does and returns the file's text and repository-relative path (ok), so the
// evaluator builds the document's value without any AST. Otherwise it records nothing.
func (imp *importer) jsonText(importedFrom, importedPath string) (text, foundAt string, ok bool) {
	if importedPath == TkImport || !imp.fastJSON || imp.json == nil || !strings.HasSuffix(importedPath, ".json") {
		return "", "", false
	}
	res := imp.lookup(importedFrom, importedPath)
	if res.fail != nil || res.entry.badLine > 0 || !strings.HasSuffix(res.foundAt, ".json") || imp.mayImportText(importedFrom) {
		return "", "", false
	}
	imp.record(res.foundAt, res.entry)
	return res.contents.String(), res.foundAt, true
}

// jsonStandIn returns how the JSON file res reaches go-jsonnet when kforge parses it itself, or
// nil when go-jsonnet must read it: the fast path is off, the file is not a .json file
// jsonAST builds, or importedFrom may import it with importstr or importbin (go-jsonnet
// would then hand the stand-in's text to the program; a file whose text never names either
// imports everything as code, the only import Jsonnet has besides them).
func (imp *importer) jsonStandIn(importedFrom string, res importResult) *jsonStandIn {
	if !imp.fastJSON || imp.json == nil || !strings.HasSuffix(res.foundAt, ".json") {
		return nil
	}
	if imp.mayImportText(importedFrom) {
		return nil
	}
	return res.entry.jsonStandIn(res.foundAt)
}

// mayImportText reports whether the program importedFrom may contain importstr or importbin:
// its text mentions either, or it is not a program the importer knows.
func (imp *importer) mayImportText(importedFrom string) bool {
	if codes, ok := imp.programs[importedFrom]; ok {
		return slices.ContainsFunc(codes, mentionsTextImport)
	}
	if importedFrom == "" || isTkName(importedFrom) {
		return true
	}
	e := imp.sb.file(importedFrom)
	if !e.exists {
		return true
	}
	e.textOnce.Do(func() { e.textImports = mentionsTextImport(e.contents.String()) })
	return e.textImports
}

// mentionsTextImport reports whether code contains the keyword importstr or importbin
// anywhere (a comment or a string too: the test only has to be conservative).
func mentionsTextImport(code string) bool {
	return strings.Contains(code, "importstr") || strings.Contains(code, "importbin")
}

// importsBinary reports whether importedFrom imports importedPath with importbin. The importing
// program is a registered snippet or ext/top-level argument code (program), else a repository
// file; a name that is neither (`import 'tk'`, which imports nothing) counts as binary.
func (imp *importer) importsBinary(importedFrom, importedPath string) bool {
	if codes, ok := imp.programs[importedFrom]; ok {
		paths, ok := imp.binary[importedFrom]
		if !ok {
			paths = binaryImports(importedFrom, codes...)
			imp.binary[importedFrom] = paths
		}
		return paths[importedPath]
	}
	if importedFrom == "" || isTkName(importedFrom) {
		return true
	}
	e := imp.sb.file(importedFrom)
	if !e.exists {
		return true
	}
	return e.binaryImports(importedFrom)[importedPath]
}

// fail remembers a refused import and returns the error go-jsonnet will wrap.
func (imp *importer) fail(kind Kind, msg string) error {
	imp.failures[msg] = kind
	return errors.New(msg)
}

// failureKind reports whether msg is the message of an import this evaluation refused.
func (imp *importer) failureKind(msg string) (Kind, bool) {
	k, ok := imp.failures[msg]
	return k, ok
}

// loaded reports whether the evaluation read the repository-relative file p.
func (imp *importer) loaded(p string) bool {
	_, ok := imp.reads[p]
	return ok
}

func (imp *importer) record(foundAt string, e *fileEntry) {
	imp.reads[foundAt] = e.sha256
	if e.resolved != foundAt {
		imp.reads[e.resolved] = e.sha256
	}
}

// sortedMisses lists the recorded misses.
func (imp *importer) sortedMisses() []string {
	if len(imp.misses) == 0 {
		return nil
	}
	out := make([]string, 0, len(imp.misses))
	for p := range imp.misses {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// sortedReads lists the recorded reads by path.
func (imp *importer) sortedReads() []FileRead {
	out := make([]FileRead, 0, len(imp.reads))
	for p, sum := range imp.reads {
		out = append(out, FileRead{Path: p, SHA256: sum})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// resolve searches the importing file's directory, then the jpath, for importedPath.
func (imp *importer) resolve(dir, importedPath string) importResult {
	var entry *fileEntry
	foundAt, dirs, err := SearchImport(dir, importedPath, imp.jpath, func(cand string) (bool, error) {
		e := imp.sb.file(cand)
		if e.failMsg != "" {
			return false, &Error{Kind: e.failKind, Message: fmt.Sprintf("import %q: %s", importedPath, e.failMsg)}
		}
		entry = e
		return e.exists, nil
	})
	if err != nil {
		var fail *Error
		if !errors.As(err, &fail) {
			fail = &Error{Kind: KindImport, Message: err.Error()}
		}
		return importResult{fail: fail}
	}
	if foundAt == "" {
		return importResult{fail: &Error{Kind: KindImport,
			Message: fmt.Sprintf("import %q not found (searched %s)", importedPath, strings.Join(dirs, ", "))}}
	}
	return importResult{foundAt: foundAt, contents: entry.contents, entry: entry}
}

// loadEntry reads the file an evaluation starts from (no search path) and records it.
func (imp *importer) loadEntry(rel string) (*fileEntry, *Error) {
	e := imp.sb.file(rel)
	switch {
	case e.failMsg != "":
		return nil, &Error{Kind: e.failKind, File: rel, Message: e.failMsg}
	case !e.exists:
		return nil, &Error{Kind: KindImport, File: rel, Message: "no such file"}
	case e.badLine > 0:
		return nil, &Error{Kind: KindSyntax, File: rel, Line: e.badLine, Column: e.badColumn, Message: invalidUTF8Message("the file", e.badLine, e.badColumn)}
	}
	imp.record(rel, e)
	return e, nil
}

// isLocal reports whether the cleaned slash path p stays inside the root.
func isLocal(p string) bool {
	return !path.IsAbs(p) && p != ".." && !strings.HasPrefix(p, "../")
}

// sandbox reads repository files for a VM: only regular files that resolve, through
// symlinks, to a place inside the resolved root. It caches every path it looked at (found or
// not) with one Contents value per path. Safe for concurrent use.
type sandbox struct {
	root     string // the root as given, cleaned
	realRoot string // the root with symlinks resolved

	// kustomize builds kustomizations for kustomizeBuild, created on first use.
	kustomizeOnce sync.Once
	kustomize     *kustomize.Builder
	kustomizeErr  error

	mu    sync.Mutex
	files map[string]*fileEntry
	// helm renders charts for std.native('helmTemplate') and remembers the results.
	helm *helm.Renderer
}

// newSandbox checks root (absolute, an existing directory) and resolves its symlinks.
func newSandbox(root string) (*sandbox, error) {
	if root == "" || !filepath.IsAbs(root) {
		return nil, errors.New("repository root must be an absolute path")
	}
	root = filepath.Clean(root)
	resolved, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("resolve repository root: %w", fsutil.WithoutPath(err))
	}
	info, err := os.Stat(resolved)
	if err != nil {
		return nil, fmt.Errorf("stat repository root: %w", fsutil.WithoutPath(err))
	}
	if !info.IsDir() {
		return nil, errors.New("repository root is not a directory")
	}
	return &sandbox{root: root, realRoot: resolved, files: make(map[string]*fileEntry), helm: helm.NewRenderer()}, nil
}

// relPath turns p (repository-relative, or absolute under the root as given or as resolved)
// into a clean repository-relative slash path.
func (s *sandbox) relPath(p string) (string, error) {
	rel, err := repoRelative(s.root, p)
	if err != nil && filepath.IsAbs(p) {
		rel, err = repoRelative(s.realRoot, p)
	}
	return rel, err
}

// file returns the cache entry for the repository-relative path rel, reading the file the
// first time.
func (s *sandbox) file(rel string) *fileEntry {
	s.mu.Lock()
	e, ok := s.files[rel]
	s.mu.Unlock()
	if ok {
		return e
	}
	e = s.readFile(rel)
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.files[rel]; ok {
		return prev // another evaluation won the race; keep one Contents per path
	}
	s.files[rel] = e
	return e
}

// readFile applies the sandbox to rel and reads it: the path must resolve (through symlinks)
// to a regular file inside the resolved root. Messages never contain absolute paths.
func (s *sandbox) readFile(rel string) *fileEntry {
	abs := filepath.Join(s.root, filepath.FromSlash(rel))
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return &fileEntry{}
		}
		return &fileEntry{failKind: KindImport, failMsg: fmt.Sprintf("cannot resolve %s: %v", rel, fsutil.WithoutPath(err))}
	}
	resolvedRel, err := filepath.Rel(s.realRoot, resolved)
	if err != nil || !isLocal(filepath.ToSlash(resolvedRel)) {
		return &fileEntry{failKind: KindSandbox, failMsg: fmt.Sprintf("%s is a symlink to a file outside the repository root", rel)}
	}
	resolvedRel = filepath.ToSlash(resolvedRel)
	info, err := os.Lstat(resolved)
	if err != nil {
		return &fileEntry{failKind: KindImport, failMsg: fmt.Sprintf("cannot read %s: %v", rel, fsutil.WithoutPath(err))}
	}
	if info.IsDir() {
		return &fileEntry{failKind: KindImport, failMsg: fmt.Sprintf("%s is a directory, not a file", rel)}
	}
	if !info.Mode().IsRegular() {
		return &fileEntry{failKind: KindSandbox, failMsg: fmt.Sprintf("%s is not a regular file", rel)}
	}
	data, err := os.ReadFile(resolved)
	if err != nil {
		return &fileEntry{failKind: KindImport, failMsg: fmt.Sprintf("cannot read %s: %v", rel, fsutil.WithoutPath(err))}
	}
	sum := sha256.Sum256(data)
	line, column, _ := utf8Position(data)
	return &fileEntry{
		exists:    true,
		contents:  gojsonnet.MakeContentsRaw(data),
		sha256:    hex.EncodeToString(sum[:]),
		resolved:  resolvedRel,
		badLine:   line,
		badColumn: column,
	}
}
