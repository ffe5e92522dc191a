package schema

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/kforge/kforge/internal/schema/schemadata"
)

// DefaultKubernetesVersion is the Kubernetes version whose built-in schemas apply when neither
// kforge.yaml (kubernetesVersion) nor --kube-version names one.
const DefaultKubernetesVersion = "1.33"

// Options configure Load.
type Options struct {
	// KubernetesVersion is the "major.minor" Kubernetes version whose built-in schemas apply
	// ("1.33", "v1.33" is accepted); empty means DefaultKubernetesVersion.
	KubernetesVersion string
	// CRDDirs are directories (read recursively) or files of CustomResourceDefinitions, YAML or
	// JSON, multi-document streams and v1 Lists allowed; other documents are ignored. They take
	// precedence over the embedded definitions of the same group and kind.
	CRDDirs []string
	// SchemaLocations are directories (read recursively) or files of CustomResourceDefinitions
	// (like CRDDirs) and of kubeconform-style JSON schemas, told apart by content. A JSON schema
	// validates the kinds its file name covers, in precedence over every definition; later
	// locations win. A location without anything usable is an error.
	SchemaLocations []string
	// Root is the absolute repository root: CRD paths in errors and findings are shown relative
	// to it. Empty shows them as given.
	Root string
	// Strict makes an object whose kind has no schema an error instead of a warning.
	Strict bool
}

// Validator checks objects against their schemas. It is safe for concurrent use; the validator
// of each kind is built on first use and shared. Load one per run.
type Validator struct {
	shared *shared
	// crds maps a group and kind to its definition: embedded, kforge's own, --crds, schema
	// locations, and for a Validator returned by AddCRDs, the environment's. Never modified
	// after construction.
	crds map[groupKind]*crdEntry
	// jsonSchemas are the JSON schemas of the schema locations, in the order read.
	jsonSchemas []*jsonSchemaEntry
}

// groupKind identifies a kind in an API group ("" for the core group).
type groupKind struct {
	group, kind string
}

func (g groupKind) String() string {
	if g.group == "" {
		return g.kind
	}
	return g.kind + "." + g.group
}

// shared is the state every Validator derived from one Load shares.
type shared struct {
	kube   schemadata.KubeVersion
	strict bool
	// dataKey identifies the embedded data (the pinned sources and the data format).
	dataKey string
	// docs holds the lazily parsed OpenAPI document of each built-in group version.
	docs map[string]*lazyDoc
	// groups lists the built-in API groups and their versions, newest document first.
	groups map[string][]string
	// meta validates object metadata (ObjectMeta of the core group), built on first use.
	meta lazyKind
	// caches hold compiled CEL rules and patterns shared between kinds.
	caches caches
	// blobs holds the parsed blobs of built-in definitions.
	blobs blobCache

	mu       sync.Mutex
	builtins map[string]*lazyKind // "apps/v1/Deployment" → validator
}

// lazyDoc parses the OpenAPI document of one group version on first use: the union of the
// definitions of its blobs.
type lazyDoc struct {
	once  sync.Once
	blobs []string
	kinds map[string]string
	cache *blobCache
	doc   *openAPIDoc
	err   error

	// mu guards resolver and structs, shared by the kinds of the document so that common
	// definitions (PodSpec) are resolved and decoded once.
	mu       sync.Mutex
	resolver *resolver
	structs  structCache
}

// kindStructural resolves and decodes the schema of one kind of the document.
func (d *lazyDoc) kindStructural(kind string) (*structuralschema.Structural, error) {
	doc, err := d.get()
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.resolver == nil {
		d.resolver, d.structs = newResolver(doc), structCache{}
	}
	s, err := d.resolver.kindSchema(kind)
	if err != nil {
		return nil, err
	}
	return decodeStructural(s, nil, d.structs)
}

func (d *lazyDoc) get() (*openAPIDoc, error) {
	d.once.Do(func() {
		schemas := map[string]json.RawMessage{}
		for _, hash := range d.blobs {
			defs, err := d.cache.get(hash)
			if err != nil {
				d.err = err
				return
			}
			for name, raw := range defs {
				schemas[name] = raw
			}
		}
		d.doc = &openAPIDoc{schemas: schemas, kinds: d.kinds}
	})
	return d.doc, d.err
}

