package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// lockFile is the part of jsonnet-bundler's jsonnetfile.lock.json the check reads.
type lockFile struct {
	Dependencies []struct {
		Source struct {
			Git *struct {
				Remote string `json:"remote"`
				Subdir string `json:"subdir"`
			} `json:"git"`
		} `json:"source"`
		Version string `json:"version"`
		Sum     string `json:"sum"`
	} `json:"dependencies"`
}

// checkSums writes, for every git dependency of root's jsonnetfile.lock.json, whether the
// vendored directory's content has the lock file's sum (jsonnet-bundler's: base64 of the SHA-256
// of every file's bytes, files in filepath.Walk order). It returns how many differ or are missing.
func checkSums(w io.Writer, root string) (int, error) {
	data, err := os.ReadFile(filepath.Join(root, "jsonnetfile.lock.json"))
	if err != nil {
		return 0, fmt.Errorf("read lock file: %w", err)
	}
	var lock lockFile
	if err := json.Unmarshal(data, &lock); err != nil {
		return 0, fmt.Errorf("parse %s: %w", filepath.Join(root, "jsonnetfile.lock.json"), err)
	}
	bad := 0
	var b strings.Builder
	for _, d := range lock.Dependencies {
		if d.Source.Git == nil {
			continue
		}
		remote := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(d.Source.Git.Remote, "https://"), "http://"), ".git")
		rel := filepath.Join("vendor", remote, d.Source.Git.Subdir)
		got, err := dirSum(filepath.Join(root, rel))
		state := "matches the lock file's sum"
		switch {
		case err != nil:
			state, bad = "missing: "+err.Error(), bad+1
		case got != d.Sum:
			state, bad = "differs from the lock file's sum (content is not the pinned commit's)", bad+1
		}
		fmt.Fprintf(&b, "%s @ %s: %s\n", filepath.ToSlash(rel), d.Version, state)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return bad, fmt.Errorf("write the sums: %w", err)
	}
	return bad, nil
}

// dirSum is jsonnet-bundler's directory checksum.
func dirSum(dir string) (string, error) {
	h := sha256.New()
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(h, f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}
