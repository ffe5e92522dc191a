// Command schemas copies the schema data kforge embeds out of the Go module cache: the
// Kubernetes OpenAPI v3 documents of every supported Kubernetes version (from k8s.io/kubernetes)
// and the CustomResourceDefinitions of the stack's operators, each from the Go module that ships
// them as data, plus kforge's own definitions (internal/schema/crds). It writes
// internal/schema/generated (committed): gzip-compressed documents, an index and a sources
// record (module, version, path, SHA-256 and licence of every file taken from a module).
//
// It uses nothing but the go command: `go mod download -json module@version` fetches the pinned
// modules through the module proxy into the module cache, without adding them to go.mod. When the
// generated index already records the pinned sources, it does nothing (-force regenerates).
//
// Usage, from anywhere in the repository:
//
//	go run ./hack/schemas [-force]
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/kforge/kforge/internal/schema/schemadata"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

func main() {
	force := flag.Bool("force", false, "regenerate even when the data is up to date")
	flag.Parse()
	if err := run(os.Stdout, *force); err != nil {
		fmt.Fprintln(os.Stderr, "schemas:", err)
		os.Exit(1)
	}
}

// module is the part of `go mod download -json` output the generator reads.
type module struct {
	Path    string
	Version string
	Dir     string
	Error   string
}

func run(w io.Writer, force bool) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	out := filepath.Join(root, filepath.FromSlash(schemadata.Dir))
	key, err := sourcesKey(root)
	if err != nil {
		return err
	}
	if !force && upToDate(out, key) {
		_, _ = fmt.Fprintf(w, "schemas: %s is up to date\n", schemadata.Dir)
		return nil
	}

	mods, err := download()
	if err != nil {
		return err
	}

	tmp, err := os.MkdirTemp(filepath.Dir(out), ".generated-")
	if err != nil {
		return fmt.Errorf("create temporary directory: %w", err)
	}
	// Best effort: tmp is gone after the rename, and after a failure the run's own error is reported.
	defer func() { _ = os.RemoveAll(tmp) }()

	g := &generator{dir: tmp, mods: mods, licenses: map[string]string{}, crdNames: map[string]string{}, blobs: map[string]bool{}}
	idx := schemadata.Index{Format: schemadata.FormatVersion, Key: key}
	for _, rel := range kubeReleases() {
		kv, err := g.kubernetes(rel)
		if err != nil {
			return err
		}
		idx.Kubernetes = append(idx.Kubernetes, kv)
	}
	for _, src := range crdSources() {
		crds, err := g.crds(src)
		if err != nil {
			return err
		}
		idx.CRDs = append(idx.CRDs, crds...)
	}
	own, err := g.ownCRDs(root)
	if err != nil {
		return err
	}
	idx.CRDs = append(idx.CRDs, own...)
	sort.Slice(idx.CRDs, func(i, j int) bool {
		a, b := idx.CRDs[i], idx.CRDs[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		return a.Kind < b.Kind
	})
	sort.Slice(g.sources, func(i, j int) bool {
		a, b := g.sources[i], g.sources[j]
		if a.Module != b.Module {
			return a.Module < b.Module
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Path < b.Path
	})
	if err := writeJSON(filepath.Join(tmp, schemadata.SourcesFile), g.sources); err != nil {
		return err
	}
	// The index is written last: its presence marks a complete directory.
	if err := writeJSON(filepath.Join(tmp, schemadata.IndexFile), idx); err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return fmt.Errorf("remove old %s: %w", schemadata.Dir, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("move generated data into place: %w", err)
	}
	_, _ = fmt.Fprintf(w, "schemas: wrote %s: Kubernetes %s, %d CRDs from %d files\n", schemadata.Dir,
		minors(idx.Kubernetes), len(idx.CRDs), len(g.sources))
	return nil
}

func minors(kvs []schemadata.KubeVersion) string {
	s := make([]string, len(kvs))
	for i, kv := range kvs {
		s[i] = kv.Minor
	}
	return strings.Join(s, ", ")
}

// repoRoot is the directory of the main module's go.mod.
func repoRoot() (string, error) {
	outb, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find go.mod: %w", err)
	}
	gomod := strings.TrimSpace(string(outb))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("find go.mod: run this inside the kforge repository")
	}
	return filepath.Dir(gomod), nil
}

