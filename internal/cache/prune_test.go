package cache

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPrune(t *testing.T) {
	root := copyRepo(t)
	s := openStore(t)
	base := baseInputs(t, root)
	old := time.Now().Add(-48 * time.Hour)
	var keys []Key
	for i := range 4 {
		in := base
		in.Options.TLACode = map[string]string{"replicas": string(rune('1' + i))}
		k := NewKey(in)
		if err := s.Put(k, root, render(t, in)); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	// Age the first two entries; a hit on the first one makes it recent again.
	for _, k := range keys[:2] {
		e, ok, err := s.Get(k, root)
		if !ok || err != nil {
			t.Fatalf("Get = %v, %v", ok, err)
		}
		for _, p := range []string{s.entryPath(k.id), s.blobPath(sha256Hex(e.Output))} {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, ok, _ := s.Get(keys[0], root); !ok {
		t.Fatal("Get missed")
	}
	stale := filepath.Join(s.dir, entriesDir, tempPrefix+"killed")
	if err := os.WriteFile(stale, []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(s.dir, entriesDir, tempPrefix+"writing")
	if err := os.WriteFile(fresh, []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}

	st, err := s.Prune(0)
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 8 || st.Removed != 1 {
		t.Fatalf("Prune(0) = %+v, want 8 files and only the stale temporary file removed", st)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent temporary file was removed: %v", err)
	}

	// Keep room for three of the four entries: the least recently used one goes.
	limit := st.Bytes - 1
	st, err = s.Prune(limit)
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes-st.Freed > limit || st.Removed == 0 {
		t.Fatalf("Prune(%d) = %+v", limit, st)
	}
	for i, k := range keys {
		_, ok, err := s.Get(k, root)
		if err != nil {
			t.Fatal(err)
		}
		if want := i != 1; ok != want {
			t.Errorf("entry %d: hit = %v, want %v", i, ok, want)
		}
	}
}
