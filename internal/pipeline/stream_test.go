package pipeline_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/pipeline"
)

// TestWriteYAML checks that the stream of the environments' golden files is the stream of their
// manifests, as manifest.WriteStream writes it.
func TestWriteYAML(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run := open(t, dir, pipeline.Selection{All: true})
	var got bytes.Buffer
	if err := run.WriteYAML(ctx, &got); err != nil {
		t.Fatal(err)
	}
	ms, err := run.RenderManifests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := manifest.WriteStream(&want, ms); err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 || got.String() != want.String() {
		t.Errorf("WriteYAML =\n%s\nwant (%d manifests)\n%s", got.String(), len(ms), want.String())
	}
}