// ownCRDDir holds the definitions kforge writes itself (TidbCluster), relative to the root.
const ownCRDDir = "internal/schema/crds"

// ownCRDFiles lists the YAML files of ownCRDDir, sorted.
func ownCRDFiles(root string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(ownCRDDir)))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ownCRDDir, err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			files = append(files, path.Join(ownCRDDir, e.Name()))
		}
	}
	return files, nil
}

// ownCRDs adds kforge's own definitions; they come from the repository, not from a module.
func (g *generator) ownCRDs(root string) ([]schemadata.CRD, error) {
	files, err := ownCRDFiles(root)
	if err != nil {
		return nil, err
	}
	var out []schemadata.CRD
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f, err)
		}
		crds, err := g.splitCRDs("kforge's own schema ("+f+")", data)
		if err != nil {
			return nil, err
		}
		out = append(out, crds...)
	}
	return out, nil
}

// sourcesKey hashes the pinned sources, kforge's own definitions and the data format.
func sourcesKey(root string) (string, error) {
	type pinned struct {
		Format     int
		Kubernetes []string
		CRDs       []string
		Own        []string
	}
	p := pinned{Format: schemadata.FormatVersion}
	files, err := ownCRDFiles(root)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return "", fmt.Errorf("read %s: %w", f, err)
		}
		sum := sha256.Sum256(data)
		p.Own = append(p.Own, f+"="+hex.EncodeToString(sum[:]))
	}
	for _, r := range kubeReleases() {
		p.Kubernetes = append(p.Kubernetes, r.minor+"="+r.version)
	}
	for _, s := range crdSources() {
		p.CRDs = append(p.CRDs, s.module+"@"+s.version+":"+strings.Join(s.paths, ","))
	}
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("hash sources: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func upToDate(out, key string) bool {
	b, err := os.ReadFile(filepath.Join(out, schemadata.IndexFile))
	if err != nil {
		return false
	}
	var idx schemadata.Index
	if json.Unmarshal(b, &idx) != nil {
		return false
	}
	return idx.Format == schemadata.FormatVersion && idx.Key == key
}

// download fetches every pinned module into the module cache. It runs outside the main module
// so that go.mod and go.sum stay untouched.
func download() (map[string]module, error) {
	args := []string{"mod", "download", "-json"}
	for _, r := range kubeReleases() {
		args = append(args, kubernetesModule+"@"+r.version)
	}
	for _, s := range crdSources() {
		args = append(args, s.module+"@"+s.version)
	}
	tmp, err := os.MkdirTemp("", "kforge-schemas-")
	if err != nil {
		return nil, fmt.Errorf("create temporary directory: %w", err)
	}
	// Best effort: tmp is gone after the rename, and after a failure the run's own error is reported.
	defer func() { _ = os.RemoveAll(tmp) }()
	cmd := exec.Command("go", args...)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, runErr := cmd.Output()
	mods := map[string]module{}
	dec := json.NewDecoder(bytes.NewReader(outb))
	var failed []string
	for {
		var m module
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("read go mod download output: %w", err)
		}
		if m.Error != "" {
			failed = append(failed, m.Path+"@"+m.Version+": "+m.Error)
			continue
		}
		mods[m.Path+"@"+m.Version] = m
	}
	if len(failed) > 0 || runErr != nil {
		return nil, fmt.Errorf("go mod download: %s%s", strings.Join(failed, "; "), strings.TrimSpace(stderr.String()))
	}
	return mods, nil
}

// generator writes the data files of one run into dir.
type generator struct {
	dir      string
	mods     map[string]module
	sources  []schemadata.Source
	licenses map[string]string // module@version → licence file, relative to dir
	crdNames map[string]string // CRD name → source, to reject duplicates
	blobs    map[string]bool   // hashes of the blobs written
}

func (g *generator) module(path, version string) (module, error) {
	m, ok := g.mods[path+"@"+version]
	if !ok {
		return module{}, fmt.Errorf("module %s@%s was not downloaded", path, version)
	}
	return m, nil
}

// openAPIFile matches the per group version documents of api/openapi-spec/v3; the per group
// documents only list versions and are skipped.
var openAPIFile = regexp.MustCompile(`^(?:api__(v[0-9a-z]+)|apis__([a-z0-9.-]+)__(v[0-9a-z]+))_openapi\.json$`)