// blobCache parses each blob of built-in definitions once: the blob of a package (core v1)
// serves the documents of many group versions.
type blobCache struct {
	mu    sync.Mutex
	blobs map[string]*lazyBlob
}

type lazyBlob struct {
	once sync.Once
	defs map[string]json.RawMessage
	err  error
}

// get returns the component schemas of the blob named hash. Callers must not modify them.
func (c *blobCache) get(hash string) (map[string]json.RawMessage, error) {
	c.mu.Lock()
	if c.blobs == nil {
		c.blobs = map[string]*lazyBlob{}
	}
	b, ok := c.blobs[hash]
	if !ok {
		b = &lazyBlob{}
		c.blobs[hash] = b
	}
	c.mu.Unlock()
	b.once.Do(func() {
		file := schemadata.BlobFile(hash)
		data, err := readGzip(generated, path.Join("generated", file))
		if err != nil {
			b.err = &DataError{Reason: fmt.Sprintf("is incomplete (%s: %v)", file, err)}
			return
		}
		doc, err := parseOpenAPIDoc(data, nil)
		if err != nil {
			b.err = &DataError{Reason: fmt.Sprintf("is unreadable (%s: %v)", file, err)}
			return
		}
		b.defs = doc.schemas
	})
	return b.defs, b.err
}

// Load reads the schema index and the CustomResourceDefinitions of opts.CRDDirs. Schemas
// themselves are parsed when an object first needs them.
func Load(opts Options) (*Validator, error) {
	idx, err := readIndex()
	if err != nil {
		return nil, err
	}
	want := strings.TrimPrefix(strings.TrimSpace(opts.KubernetesVersion), "v")
	if want == "" {
		want = DefaultKubernetesVersion
	}
	sh := &shared{strict: opts.Strict, dataKey: idx.Key, docs: map[string]*lazyDoc{}, groups: map[string][]string{}, builtins: map[string]*lazyKind{}}
	var supported []string
	found := false
	for _, kv := range idx.Kubernetes {
		supported = append(supported, kv.Minor)
		if kv.Minor == want {
			sh.kube, found = kv, true
		}
	}
	if !found {
		return nil, &VersionError{Version: want, Supported: supported}
	}
	for gv, blobs := range sh.kube.Documents {
		sh.docs[gv] = &lazyDoc{blobs: blobs, kinds: sh.kube.Kinds[gv], cache: &sh.blobs}
		g, ver := splitGroupVersion(gv)
		sh.groups[g] = append(sh.groups[g], ver)
	}
	for g := range sh.groups {
		sort.Strings(sh.groups[g])
	}
	sh.meta.build = sh.buildMeta

	v := &Validator{shared: sh, crds: map[groupKind]*crdEntry{}}
	for _, c := range idx.CRDs {
		c := c
		v.crds[groupKind{c.Group, c.Kind}] = &crdEntry{
			name: c.Name, group: c.Group, kind: c.Kind, source: c.Source,
			load: func() ([]byte, error) {
				return readGzip(generated, path.Join("generated", schemadata.BlobFile(c.Blob)))
			},
		}
	}
	for _, dir := range opts.CRDDirs {
		entries, err := readCRDPath(dir, opts.Root)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			v.crds[groupKind{e.group, e.kind}] = e
		}
	}
	for _, loc := range opts.SchemaLocations {
		crds, schemas, err := readSchemaLocation(loc, opts.Root)
		if err != nil {
			return nil, err
		}
		for _, e := range crds {
			v.crds[groupKind{e.group, e.kind}] = e
		}
		v.jsonSchemas = append(v.jsonSchemas, schemas...)
	}
	for _, e := range v.crds {
		e.caches = &sh.caches
	}
	return v, nil
}

