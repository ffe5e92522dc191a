package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/policy"
)

// benchConfig is the fixture the benchmarks render: a few environments of the default size, so
// that one iteration takes a few seconds on a small machine.
func benchConfig() Config { return Config{Envs: 4, Services: 30} }

// BenchmarkRenderFixture renders every environment of a generated fixture one after the other,
// as one cold `kforge render --all` does on one core (a fresh VM per environment). It is the
// harness for profiling the render path:
//
//	go test -run '^$' -bench RenderFixture -cpuprofile cpu.out ./hack/genfixture
//	go tool pprof -top -cum hack/genfixture.test cpu.out
func BenchmarkRenderFixture(b *testing.B) {
	r, envs := renderer(b, generate(b, benchConfig()))
	b.ReportAllocs()
	for b.Loop() {
		for _, env := range envs {
			if _, err := r.Render(context.Background(), env); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(envs)), "ms/env")
}

// BenchmarkRenderFixtureWarm is the warm path of `kforge export --all` with the render cache:
// every environment is served from the cache, then extracted and encoded into its golden files
// (without writing them). Profile it like BenchmarkRenderFixture.
func BenchmarkRenderFixtureWarm(b *testing.B) {
	store, err := cache.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	ce := cache.NewEvaluator(jsonnet.InProcess{}, store, "genfixture-bench")
	r, envs := rendererWith(b, generate(b, benchConfig()), ce)
	renderAll := func() {
		for _, env := range envs {
			rendered, err := r.Render(context.Background(), env)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := pipeline.GoldenFiles(rendered.Manifests); err != nil {
				b.Fatal(err)
			}
		}
	}
	renderAll()
	b.ReportAllocs()
	for b.Loop() {
		renderAll()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(envs)), "ms/env")
	if s := ce.Stats(); s.Misses != int64(len(envs)) || s.Hits == 0 {
		b.Fatalf("cache stats %+v: want %d misses (the warm-up) and hits after", s, len(envs))
	}
}

// BenchmarkStages measures each stage of the pipeline for one environment of the fixture:
// evaluate (Jsonnet), extract (output tree to sorted manifests), encode (canonical YAML of every
// resource), policy (every policy of the repository's policies/) and golden compare (against
// the environment's own golden directory).
func BenchmarkStages(b *testing.B) {
	dir := generate(b, benchConfig())
	r, envs := renderer(b, dir)
	env := envs[len(envs)-1]
	res, err := r.Evaluate(context.Background(), env)
	if err != nil {
		b.Fatal(err)
	}
	ms, err := manifest.Extract([]byte(res.JSON), pipeline.Settings(env))
	if err != nil {
		b.Fatal(err)
	}
	files, err := pipeline.GoldenFiles(ms)
	if err != nil {
		b.Fatal(err)
	}
	target := r.GoldenTarget(env)
	if _, err := golden.Update(target, files); err != nil {
		b.Fatal(err)
	}
	policies, err := filepath.Abs(filepath.Join("..", "..", "policies"))
	if err != nil {
		b.Fatal(err)
	}
	engine, err := policy.Load(context.Background(), []string{policies}, nil, policy.Options{Root: dir})
	if err != nil {
		b.Fatal(err)
	}
	in, err := r.PolicyInput(&pipeline.Rendered{Env: env, Manifests: ms, Reads: res.Reads}, ms)
	if err != nil {
		b.Fatal(err)
	}

	stages := []struct {
		name string
		run  func(environment.Environment) error
	}{
		{"evaluate", func(env environment.Environment) error {
			_, err := r.Evaluate(context.Background(), env)
			return err
		}},
		{"extract", func(env environment.Environment) error {
			_, err := manifest.Extract([]byte(res.JSON), pipeline.Settings(env))
			return err
		}},
		{"encode", func(environment.Environment) error {
			_, err := pipeline.GoldenFiles(ms)
			return err
		}},
		{"read-golden", func(env environment.Environment) error {
			_, err := r.ReadGolden(env, &pipeline.Rendered{Env: env, Manifests: ms}, files)
			return err
		}},
		{"policy-input", func(env environment.Environment) error {
			_, err := r.PolicyInput(&pipeline.Rendered{Env: env, Manifests: ms, Reads: res.Reads}, ms)
			return err
		}},
		{"policy", func(environment.Environment) error {
			_, err := engine.Evaluate(context.Background(), in)
			return err
		}},
		{"golden-compare", func(environment.Environment) error {
			d, err := drift.Compare(target, files)
			if err == nil && !d.Clean() {
				b.Fatalf("golden drift right after update: %s", d.Summary())
			}
			return err
		}},
	}
	for _, st := range stages {
		b.Run(st.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := st.run(env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