// kubernetes stores the definitions of one release. The documents of a release repeat shared
// definitions (PodSpec, ObjectMeta) and each release changes a few of them, so whole documents
// would rarely be shared between releases: the definitions of all documents are merged (a name
// means one definition within a release) and stored grouped by Go package, each package as one
// content-addressed blob that every release with identical definitions points at.
func (g *generator) kubernetes(rel kubeRelease) (schemadata.KubeVersion, error) {
	m, err := g.module(kubernetesModule, rel.version)
	if err != nil {
		return schemadata.KubeVersion{}, err
	}
	kv := schemadata.KubeVersion{Minor: rel.minor, Release: rel.version, Documents: map[string][]string{}, Kinds: map[string]map[string]string{}}
	const specDir = "api/openapi-spec/v3"
	entries, err := os.ReadDir(filepath.Join(m.Dir, filepath.FromSlash(specDir)))
	if err != nil {
		return kv, fmt.Errorf("read %s@%s/%s: %w", m.Path, m.Version, specDir, err)
	}
	defs := map[string]json.RawMessage{} // definition name → stripped schema
	packagesOf := map[string][]string{}  // group version → packages its document draws on
	for _, e := range entries {
		sub := openAPIFile.FindStringSubmatch(e.Name())
		if sub == nil {
			continue
		}
		gv := sub[1]
		if gv == "" {
			gv = sub[2] + "/" + sub[3]
		}
		src := path.Join(specDir, e.Name())
		data, err := g.read(m, src)
		if err != nil {
			return kv, err
		}
		schemas, kinds, err := schemasOf(data, gv)
		if err != nil {
			return kv, fmt.Errorf("read %s@%s/%s: %w", m.Path, m.Version, src, err)
		}
		pkgs := map[string]bool{}
		for name, raw := range schemas {
			if prev, ok := defs[name]; ok && !bytes.Equal(prev, raw) {
				return kv, fmt.Errorf("read %s@%s/%s: definition %s differs from the one of another document", m.Path, m.Version, src, name)
			}
			defs[name] = raw
			pkgs[packageOf(name)] = true
		}
		packagesOf[gv] = sortedKeys(pkgs)
		kv.Kinds[gv] = kinds
	}
	if len(packagesOf) == 0 {
		return kv, fmt.Errorf("%s@%s/%s holds no OpenAPI documents", m.Path, m.Version, specDir)
	}
	byPackage := map[string]map[string]json.RawMessage{}
	for name, raw := range defs {
		p := packageOf(name)
		if byPackage[p] == nil {
			byPackage[p] = map[string]json.RawMessage{}
		}
		byPackage[p][name] = raw
	}
	blobOf := map[string]string{}
	for p, schemas := range byPackage {
		doc, err := json.Marshal(map[string]any{"components": map[string]any{"schemas": schemas}})
		if err != nil {
			return kv, fmt.Errorf("encode %s of %s@%s: %w", p, m.Path, m.Version, err)
		}
		if blobOf[p], err = g.writeBlob(doc); err != nil {
			return kv, err
		}
	}
	for gv, pkgs := range packagesOf {
		for _, p := range pkgs {
			kv.Documents[gv] = append(kv.Documents[gv], blobOf[p])
		}
	}
	return kv, nil
}

// packageOf is the Go package part of a definition name: "io.k8s.api.core.v1" for
// "io.k8s.api.core.v1.PodSpec".
func packageOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return name
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// crdHeader is the part of a CustomResourceDefinition the index records.
type crdHeader struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Group string `json:"group"`
		Names struct {
			Kind string `json:"kind"`
		} `json:"names"`
		Versions []struct {
			Name string `json:"name"`
		} `json:"versions"`
	} `json:"spec"`
}