// Fingerprint identifies everything that decides the findings of an object besides the object
// and the kforge binary: the embedded data, the Kubernetes version, strictness and the
// definitions added from files or an environment. Findings memoized under an environment's
// rendered output and this fingerprint stay valid.
func (v *Validator) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "format=%d\ndata=%s\nkubernetes=%s\nstrict=%t\n", schemadata.FormatVersion, v.shared.dataKey, v.shared.kube.Release, v.shared.strict)
	keys := make([]string, 0, len(v.crds))
	for gk, e := range v.crds {
		if e.sha256 != "" {
			keys = append(keys, gk.String()+"="+e.sha256)
		}
	}
	for _, e := range v.jsonSchemas {
		keys = append(keys, "json-schema "+e.source+"="+e.sha256)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintln(h, k)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// KubernetesRelease is the Kubernetes release whose OpenAPI documents check built-in kinds
// ("v1.33.13").
func (v *Validator) KubernetesRelease() string { return v.shared.kube.Release }

// SupportedKubernetesVersions lists the "major.minor" versions the embedded data covers.
func SupportedKubernetesVersions() ([]string, error) {
	idx, err := readIndex()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(idx.Kubernetes))
	for i, kv := range idx.Kubernetes {
		out[i] = kv.Minor
	}
	return out, nil
}

func readIndex() (*schemadata.Index, error) {
	data, err := fs.ReadFile(generated, path.Join("generated", schemadata.IndexFile))
	if err != nil {
		return nil, &DataError{Reason: "is missing"}
	}
	var idx schemadata.Index
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, &DataError{Reason: fmt.Sprintf("is unreadable (%s: %v)", schemadata.IndexFile, err)}
	}
	if idx.Format != schemadata.FormatVersion {
		return nil, &DataError{Reason: fmt.Sprintf("has format %d, this kforge reads format %d", idx.Format, schemadata.FormatVersion)}
	}
	return &idx, nil
}

func readGzip(fsys fs.FS, name string) ([]byte, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	return data, zr.Close()
}

// builtin returns the validator of a built-in kind, or nil when the group version does not
// exist or does not have the kind.
func (sh *shared) builtin(gv, kind string) (*kindValidator, error) {
	d, ok := sh.docs[gv]
	if !ok {
		return nil, nil
	}
	if _, ok := d.kinds[kind]; !ok {
		return nil, nil
	}
	key := gv + "/" + kind
	sh.mu.Lock()
	lk, ok := sh.builtins[key]
	if !ok {
		source := fmt.Sprintf("Kubernetes %s OpenAPI (%s)", sh.kube.Release, gv)
		lk = &lazyKind{build: func() (*kindValidator, error) {
			st, err := d.kindStructural(kind)
			if err != nil {
				return nil, fmt.Errorf("schema of %s %s: %w", gv, kind, err)
			}
			return newStructuralValidator(st, false, source, &sh.caches), nil
		}}
		sh.builtins[key] = lk
	}
	sh.mu.Unlock()
	return lk.get()
}

// versionsWithKind lists the versions of a built-in group that have kind.
func (sh *shared) versionsWithKind(group, kind string) []string {
	var out []string
	for _, ver := range sh.groups[group] {
		gv := ver
		if group != "" {
			gv = group + "/" + ver
		}
		if _, ok := sh.docs[gv].kinds[kind]; ok {
			out = append(out, gv)
		}
	}
	return out
}

func (sh *shared) buildMeta() (*kindValidator, error) {
	d, ok := sh.docs["v1"]
	if !ok {
		return nil, &DataError{Reason: "has no core v1 document"}
	}
	doc, err := d.get()
	if err != nil {
		return nil, err
	}
	s, err := newResolver(doc).named(objectMetaSchema)
	if err != nil {
		return nil, fmt.Errorf("schema of object metadata: %w", err)
	}
	st, err := decodeStructural(s, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("schema of object metadata: %w", err)
	}
	kv := newStructuralValidator(st, false, fmt.Sprintf("Kubernetes %s OpenAPI (ObjectMeta)", sh.kube.Release), &sh.caches)
	kv.cel = nil
	return kv, nil
}
