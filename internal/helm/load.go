package helm

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"helm.sh/helm/v4/pkg/chart/loader/archive"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/ignore"
)

// maxWalkDepth bounds the directory depth of a chart, which also stops symlink loops.
const maxWalkDepth = 64

// FS is the repository as Helm sees it. Paths are repository-relative and slash separated.
// An implementation confines every read to the repository root (symlinks included) and
// records what it read, so that the files of a chart join the evaluation's read set.
type FS interface {
	// Stat describes the file or directory rel, following symlinks.
	Stat(rel string) (fs.FileInfo, error)
	// ReadFile returns the content of the regular file rel.
	ReadFile(rel string) ([]byte, error)
	// ReadDir lists the directory rel, sorted by name.
	ReadDir(rel string) ([]fs.DirEntry, error)
}

// chartFiles are the files of one chart as Helm's loader takes them, and their digest.
type chartFiles struct {
	files []*archive.BufferedFile
	// archive is the content of a packaged chart (.tgz) when the chart path is a file.
	archive []byte
	// digest is the sha256 of every file's name and content.
	digest string
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readChart reads the chart at the repository-relative dir the way Helm's directory loader
// does: .helmignore (and Helm's default rules) applied, symlinks followed, a UTF-8 byte order
// mark stripped, irregular files refused. A file (not a directory) is a packaged chart.
func readChart(fsys FS, dir string) (*chartFiles, error) {
	info, err := fsys.Stat(dir)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	if !info.IsDir() {
		data, err := fsys.ReadFile(dir)
		if err != nil {
			return nil, err
		}
		h.Write(data)
		return &chartFiles{archive: data, digest: hex.EncodeToString(h.Sum(nil))}, nil
	}
	rules := ignore.Empty()
	ignoreFile := path.Join(dir, ignore.HelmIgnore)
	if _, err := fsys.Stat(ignoreFile); err == nil {
		data, err := fsys.ReadFile(ignoreFile)
		if err != nil {
			return nil, err
		}
		if rules, err = ignore.Parse(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("parse %s: %w", ignoreFile, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	rules.AddDefaults()
	cf := &chartFiles{}
	var total int64
	var walk func(rel, name string, depth int) error
	walk = func(rel, name string, depth int) error {
		if depth > maxWalkDepth {
			return fmt.Errorf("%s: directories nested deeper than %d (a symlink loop?)", rel, maxWalkDepth)
		}
		entries, err := fsys.ReadDir(rel)
		if err != nil {
			return err
		}
		for _, e := range entries {
			childRel := path.Join(rel, e.Name())
			childName := e.Name()
			if name != "" {
				childName = name + "/" + e.Name()
			}
			fi, err := fsys.Stat(childRel)
			if err != nil {
				return err
			}
			if fi.IsDir() {
				if rules.Ignore(childName, fi) {
					continue
				}
				if err := walk(childRel, childName, depth+1); err != nil {
					return err
				}
				continue
			}
			if rules.Ignore(childName, fi) {
				continue
			}
			if !fi.Mode().IsRegular() {
				return fmt.Errorf("cannot load irregular file %s as it has file mode type bits set", childRel)
			}
			total += fi.Size()
			if total > archive.MaxDecompressedChartSize {
				return fmt.Errorf("chart %s is larger than %d bytes", dir, archive.MaxDecompressedChartSize)
			}
			data, err := fsys.ReadFile(childRel)
			if err != nil {
				return err
			}
			data = bytes.TrimPrefix(data, utf8BOM)
			cf.files = append(cf.files, &archive.BufferedFile{Name: childName, Data: data})
			fmt.Fprintf(h, "%d:%s\n%d:", len(childName), childName, len(data))
			h.Write(data)
		}
		return nil
	}
	if err := walk(dir, "", 0); err != nil {
		return nil, err
	}
	cf.digest = hex.EncodeToString(h.Sum(nil))
	return cf, nil
}

// load builds the Helm chart from the files readChart collected.
func (cf *chartFiles) load() (*chart.Chart, error) {
	if cf.archive != nil {
		return loader.LoadArchive(bytes.NewReader(cf.archive))
	}
	return loader.LoadFiles(cf.files)
}
