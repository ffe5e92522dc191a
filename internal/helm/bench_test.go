package helm

import (
	"context"
	"testing"
)

// BenchmarkTemplate renders the demo chart: "render" with a fresh Renderer each time, "memo"
// served from the Renderer's memory (the chart is still read and hashed).
func BenchmarkTemplate(b *testing.B) {
	fsys := chartFS(demoChart())
	opts := Options{CalledFrom: "environments/x/main.jsonnet", IncludeCRDs: true, Values: map[string]any{"size": 7.0}}
	ctx := context.Background()
	b.Run("render", func(b *testing.B) {
		for b.Loop() {
			if _, err := NewRenderer().Template(ctx, fsys, "charts/demo", "rel", opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("memo", func(b *testing.B) {
		r := NewRenderer()
		for b.Loop() {
			if _, err := r.Template(ctx, fsys, "charts/demo", "rel", opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
