// Package project finds a kforge (or plain Grafana Tanka) repository: its
// root directory, its optional kforge.yaml configuration, the base directory
// of an environment and the Jsonnet import path that goes with it.
//
// Root detection follows Tanka and adds kforge's own marker in front: the
// nearest kforge.yaml walking up from the start, else the nearest tkrc.yaml
// walking up, else the nearest jsonnetfile.json walking up. Each marker is
// searched all the way up before the next one is tried, so a tkrc.yaml high
// up wins over a jsonnetfile.json close by, exactly as in Tanka.
package project

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/kforge/kforge/internal/fsutil"
)

// Root marker file names, in the order Find looks for them.
const (
	// ConfigFile is kforge's own root marker and configuration file.
	ConfigFile = "kforge.yaml"
	// TkrcFile is Tanka's explicit root marker.
	TkrcFile = "tkrc.yaml"
	// JsonnetFile is jsonnet-bundler's manifest, Tanka's fallback root marker.
	JsonnetFile = "jsonnetfile.json"
)

// Project is a repository found on disk.
type Project struct {
	// Root is the absolute repository root with symbolic links resolved.
	Root string
	// Config is the parsed kforge.yaml, or the defaults when there is none.
	Config Config
	// HasConfigFile tells whether Root holds a kforge.yaml.
	HasConfigFile bool
	// Marker is the file that identified Root: ConfigFile, TkrcFile or
	// JsonnetFile.
	Marker string
}

// Find locates the repository containing start (a file or a directory,
// absolute or relative to the working directory) and reads its kforge.yaml
// when there is one. It returns a *RootNotFoundError when no marker exists
// above start and a *ConfigError when kforge.yaml is invalid.
func Find(start string) (*Project, error) {
	dir, err := startDir(start)
	if err != nil {
		return nil, err
	}
	for _, marker := range []string{ConfigFile, TkrcFile, JsonnetFile} {
		root, found, err := findUp(dir, marker)
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		p := &Project{Root: root, Config: DefaultConfig(), Marker: marker}
		if marker == ConfigFile {
			data, err := readConfig(root)
			if err != nil {
				return nil, err
			}
			cfg, err := ParseConfig(ConfigFile, data)
			if err != nil {
				return nil, err
			}
			p.Config = cfg
			p.HasConfigFile = true
		}
		return p, nil
	}
	return nil, &RootNotFoundError{Start: start}
}

// maxConfigBytes bounds kforge.yaml: a configuration is a few lines, anything larger is not one.
const maxConfigBytes = 1 << 20

// readConfig reads root's kforge.yaml. It must be a regular file whose path, symbolic links
// followed, stays inside root (root itself is free of links): a named pipe or device is never
// opened (reading could block forever) and a link never makes kforge read a file outside the
// repository, whose keys would show in error messages.
func readConfig(root string) ([]byte, error) {
	fail := func(msg string) error { return &ConfigError{File: ConfigFile, Message: msg} }
	resolved, err := filepath.EvalSymlinks(filepath.Join(root, ConfigFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fail("cannot be read: it is a symbolic link to a file that does not exist")
		}
		return nil, fail("cannot be read: " + fsutil.WithoutPath(err).Error())
	}
	if rel, err := filepath.Rel(root, resolved); err != nil || !filepath.IsLocal(rel) {
		return nil, fail("must not be a symbolic link leading outside the repository")
	}
	fi, err := os.Stat(resolved)
	if err != nil {
		return nil, fail("cannot be read: " + fsutil.WithoutPath(err).Error())
	}
	if !fi.Mode().IsRegular() {
		return nil, fail("must be a regular file, found " + fsutil.FileType(fi.Mode()))
	}
	if fi.Size() > maxConfigBytes {
		return nil, fail(fmt.Sprintf("is %d bytes, more than a configuration file may be (%d)", fi.Size(), maxConfigBytes))
	}
	f, err := os.Open(resolved)
	if err != nil {
		return nil, fail("cannot be read: " + fsutil.WithoutPath(err).Error())
	}
	defer func() { _ = f.Close() }() // read-only: a Close error loses nothing
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, fail("cannot be read: " + fsutil.WithoutPath(err).Error())
	}
	if len(data) > maxConfigBytes {
		return nil, fail(fmt.Sprintf("is more than %d bytes, more than a configuration file may be", maxConfigBytes))
	}
	return data, nil
}

// startDir returns the absolute, symlink-free directory to search from.
func startDir(start string) (string, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", start, err)
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("find repository root: %s does not exist", start)
		}
		return "", fmt.Errorf("find repository root: %w", err)
	}
	fi, err := os.Stat(resolved)
	if err != nil {
		return "", fmt.Errorf("find repository root: %w", err)
	}
	if !fi.IsDir() {
		resolved = filepath.Dir(resolved)
	}
	return resolved, nil
}

// findUp walks from dir to the file system root looking for a directory that
// directly holds name.
func findUp(dir, name string) (string, bool, error) {
	for {
		ok, err := exists(filepath.Join(dir, name))
		if err != nil {
			return "", false, err
		}
		if ok {
			return dir, true, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false, nil
		}
		dir = parent
	}
}

// exists reports whether path exists; permission problems are errors, a
// missing file is not.
func exists(path string) (bool, error) {
	_, err := os.Stat(path)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return false, nil
	}
	return false, fmt.Errorf("stat %s: %w", filepath.Base(path), err)
}

// Rel returns path relative to the repository root, slash separated ("." for
// the root itself). A relative path is first made absolute against the
// working directory. Symbolic links are resolved when that is what brings the
// path inside the root. A path outside the repository comes back as a
// relative path starting with "..", never as an absolute one.
func (p *Project) Rel(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(filepath.Clean(path))
	}
	rel, inside := p.relInside(abs)
	if !inside {
		if resolved, err := filepath.EvalSymlinks(abs); err == nil {
			if r, ok := p.relInside(resolved); ok {
				return r
			}
		}
	}
	return rel
}

// relInside returns abs relative to the root and whether it lies inside it.
func (p *Project) relInside(abs string) (string, bool) {
	rel, err := filepath.Rel(p.Root, abs)
	if err != nil {
		return filepath.ToSlash(abs), false
	}
	rel = filepath.ToSlash(rel)
	return rel, !escapes(rel)
}

// Abs turns a repository-relative slash path into an absolute path.
func (p *Project) Abs(rel string) string {
	return filepath.Join(p.Root, filepath.FromSlash(rel))
}

// Contains reports whether path (absolute or relative to the working
// directory) lies inside the repository.
func (p *Project) Contains(path string) bool {
	return !escapes(p.Rel(path))
}

// escapes reports whether a cleaned slash path leaves its starting directory.
func escapes(rel string) bool {
	return rel == ".." || strings.HasPrefix(rel, "../") || filepath.IsAbs(rel)
}
