package golden_test

import (
	"context"
	"testing"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/golden"
)

// TestDiffGitTree compares a tree read from git with newly rendered files.
func TestDiffGitTree(t *testing.T) {
	tgt, _, v2 := golden.GitFixture(t)
	tree, err := golden.ReadGitTree(context.Background(), tgt, "v1")
	if err != nil {
		t.Fatal(err)
	}
	d := drift.DiffSets(tgt, tree, v2)
	if d.Summary() != "1 removed, 1 changed, 3 unexpected" {
		t.Errorf("diff v1 → v2: %s", d.Summary())
	}
}
