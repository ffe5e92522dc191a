package schema_test

import (
	"context"
	"sync"
	"testing"

	"github.com/kforge/kforge/internal/schema"
)

// BenchmarkValidate validates every object of environments/prod, with the per-kind validators
// already built (as they are after the first environment of a run). It reports objects/s.
func BenchmarkValidate(b *testing.B) {
	envs := renderReference(b, "environments/prod")
	v, err := schema.Load(schema.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var objs []map[string]any
	for _, env := range envs {
		ev, err := v.AddCRDs(env.name, env.objects)
		if err != nil {
			b.Fatal(err)
		}
		v = ev
		objs = append(objs, env.objects...)
	}
	for _, o := range objs {
		if fs := v.Validate(o); len(fs) > 0 {
			b.Fatalf("%s %v: %s", fs[0].Resource.Kind, fs[0].Resource.Name, fs[0].Message)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, o := range objs {
			v.Validate(o)
		}
	}
	b.ReportMetric(float64(b.N*len(objs))/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkLoadAndValidateCold loads the schemas and validates every object of
// environments/prod once: the cost of the first environment of a run, validators built.
func BenchmarkLoadAndValidateCold(b *testing.B) {
	envs := renderReference(b, "environments/prod")
	var objs []map[string]any
	for _, env := range envs {
		objs = append(objs, env.objects...)
	}
	b.ResetTimer()
	for b.Loop() {
		v, err := schema.Load(schema.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range objs {
			v.Validate(o)
		}
	}
	b.ReportMetric(float64(len(objs)), "objects/op")
}

// BenchmarkValidateAllCold is what schema validation adds to `kforge validate --all`: load the
// schemas, then validate every environment of the reference repository with two workers (the
// machine's cores), each environment with its own rendered definitions, through ValidateAll.
func BenchmarkValidateAllCold(b *testing.B) {
	envs := renderReference(b, "")
	objects := 0
	for _, env := range envs {
		objects += len(env.objects)
	}
	b.ResetTimer()
	for b.Loop() {
		v, err := schema.Load(schema.Options{})
		if err != nil {
			b.Fatal(err)
		}
		work := make(chan renderedEnv)
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for env := range work {
					ev, err := v.AddCRDs(env.name, env.objects)
					if err != nil {
						b.Error(err)
						continue
					}
					ev.ValidateAll(context.Background(), env.objects)
				}
			}()
		}
		for _, env := range envs {
			work <- env
		}
		close(work)
		wg.Wait()
	}
	b.ReportMetric(float64(objects), "objects/op")
}
