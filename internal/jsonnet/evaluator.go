package jsonnet

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
)

// Evaluator runs one Jsonnet evaluation: a file, or a snippet when code is not empty (filename
// then names the snippet for errors and relative imports). InProcess evaluates in this process;
// other implementations (internal/isolate's worker pool, internal/cache's caching evaluator)
// isolate evaluations to bound their time and memory, or serve them from a cache.
type Evaluator interface {
	Evaluate(ctx context.Context, opts Options, filename, code string) (Result, error)
}

// InProcess evaluates in the calling goroutine. The zero value builds a fresh VM for every
// evaluation. One made by NewInProcess reuses Sessions instead, one per goroutine evaluating at
// the same time, so the files environments share are parsed once per worker rather than once
// per environment; results are the same. InProcess is safe for concurrent use, and copies share
// their sessions.
type InProcess struct {
	sessions *sessionPool
}

// NewInProcess returns an InProcess that reuses sessions.
func NewInProcess() InProcess {
	return InProcess{sessions: &sessionPool{idle: map[string][]*Session{}}}
}

// Evaluate implements Evaluator.
func (e InProcess) Evaluate(_ context.Context, opts Options, filename, code string) (Result, error) {
	if e.sessions == nil {
		vm, err := NewVM(opts)
		if err != nil {
			return Result{}, fmt.Errorf("create Jsonnet VM: %w", err)
		}
		if code != "" {
			return vm.EvaluateSnippet(filename, code)
		}
		return vm.EvaluateFile(filename)
	}
	s, err := e.sessions.get(opts.Root)
	if err != nil {
		return Result{}, fmt.Errorf("create Jsonnet VM: %w", err)
	}
	res, err := s.Evaluate(opts, filename, code)
	e.sessions.put(s)
	var jerr *Error
	if err != nil && !errors.As(err, &jerr) {
		// Options the session refused: the error NewVM gives for them.
		return Result{}, fmt.Errorf("create Jsonnet VM: %w", err)
	}
	return res, err
}

// sessionPool holds the sessions not in use, by repository root. A goroutine takes one (or a
// new one) for an evaluation and gives it back, so the pool ends up with as many sessions as
// goroutines ever evaluated at once: one per worker.
type sessionPool struct {
	mu   sync.Mutex
	idle map[string][]*Session
}

// get returns an idle session for root or a new one.
func (p *sessionPool) get(root string) (*Session, error) {
	key := filepath.Clean(root)
	p.mu.Lock()
	if list := p.idle[key]; len(list) > 0 {
		s := list[len(list)-1]
		p.idle[key] = list[:len(list)-1]
		p.mu.Unlock()
		return s, nil
	}
	p.mu.Unlock()
	return NewSession(root)
}

// put makes s available again.
func (p *sessionPool) put(s *Session) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idle[s.Root()] = append(p.idle[s.Root()], s)
}
