package cache

import (
	"os"
	"sync"
)

// memoMapBudget is the default budget of memoMaps: the bytes of memo files one Store maps.
const memoMapBudget = 64 << 20

// memoMaps reads the memo files a warm run serves by mapping them instead of copying them into
// the heap. A warm render spends most of its time after start-up on the memo: reading 5.8 MB of
// YAML into a fresh buffer page-faults every page of it, where a mapping shares the page cache's
// pages (kube-prometheus: a warm render 0.15 → 0.10 s; docs/performance.md).
//
// What a memo's decoder returns may keep slices of the memo (a files memo's contents stay where
// they are), so a mapping is never unmapped: it lives until the process exits, which for a
// command line tool is the end of the run. To keep that bounded, a Store maps at most budget
// bytes (memoMapBudget); beyond that, and where mapping is not offered, memos are read as before.
// Cache files are only ever replaced by renaming, never rewritten in place, so a mapped memo
// does not change under the mapping (pruning unlinks the file; the mapping stays valid).
type memoMaps struct {
	budget int64
	mu     sync.Mutex
	mapped int64
}

// read returns the content of the file at p, mapped while the budget lasts, else read.
func (m *memoMaps) read(p string) ([]byte, error) {
	if data, ok := m.tryMap(p); ok {
		return data, nil
	}
	return os.ReadFile(p)
}

// tryMap maps the file at p when it is not empty, its size fits in what is left of the
// budget, and mapping is offered.
func (m *memoMaps) tryMap(p string) ([]byte, bool) {
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	// Read only: closing cannot lose data, and the mapping does not need the descriptor.
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 || !m.reserve(info.Size()) {
		return nil, false
	}
	data, err := mapFile(f, int(info.Size()))
	if err != nil {
		m.release(info.Size())
		return nil, false
	}
	return data, true
}

// reserve takes n bytes of the budget when they are left.
func (m *memoMaps) reserve(n int64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.mapped+n > m.budget {
		return false
	}
	m.mapped += n
	return true
}

// release gives back n bytes reserved for a mapping that failed.
func (m *memoMaps) release(n int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mapped -= n
}
