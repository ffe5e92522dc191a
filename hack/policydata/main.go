// Command policydata writes policies/data.json, the data of the built-in policies, from
// policies/data.jsonnet, which takes the tier limits from the platform's tier table
// (lib/config/tiers.libsonnet): the policies and the rendered environments read one table.
// It evaluates with go-jsonnet (lib on the import path) and writes the JSON with two-space
// indentation, only when it changed. A test in this directory fails when the committed file is
// not what the sources give.
//
// Usage, from the repository root (make generate):
//
//	go run ./hack/policydata
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	gojsonnet "github.com/google/go-jsonnet"
)

// The source, its output and the import path, relative to the repository root.
const (
	source = "policies/data.jsonnet"
	output = "policies/data.json"
	lib    = "lib"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "policydata:", err)
		os.Exit(1)
	}
}

func run() error {
	want, err := generate(".")
	if err != nil {
		return err
	}
	if got, err := os.ReadFile(output); err == nil && bytes.Equal(got, want) {
		return nil
	}
	if err := os.WriteFile(output, want, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", output, err)
	}
	return nil
}

// generate evaluates the source of the repository at root and returns the content of the data
// file.
func generate(root string) ([]byte, error) {
	vm := gojsonnet.MakeVM()
	vm.Importer(&gojsonnet.FileImporter{JPaths: []string{filepath.Join(root, lib)}})
	out, err := vm.EvaluateFile(filepath.Join(root, source))
	if err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", source, err)
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(out), "", "  "); err != nil {
		return nil, fmt.Errorf("indent %s: %w", output, err)
	}
	return b.Bytes(), nil
}
