// Package charts reads and writes Tanka's chartfile.yaml and vendors the Helm charts it requires
// into the charts directory, pulling them through the Helm SDK from HTTP chart repositories and
// OCI registries. The file format and the vendored layout are Tanka's (`tk tool charts`), so a
// repository can switch between the two tools.
package charts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"

	"github.com/kforge/kforge/internal/atomicfile"
	"github.com/kforge/kforge/internal/fsutil"
)

const (
	// Filename is the chartfile's name, in the directory the charts commands run in.
	Filename = "chartfile.yaml"
	// SchemaVersion is the only chartfile schema version Tanka and kforge know.
	SchemaVersion = 1
	// DefaultDirectory is where charts are vendored when the chartfile names no directory.
	DefaultDirectory = "charts"
)

// Chartfile is the content of chartfile.yaml: the repositories charts come from and the charts
// that must be vendored. Field names and their order on disk are Tanka's.
type Chartfile struct {
	// Version is the schema version, always 1.
	Version uint `json:"version"`
	// Repositories are the chart repositories (HTTP, or oci:// registries) charts are pulled from.
	Repositories []Repo `json:"repositories"`
	// Requires lists the charts to vendor.
	Requires []Requirement `json:"requires"`
	// Directory is where charts are vendored, relative to the chartfile; "charts" when empty.
	Directory string `json:"directory,omitempty"`
}

// Repo is one chart repository: an HTTP(S) repository serving index.yaml, or an OCI registry
// path (oci://host/path).
type Repo struct {
	// Name is how requirements refer to the repository (the part before the slash).
	Name string `json:"name,omitempty"`
	// URL is the repository's base URL.
	URL string `json:"url,omitempty"`
	// CAFile is a PEM bundle of certificate authorities to trust for this repository.
	CAFile string `json:"caFile,omitempty"`
	// CertFile is a client certificate for this repository.
	CertFile string `json:"certFile,omitempty"`
	// KeyFile is the client certificate's key.
	KeyFile string `json:"keyFile,omitempty"`
	// Username is the basic-auth user name.
	Username string `json:"username,omitempty"`
	// Password is the basic-auth password.
	Password string `json:"password,omitempty"`
}

// Requirement is one chart to vendor: repo/name at an exact version, into an optional directory
// (the chart's name when empty).
type Requirement struct {
	// Chart is "repository/name".
	Chart string `json:"chart"`
	// Version is the exact chart version.
	Version string `json:"version"`
	// Directory is the directory under the charts directory; the chart's name when empty.
	Directory string `json:"directory,omitempty"`
}

// RepoName is the repository part of the requirement's chart ("stable" of "stable/nginx").
func (r Requirement) RepoName() string {
	repo, _, _ := strings.Cut(r.Chart, "/")
	return repo
}

// ChartName is the chart part of the requirement's chart ("nginx" of "stable/nginx").
func (r Requirement) ChartName() string {
	_, name, _ := strings.Cut(r.Chart, "/")
	return name
}

// Dir is the directory the chart is vendored into, relative to the charts directory.
func (r Requirement) Dir() string {
	if r.Directory != "" {
		return r.Directory
	}
	return r.ChartName()
}

// String prints the requirement as Tanka's log lines do: chart@version (dir: d).
func (r Requirement) String() string {
	return fmt.Sprintf("%s@%s (dir: %s)", r.Chart, r.Version, r.Dir())
}

// File is a chartfile loaded from disk: its content and where it is.
type File struct {
	// Chartfile is the parsed content, with Tanka's defaults applied (version 1, directory
	// "charts").
	Chartfile
	// Path is the chartfile's path.
	Path string
}

// ChartsDir is the absolute directory charts are vendored into.
func (f *File) ChartsDir() string {
	return filepath.Join(filepath.Dir(f.Path), f.Directory)
}

// ErrNotFound is returned (wrapped) by Load when there is no chartfile.
var ErrNotFound = errors.New("no " + Filename)

// Load reads dir/chartfile.yaml. Unknown fields and requirements without a chart are errors that
// name the file and line.
func Load(dir string) (*File, error) {
	path := filepath.Join(dir, Filename)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s (create one with `kforge tool charts init`)", ErrNotFound, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("read chartfile: %w", err)
	}
	cf, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	return &File{Chartfile: *cf, Path: path}, nil
}

// Parse parses chartfile content; name is used in error messages.
func Parse(name string, data []byte) (*Chartfile, error) {
	var doc yamlv3.Node
	if err := yamlv3.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := checkFields(name, &doc); err != nil {
		return nil, err
	}
	cf := Chartfile{Version: SchemaVersion, Directory: DefaultDirectory}
	if err := yaml.Unmarshal(data, &cf); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if cf.Version != SchemaVersion {
		return nil, fmt.Errorf("%s: version %d is not supported (only %d)", name, cf.Version, SchemaVersion)
	}
	if cf.Directory == "" {
		cf.Directory = DefaultDirectory
	}
	reqs := sequenceItems(&doc, "requires")
	for i, r := range cf.Requires {
		if r.Chart == "" {
			return nil, fmt.Errorf("%s:%d: requires[%d]: 'chart' must be set", name, itemLine(reqs, i), i)
		}
	}
	return &cf, nil
}

// knownFields are the fields Tanka's chartfile schema has, per level.
var knownFields = map[string][]string{
	"":             {"version", "repositories", "requires", "directory"},
	"repositories": {"name", "url", "caFile", "certFile", "keyFile", "username", "password"},
	"requires":     {"chart", "version", "directory"},
}

