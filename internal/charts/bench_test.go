package charts_test

import (
	"context"
	"os"
	"testing"

	"github.com/kforge/kforge/internal/charts"
)

const httpReqs = "- chart: test/hello\n  version: 1.0.0\n- chart: test/world\n  version: 0.2.0\n- chart: test/hello\n  version: 1.1.0\n  directory: hello-next\n"

// BenchmarkVendorFresh vendors the three HTTP fixtures into an empty charts directory (index
// fetch, three downloads, verification, expansion, rename) from a repository on 127.0.0.1.
func BenchmarkVendorFresh(b *testing.B) {
	s := startServers(b, false)
	f := writeChartfile(b, s, httpReqs)
	for b.Loop() {
		if err := os.RemoveAll(f.ChartsDir()); err != nil {
			b.Fatal(err)
		}
		if _, err := charts.Vendor(context.Background(), f, charts.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVendorUpToDate is the second run: every chart is already vendored at its version.
func BenchmarkVendorUpToDate(b *testing.B) {
	s := startServers(b, false)
	f := writeChartfile(b, s, httpReqs)
	if _, err := charts.Vendor(context.Background(), f, charts.Options{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := charts.Vendor(context.Background(), f, charts.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
