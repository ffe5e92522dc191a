package interp

import (
	"strings"
	"testing"

	gojsonnet "github.com/google/go-jsonnet"
)

// benchProgram is a k8s-libsonnet-style workload: constructors, deep `+:` mixins through
// helper functions, object locals, comprehensions, std functions and string formatting.
const benchProgram = `
local k = {
  deployment: {
    new(name, replicas=1, containers=[]):: {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: name, labels: { app: name } },
      spec: { replicas: replicas, selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: containers } } },
    },
    mixin:: {
      spec:: {
        withReplicas(r):: { spec+: { replicas: r } },
        template:: { spec:: {
          withServiceAccount(sa):: { spec+: { template+: { spec+: { serviceAccountName: sa } } } },
          withNodeSelector(ns):: { spec+: { template+: { spec+: { nodeSelector+: ns } } } },
        } },
      },
      metadata:: {
        withLabelsMixin(l):: { metadata+: { labels+: l } },
        withAnnotations(a):: { metadata+: { annotations: a } },
      },
    },
  },
  container: {
    new(name, image):: { name: name, image: image, imagePullPolicy: 'IfNotPresent' },
    withPorts(ports):: { ports+: ports },
    withEnv(env):: { env+: env },
    withArgs(args):: { args+: args },
  },
};
local d = k.deployment, c = k.container;
local service(i) =
  local name = 'svc-%03d' % i;
  local ctr = c.new(name, 'registry.example.com/%s:%d.%d' % [name, i % 7, i % 13])
    + c.withPorts([{ name: 'http', containerPort: 8080 + i % 5 }])
    + c.withEnv([{ name: 'K%d' % j, value: std.toString(j * i) } for j in std.range(1, 8)])
    + c.withArgs(['--flag=%s' % std.asciiLower(name), '--level=' + (if i % 2 == 0 then 'debug' else 'info')]);
  d.new(name, replicas=1 + i % 3, containers=[ctr])
  + d.mixin.spec.withReplicas(2 + i % 4)
  + d.mixin.spec.template.spec.withServiceAccount(name)
  + d.mixin.spec.template.spec.withNodeSelector({ pool: 'p%d' % (i % 3) })
  + d.mixin.metadata.withLabelsMixin({ tier: if i % 2 == 0 then 'front' else 'back', index: std.toString(i) })
  + d.mixin.metadata.withAnnotations({ [k]: std.join('-', [k, name]) for k in ['a', 'b', 'c'] });
{
  ['svc-%03d' % i]: service(i)
  for i in std.range(0, 399)
} + {
  summary: {
    names: std.sort(std.objectFields(self)),
    total: std.foldl(function(acc, x) acc + x, [i * 2 for i in std.range(0, 999)], 0),
    filtered: std.length(std.filter(function(x) x % 3 == 0, std.range(0, 999))),
  },
}
`

// BenchmarkGoJsonnet evaluates benchProgram with go-jsonnet (parse excluded).
func BenchmarkGoJsonnet(b *testing.B) {
	node, err := gojsonnet.SnippetToAST("bench.jsonnet", benchProgram)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		vm := gojsonnet.MakeVM()
		if _, err := vm.Evaluate(node); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInterp evaluates benchProgram with this evaluator (parse excluded, output
// written as text like go-jsonnet's).
func BenchmarkInterp(b *testing.B) {
	node, err := gojsonnet.SnippetToAST("bench.jsonnet", benchProgram)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ev := New(gojsonnet.MakeVM(), nil)
		v, err := ev.Evaluate(node, Options{MaxStack: 500})
		if err != nil {
			b.Fatal(err)
		}
		var sb strings.Builder
		writeJSON(&sb, v, true, "")
	}
}

// TestBenchProgram checks that both evaluators agree on the benchmark's program.
func TestBenchProgram(t *testing.T) {
	if checkSame(t, "bench.jsonnet", benchProgram) {
		t.Fatal("the benchmark program was declined")
	}
}