func (g *generator) crds(src crdSource) ([]schemadata.CRD, error) {
	m, err := g.module(src.module, src.version)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, p := range src.paths {
		abs := filepath.Join(m.Dir, filepath.FromSlash(p))
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("read %s@%s/%s: %w", m.Path, m.Version, p, err)
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(abs)
		if err != nil {
			return nil, fmt.Errorf("read %s@%s/%s: %w", m.Path, m.Version, p, err)
		}
		for _, e := range entries {
			if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
				files = append(files, path.Join(p, e.Name()))
			}
		}
	}
	var out []schemadata.CRD
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(m.Dir, filepath.FromSlash(f)))
		if err != nil {
			return nil, fmt.Errorf("read %s@%s/%s: %w", m.Path, m.Version, f, err)
		}
		origin := m.Path + "@" + m.Version + "/" + f
		crds, err := g.splitCRDs(origin, data)
		if err != nil {
			return nil, err
		}
		if len(crds) == 0 {
			continue
		}
		if err := g.record(m, f, data); err != nil {
			return nil, err
		}
		out = append(out, crds...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s@%s: no CustomResourceDefinition in %s", m.Path, m.Version, strings.Join(src.paths, ", "))
	}
	return out, nil
}

// splitCRDs writes every CustomResourceDefinition document of one YAML stream as JSON.
func (g *generator) splitCRDs(origin string, data []byte) ([]schemadata.CRD, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out []schemadata.CRD
	for n := 1; ; n++ {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s document %d: %w", origin, n, err)
		}
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("read %s document %d: %w", origin, n, err)
		}
		var h crdHeader
		if err := json.Unmarshal(js, &h); err != nil || h.Kind != "CustomResourceDefinition" {
			continue // empty documents, other kinds
		}
		if h.APIVersion != "apiextensions.k8s.io/v1" {
			return nil, fmt.Errorf("%s: CustomResourceDefinition %s is %s, only apiextensions.k8s.io/v1 is supported", origin, h.Metadata.Name, h.APIVersion)
		}
		if prev, dup := g.crdNames[h.Metadata.Name]; dup {
			return nil, fmt.Errorf("CustomResourceDefinition %s is in both %s and %s", h.Metadata.Name, prev, origin)
		}
		g.crdNames[h.Metadata.Name] = origin
		compact, err := stripCRD(js)
		if err != nil {
			return nil, fmt.Errorf("read %s document %d: %w", origin, n, err)
		}
		blob, err := g.writeBlob(compact)
		if err != nil {
			return nil, err
		}
		c := schemadata.CRD{Name: h.Metadata.Name, Group: h.Spec.Group, Kind: h.Spec.Names.Kind, Blob: blob, Source: origin}
		for _, v := range h.Spec.Versions {
			c.Versions = append(c.Versions, v.Name)
		}
		out = append(out, c)
	}
}

// read returns a file of module m and records it as a source.
func (g *generator) read(m module, rel string) ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(m.Dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("read %s@%s/%s: %w", m.Path, m.Version, rel, err)
	}
	return data, g.record(m, rel, data)
}

func (g *generator) record(m module, rel string, data []byte) error {
	lic, licFile, err := g.license(m)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	g.sources = append(g.sources, schemadata.Source{
		Module: m.Path, Version: m.Version, Path: rel, SHA256: hex.EncodeToString(sum[:]),
		License: lic, LicenseFile: licFile,
	})
	return nil
}

// license copies the module's LICENSE file (once) and names its licence.
func (g *generator) license(m module) (name, file string, err error) {
	key := m.Path + "@" + m.Version
	name = "see LICENSE"
	data, err := os.ReadFile(filepath.Join(m.Dir, "LICENSE"))
	if err != nil {
		return "", "", fmt.Errorf("read licence of %s: %w", key, err)
	}
	if bytes.Contains(data, []byte("Apache License")) && bytes.Contains(data, []byte("Version 2.0")) {
		name = "Apache-2.0"
	}
	if f, ok := g.licenses[key]; ok {
		return name, f, nil
	}
	// Identical licence texts are stored once, named by their hash.
	sum := sha256.Sum256(data)
	file = path.Join("licenses", hex.EncodeToString(sum[:8])+".txt")
	if err := g.write(file, data); err != nil {
		return "", "", err
	}
	g.licenses[key] = file
	return name, file, nil
}

