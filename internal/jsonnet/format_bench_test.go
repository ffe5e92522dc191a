package jsonnet

import "testing"

// formatBenchProgram formats names the way real libraries do, a few thousand times: literal
// format strings with arrays, single values and mapping keys, and a computed one.
const formatBenchProgram = `
local services = [{ name: 'svc-%d' % i, ns: 'ns%d' % (i % 7), port: 8000 + i } for i in std.range(1, 1000)];
[
  {
    fqdn: '%s.%s.svc.cluster.local' % [s.name, s.ns],
    id: std.format('%(name)s-%(ns)s', s),
    port: std.format('%(port)05d', s),
    ratio: std.format('%.' + 2 + 'f', [s.port / 3]),
  }
  for s in services
]
`

// BenchmarkFormat evaluates formatBenchProgram with native formatting and with go-jsonnet's
// Jsonnet implementation; compare the two ns/op figures.
func BenchmarkFormat(b *testing.B) {
	root := b.TempDir()
	for _, tc := range []struct {
		name    string
		disable bool
	}{{"native", false}, {"jsonnet", true}} {
		b.Run(tc.name, func(b *testing.B) {
			vm, err := NewVM(Options{Root: root, DisableNativeFormat: tc.disable})
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
				if _, err := vm.EvaluateSnippet("bench.jsonnet", formatBenchProgram); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
