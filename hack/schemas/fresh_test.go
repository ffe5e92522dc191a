package main

import (
	"path/filepath"
	"testing"
)

// TestCommittedDataIsFresh fails when the committed schema data was generated from other
// sources than the ones pinned here (a changed pin, a changed own CRD, a new data format):
// run `make schemas` and commit internal/schema/generated. `make verify` also regenerates the
// data from the module cache and compares every byte.
func TestCommittedDataIsFresh(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	key, err := sourcesKey(root)
	if err != nil {
		t.Fatal(err)
	}
	if !upToDate(filepath.Join(root, "internal", "schema", "generated"), key) {
		t.Fatal("internal/schema/generated is stale: run `make schemas` and commit the result")
	}
}