func (g *generator) write(rel string, data []byte) error {
	abs := filepath.Join(g.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", path.Dir(rel), err)
	}
	if err := os.WriteFile(abs, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// writeBlob stores data once, gzip-compressed under the hash of its content, and returns the
// hash. Writing the same content again (another release, another document) writes nothing.
func (g *generator) writeBlob(data []byte) (string, error) {
	hash := schemadata.Hash(data)
	if g.blobs[hash] {
		return hash, nil
	}
	g.blobs[hash] = true
	return hash, g.writeGzip(schemadata.BlobFile(hash), data)
}

// writeGzip writes data gzip-compressed, with an empty header so the bytes depend on data only.
func (g *generator) writeGzip(rel string, data []byte) error {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("compress %s: %w", rel, err)
	}
	if _, err := zw.Write(data); err != nil {
		return fmt.Errorf("compress %s: %w", rel, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress %s: %w", rel, err)
	}
	return g.write(rel, buf.Bytes())
}

func writeJSON(file string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", filepath.Base(file), err)
	}
	if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(file), err)
	}
	return nil
}

// decodeJSON decodes JSON keeping numbers as written.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// schemasOf keeps the component schemas of an OpenAPI v3 document, without what validation of
// built-in kinds never reads (see builtinOnly), and lists the kinds of group version gv with the
// name of their schema.
func schemasOf(data []byte, gv string) (map[string]json.RawMessage, map[string]string, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return nil, nil, err
	}
	doc, _ := v.(map[string]any)
	comps, _ := doc["components"].(map[string]any)
	schemas, _ := comps["schemas"].(map[string]any)
	if len(schemas) == 0 {
		return nil, nil, errors.New("no components.schemas")
	}
	group, version, found := strings.Cut(gv, "/")
	if !found {
		group, version = "", gv
	}
	kinds := map[string]string{}
	out := make(map[string]json.RawMessage, len(schemas))
	for name, sch := range schemas {
		m, _ := sch.(map[string]any)
		gvks, _ := m["x-kubernetes-group-version-kind"].([]any)
		for _, x := range gvks {
			gvk, _ := x.(map[string]any)
			if gvk["group"] == group && gvk["version"] == version {
				if kind, _ := gvk["kind"].(string); kind != "" {
					kinds[kind] = name
				}
			}
		}
		stripSchema(sch, builtinOnly...)
		raw, err := json.Marshal(sch)
		if err != nil {
			return nil, nil, fmt.Errorf("encode %s: %w", name, err)
		}
		out[name] = raw
	}
	return out, kinds, nil
}

// builtinOnly are the keywords of built-in schemas that validation ignores (internal/schema's
// resolver drops them): Go code defaults built-in kinds, and the rest is merge strategy and
// metadata. Without them, a definition is the same in every document and in more releases.
var builtinOnly = []string{"default", "x-kubernetes-group-version-kind", "x-kubernetes-patch-merge-key",
	"x-kubernetes-patch-strategy", "x-kubernetes-unions"}

// stripCRD drops the description texts of every version's schema of a definition.
func stripCRD(data []byte) ([]byte, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return nil, err
	}
	crd, _ := v.(map[string]any)
	delete(crd, "status")
	spec, _ := crd["spec"].(map[string]any)
	versions, _ := spec["versions"].([]any)
	for _, ver := range versions {
		vm, _ := ver.(map[string]any)
		if sch, ok := vm["schema"].(map[string]any); ok {
			stripSchema(sch["openAPIV3Schema"])
		}
	}
	return json.Marshal(crd)
}

// stripSchema removes description texts and the keywords drop from a JSON schema, visiting only
// the places that hold schemas: a property named "description", defaults, enums and examples are
// data and stay.
func stripSchema(v any, drop ...string) {
	s, ok := v.(map[string]any)
	if !ok {
		return
	}
	delete(s, "description")
	for _, k := range drop {
		delete(s, k)
	}
	for _, key := range []string{"properties", "patternProperties", "definitions"} {
		if m, ok := s[key].(map[string]any); ok {
			for _, sub := range m {
				stripSchema(sub, drop...)
			}
		}
	}
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		if l, ok := s[key].([]any); ok {
			for _, sub := range l {
				stripSchema(sub, drop...)
			}
		}
	}
	for _, key := range []string{"items", "additionalProperties", "not", "additionalItems"} {
		switch sub := s[key].(type) {
		case map[string]any:
			stripSchema(sub, drop...)
		case []any:
			for _, x := range sub {
				stripSchema(x, drop...)
			}
		}
	}
}
