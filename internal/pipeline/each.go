package pipeline

import (
	"context"
	"runtime"
	"sync"

	"github.com/kforge/kforge/internal/environment"
)

// Workers returns the number of workers to use for n environments when parallel workers were
// asked for (0 means one per core).
func Workers(parallel, n int) int {
	if parallel <= 0 {
		parallel = runtime.GOMAXPROCS(0)
	}
	return max(1, min(parallel, n))
}

// Each runs work for every environment on up to parallel workers (0: one per core) and hands
// each result to emit in the order of envs, as soon as it and every earlier one are done, so
// output is deterministic while results are released one by one. A work error is passed to emit
// with the environment; an error returned by emit stops the run and is returned. Each returns
// ctx's error when ctx is cancelled first.
func Each[T any](ctx context.Context, parallel int, envs []environment.Environment,
	work func(context.Context, environment.Environment) (T, error),
	emit func(environment.Environment, T, error) error,
) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		index int
		value T
		err   error
	}
	jobs := make(chan int)
	results := make(chan result)
	var wg sync.WaitGroup
	for range Workers(parallel, len(envs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				v, err := work(ctx, envs[i])
				select {
				case results <- result{index: i, value: v, err: err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range envs {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	pending := map[int]result{}
	next := 0
	for next < len(envs) {
		var r result
		var ok bool
		select {
		case r, ok = <-results:
			if !ok {
				return ctx.Err()
			}
		case <-ctx.Done():
			return ctx.Err()
		}
		pending[r.index] = r
		for {
			r, ready := pending[next]
			if !ready {
				break
			}
			delete(pending, next)
			next++
			if err := emit(envs[r.index], r.value, r.err); err != nil {
				return err
			}
		}
	}
	return nil
}
