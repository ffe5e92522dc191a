// Command tkmodel renders a Tanka repository the way `tk export` evaluates it, using go-jsonnet
// alone, so that hack/bench.sh has a Tanka-like baseline on machines where no `tk` binary can be
// installed. It is a model of Tanka's strategy, not Tanka, and written from Tanka's documented
// behaviour (../shared/tanka-compat.md and issue 6), not from its code:
//
//   - a fresh go-jsonnet VM and FileImporter per environment, so the vendored library and lib/
//     are read and parsed again for every environment;
//   - std.format and % as go-jsonnet implements them (in Jsonnet);
//   - Tanka's import paths (base, <root>/lib, <base>/vendor, <root>/vendor) and its
//     `tanka.dev/environment` ext code;
//   - every environment's manifests held in memory until all are rendered, then written as YAML,
//     one file per resource, named by tk's default-style template
//     <namespace of the environment>/<namespace>/<Kind>-<name>.yaml.
//
// What it leaves out can only make it faster than Tanka: no label injection or resource defaults,
// no native functions (the fixture calls none), no kind ordering, no manifest.json. Usage:
//
//	go run ./hack/tkmodel -parallel 2 -out OUT ROOT
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/google/go-jsonnet"
	"go.yaml.in/yaml/v2"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, renders every environment under ROOT/environments and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("tkmodel", flag.ContinueOnError)
	fl.SetOutput(stderr)
	parallel := fl.Int("parallel", runtime.NumCPU(), "environments evaluated at once")
	out := fl.String("out", "", "directory to write the manifests into (must not exist)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fl.NArg() != 1 || *parallel < 1 {
		_, _ = fmt.Fprintln(stderr, "usage: tkmodel [-parallel N] -out DIR ROOT")
		return 2
	}
	n, err := export(fl.Arg(0), *out, *parallel)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "tkmodel: %v\n", err)
		return 1
	}
	_, _ = fmt.Fprintf(stdout, "tkmodel: %d files in %s\n", n, *out)
	return 0
}

// rendered is one environment's output: file name (relative to the export directory) to YAML.
type rendered map[string][]byte

// export renders every environment below root/environments with up to parallel workers, holds
// all of them in memory as tk export does, then writes them under out. It returns the number of
// files written.
func export(root, out string, parallel int) (int, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return 0, err
	}
	envs, err := findEnvironments(filepath.Join(root, "environments"))
	if err != nil {
		return 0, err
	}
	results := make([]rendered, len(envs))
	errs := make([]error, len(envs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(parallel, len(envs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = renderEnvironment(root, envs[i])
			}
		}()
	}
	for i := range envs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		return 0, err
	}
	files := 0
	for _, r := range results {
		for name, data := range r {
			path := filepath.Join(out, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return files, err
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				return files, err
			}
			files++
		}
	}
	return files, nil
}

// findEnvironments returns the directories below dir that hold a spec.json, sorted.
func findEnvironments(dir string) ([]string, error) {
	var envs []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "spec.json" {
			envs = append(envs, filepath.Dir(path))
		}
		return nil
	})
	sort.Strings(envs)
	return envs, err
}

// spec is the part of an environment's spec.json the model needs.
type spec struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   map[string]any `json:"metadata"`
	Spec       struct {
		Namespace string `json:"namespace"`
	} `json:"spec"`
}

// renderEnvironment evaluates base/main.jsonnet in a fresh VM and returns its manifests as YAML.
func renderEnvironment(root, base string) (rendered, error) {
	raw, err := os.ReadFile(filepath.Join(base, "spec.json"))
	if err != nil {
		return nil, err
	}
	var s spec
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(base, "spec.json"), err)
	}
	if s.Spec.Namespace == "" {
		s.Spec.Namespace = "default"
	}
	rel, err := filepath.Rel(root, base)
	if err != nil {
		return nil, err
	}
	if s.Metadata == nil {
		s.Metadata = map[string]any{}
	}
	s.Metadata["name"] = filepath.ToSlash(rel)
	envJSON, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}

	vm := jsonnet.MakeVM()
	vm.Importer(&jsonnet.FileImporter{JPaths: []string{
		base, filepath.Join(root, "lib"), filepath.Join(base, "vendor"), filepath.Join(root, "vendor"),
	}})
	vm.ExtCode("tanka.dev/environment", string(envJSON))
	main := filepath.Join(base, "main.jsonnet")
	out, err := vm.EvaluateFile(main)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		return nil, fmt.Errorf("%s: %w", main, err)
	}
	var manifests []map[string]any
	if err := extract(tree, "", &manifests); err != nil {
		return nil, fmt.Errorf("%s: %w", main, err)
	}
	files := make(rendered, len(manifests))
	for _, m := range manifests {
		meta, _ := m["metadata"].(map[string]any)
		if _, ok := meta["namespace"]; !ok {
			meta["namespace"] = s.Spec.Namespace
		}
		data, err := yaml.Marshal(m)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("%s/%v/%v-%v.yaml", s.Spec.Namespace, meta["namespace"], m["kind"], meta["name"])
		files[name] = data
	}
	return files, nil
}

// extract walks the output tree the way Tanka does: an object with string apiVersion and kind is
// a manifest (a List is replaced by its items), other objects and arrays are walked, nulls skipped.
func extract(v any, path string, into *[]map[string]any) error {
	switch t := v.(type) {
	case nil:
		return nil
	case map[string]any:
		if isManifest(t) {
			if items, ok := t["items"].([]any); ok && strings.HasSuffix(fmt.Sprint(t["kind"]), "List") {
				return extract(items, path+".items", into)
			}
			if _, ok := t["metadata"].(map[string]any); !ok {
				return fmt.Errorf("%s: manifest without metadata", path)
			}
			*into = append(*into, t)
			return nil
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := extract(t[k], path+"."+k, into); err != nil {
				return err
			}
		}
		return nil
	case []any:
		for i, e := range t {
			if err := extract(e, fmt.Sprintf("%s[%d]", path, i), into); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("%s: not a Kubernetes manifest: %v", path, v)
	}
}

// isManifest reports whether o has non-empty string apiVersion and kind.
func isManifest(o map[string]any) bool {
	a, _ := o["apiVersion"].(string)
	k, _ := o["kind"].(string)
	return a != "" && k != ""
}