// checkFields rejects fields the schema does not have, as Tanka's strict parse does, naming the
// line.
func checkFields(name string, doc *yamlv3.Node) error {
	if len(doc.Content) == 0 {
		return nil
	}
	top := doc.Content[0]
	if top.Kind != yamlv3.MappingNode {
		return fmt.Errorf("%s:%d: a chartfile is a mapping (version, repositories, requires, directory)", name, top.Line)
	}
	if err := checkMapping(name, top, "", knownFields[""]); err != nil {
		return err
	}
	for _, list := range []string{"repositories", "requires"} {
		for i, item := range sequenceItems(doc, list) {
			if item.Kind != yamlv3.MappingNode {
				return fmt.Errorf("%s:%d: %s[%d] must be a mapping", name, item.Line, list, i)
			}
			if err := checkMapping(name, item, fmt.Sprintf("%s[%d]", list, i), knownFields[list]); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkMapping(name string, m *yamlv3.Node, where string, known []string) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		key := m.Content[i]
		ok := false
		for _, k := range known {
			ok = ok || k == key.Value
		}
		if !ok {
			if where != "" {
				where += ": "
			}
			return fmt.Errorf("%s:%d: %sunknown field %q (known: %s)", name, key.Line, where, key.Value, strings.Join(known, ", "))
		}
	}
	return nil
}

// sequenceItems returns the items of the top-level sequence field key, or nil.
func sequenceItems(doc *yamlv3.Node, key string) []*yamlv3.Node {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yamlv3.MappingNode {
		return nil
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == key && top.Content[i+1].Kind == yamlv3.SequenceNode {
			return top.Content[i+1].Content
		}
	}
	return nil
}

func itemLine(items []*yamlv3.Node, i int) int {
	if i < len(items) {
		return items[i].Line
	}
	return 0
}

// Marshal encodes a chartfile exactly as Tanka writes it: keys in alphabetical order, empty
// optional fields left out, an empty requires list as [].
func Marshal(cf Chartfile) ([]byte, error) {
	data, err := yaml.Marshal(cf)
	if err != nil {
		return nil, fmt.Errorf("encode chartfile: %w", err)
	}
	return data, nil
}

// New is the chartfile `init` writes, Tanka's: the stable repository and no requirements.
func New() Chartfile {
	return Chartfile{
		Version:      SchemaVersion,
		Repositories: []Repo{{Name: "stable", URL: "https://charts.helm.sh/stable"}},
		Requires:     []Requirement{},
	}
}

// requirementRe is the form of a chart argument: repo/chart@version, then :directory optionally.
var requirementRe = regexp.MustCompile(`^([\w+\-/.]+)@([^:\s]+)(?::([\w\-. ]+))?$`)

// repoNameRe is the form of a repository name: letters, digits, _ and -.
var repoNameRe = regexp.MustCompile(`^[\w-]+$`)

// ParseRequirement parses "repo/chart@version" or "repo/chart@version:directory".
func ParseRequirement(s string) (Requirement, error) {
	m := requirementRe.FindStringSubmatch(s)
	if m == nil {
		return Requirement{}, fmt.Errorf("%q is not of the form 'repo/chart@version(:directory)'", s)
	}
	return Requirement{Chart: m[1], Version: m[2], Directory: m[3]}, nil
}

// ValidRepoName reports whether name can name a repository (letters, digits, _ and -).
func ValidRepoName(name string) bool { return repoNameRe.MatchString(name) }

// Validate checks the requirements before anything is pulled: every chart is repo/name, every
// directory stays inside the charts directory, and no two charts share a directory.
func (cf *Chartfile) Validate() error {
	var errs []string
	dirs := map[string]Requirement{}
	for _, r := range cf.Requires {
		if r.RepoName() == "" || r.ChartName() == "" {
			errs = append(errs, fmt.Sprintf("chart %q is not of the form repo/name", r.Chart))
			continue
		}
		if r.Version == "" {
			errs = append(errs, fmt.Sprintf("chart %q has no version", r.Chart))
		}
		dir := r.Dir()
		if err := checkDir(dir); err != nil {
			errs = append(errs, fmt.Sprintf("chart %q: %v", r.Chart, err))
			continue
		}
		if prev, ok := dirs[dir]; ok {
			errs = append(errs, fmt.Sprintf("output directory %q is used twice, by charts %s@%s and %s@%s",
				dir, prev.Chart, prev.Version, r.Chart, r.Version))
		}
		dirs[dir] = r
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid requirements:\n - %s", strings.Join(errs, "\n - "))
	}
	return nil
}

// checkDir refuses a vendoring directory that would leave the charts directory.
func checkDir(dir string) error {
	clean := filepath.Clean(filepath.FromSlash(dir))
	if filepath.IsAbs(clean) || clean == "." || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return fmt.Errorf("directory %q is not inside the charts directory", dir)
	}
	return nil
}

// HasRequirement reports whether r is already required, with the same version and directory.
func (cf *Chartfile) HasRequirement(r Requirement) bool {
	for _, x := range cf.Requires {
		if x == r {
			return true
		}
	}
	return false
}

// HasRepo reports whether a repository with this name exists.
func (cf *Chartfile) HasRepo(name string) bool {
	for _, x := range cf.Repositories {
		if x.Name == name {
			return true
		}
	}
	return false
}

// Save writes cf to path atomically (mode 0644, as Tanka writes it), leaving the file untouched
// when its content would not change.
func Save(path string, cf Chartfile) error {
	data, err := Marshal(cf)
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	err = atomicfile.Write(path, atomicfile.Options{Perm: 0o644, Sync: true}, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", path, fsutil.WithoutPath(err))
	}
	return nil
}
