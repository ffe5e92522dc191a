package kustomize

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// RemoteError is a kustomization (or builtin plugin configuration) that names content outside
// the repository: a remote base or component (a git repository) or a file fetched over HTTP.
// kforge builds offline and reads only inside the repository, so it refuses them.
type RemoteError struct {
	// File is the repository-relative file that names the remote content.
	File string
	// Field is the field naming it, e.g. "resources".
	Field string
	// Ref is the remote reference as written.
	Ref string
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("%s: %s entry %q is remote; kforge's kustomize reads only files inside the repository and never fetches (vendor it into the repository and refer to it by a relative path)", e.File, e.Field, e.Ref)
}

// Fields of a kustomization or builtin plugin configuration that name what kustomize loads.
// baseFields may name a directory, which kustomize also accepts as a git repository URL;
// fileFields name files, which it fetches over HTTP when they are http(s) URLs.
var (
	baseFields = map[string]bool{"resources": true, "bases": true, "components": true, "generators": true, "transformers": true, "validators": true}
	fileFields = map[string]bool{"crds": true, "configurations": true, "patchesStrategicMerge": true, "path": true, "paths": true, "files": true, "envs": true, "env": true, "valuesFile": true, "additionalValuesFiles": true}
	// inlineFields may hold inline plugin configurations (YAML text) instead of paths.
	inlineFields = map[string]bool{"generators": true, "transformers": true, "validators": true}
)

// gitUserPrefix matches the user part of an scp-like git URL (git@host:org/repo).
var gitUserPrefix = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*@`)

// isRemoteBase reports whether kustomize would take ref for a git repository rather than a
// local directory: a URL (ssh, https, http, file), an scp-like user@host address or a
// github.com path, optionally after a "git::" prefix (all matched without regard to case), or
// an http(s) file.
func isRemoteBase(ref string) bool {
	rest := ref
	if strings.HasPrefix(strings.ToLower(ref), "git::") {
		rest = ref[len("git::"):]
	}
	lower := strings.ToLower(rest)
	for _, prefix := range []string{"ssh://", "https://", "http://", "file://", "github.com/", "github.com:"} {
		if strings.HasPrefix(lower, prefix) {
			return true
		}
	}
	return gitUserPrefix.MatchString(rest) || isRemoteFile(ref)
}

// isRemoteFile reports whether kustomize would fetch the file ref over HTTP.
func isRemoteFile(ref string) bool {
	u, err := url.Parse(ref)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https")
}

// scanKustomization returns the first remote reference of the kustomization file data (at
// the repository-relative file), or nil. Text that is not YAML is left to kustomize to report.
func scanKustomization(file string, data []byte) *RemoteError {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil
	}
	return scanValue(file, "", doc)
}

// scanPluginConfigs returns the first remote reference of the builtin plugin configurations
// (apiVersion "builtin") among the YAML documents of data, or nil. Other files are resources
// or patches, which name nothing kustomize loads.
func scanPluginConfigs(file string, data []byte) *RemoteError {
	if !bytes.Contains(data, []byte("builtin")) {
		return nil
	}
	return scanDocuments(file, data)
}

// scanDocuments scans every builtin plugin configuration of the YAML stream data.
func scanDocuments(file string, data []byte) *RemoteError {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc any
		if err := dec.Decode(&doc); err != nil {
			// The end of the stream, or a YAML error kustomize reports itself.
			return nil
		}
		m, ok := doc.(map[string]any)
		if !ok || m["apiVersion"] != "builtin" {
			continue
		}
		if err := scanValue(file, "", m); err != nil {
			return err
		}
	}
}

// scanValue walks v, the value of field, checking the strings of the fields that name what
// kustomize loads.
func scanValue(file, field string, v any) *RemoteError {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the first refusal does not depend on map order
		for _, k := range keys {
			if err := scanValue(file, k, v[k]); err != nil {
				return err
			}
		}
	case []any:
		for _, child := range v {
			if err := scanValue(file, field, child); err != nil {
				return err
			}
		}
	case string:
		return scanString(file, field, v)
	}
	return nil
}

// scanString checks one string of field.
func scanString(file, field, s string) *RemoteError {
	switch {
	case inlineFields[field] && strings.Contains(s, "\n"):
		return scanDocuments(file, []byte(s))
	case baseFields[field]:
		if isRemoteBase(s) {
			return &RemoteError{File: file, Field: field, Ref: s}
		}
	case fileFields[field]:
		ref := s
		if field == "files" {
			// key=path: the path follows the first "=".
			if _, p, ok := strings.Cut(s, "="); ok {
				ref = p
			}
		}
		if isRemoteFile(ref) || isRemoteFile(s) {
			return &RemoteError{File: file, Field: field, Ref: s}
		}
	}
	return nil
}
