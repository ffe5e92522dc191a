package cache

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestCorruptEntry damages the stored files in every way a crash, a full disk or a stray
// write can, and checks that Get misses and the next Put repairs the entry.
func TestCorruptEntry(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, s *Store, k Key, e Entry)
		want   string
	}{
		{"entry truncated", func(t *testing.T, s *Store, k Key, _ Entry) {
			truncate(t, s.entryPath(k.id), 0.5)
		}, "corrupt entry"},
		{"entry empty", func(t *testing.T, s *Store, k Key, _ Entry) {
			truncate(t, s.entryPath(k.id), 0)
		}, "corrupt entry"},
		{"entry header only", func(t *testing.T, s *Store, k Key, _ Entry) {
			data := readAll(t, s.entryPath(k.id))
			write(t, s.entryPath(k.id), data[:bytes.IndexByte(data, '\n')+1])
		}, "corrupt entry"},
		{"entry byte flipped", func(t *testing.T, s *Store, k Key, _ Entry) {
			data := readAll(t, s.entryPath(k.id))
			data[len(data)-5] ^= 0x20
			write(t, s.entryPath(k.id), data)
		}, "corrupt entry"},
		{"entry garbage", func(t *testing.T, s *Store, k Key, _ Entry) {
			write(t, s.entryPath(k.id), []byte("\x00\x01garbage"))
		}, "corrupt entry"},
		{"entry of another key", func(t *testing.T, s *Store, k Key, _ Entry) {
			other := NewKey(Inputs{Environment: "other"})
			body := []byte(`{"key":"` + other.id + `","output":"` + sha256Hex(nil) + `","size":0,"reads":[],"misses":[]}`)
			write(t, s.entryPath(k.id), encodeRecord(body))
		}, "corrupt entry"},
		{"output byte flipped", func(t *testing.T, s *Store, _ Key, e Entry) {
			p := s.blobPath(sha256Hex(e.Output))
			data := readAll(t, p)
			data[10] ^= 0x20
			write(t, p, data)
		}, "missing or corrupt output"},
		{"output truncated", func(t *testing.T, s *Store, _ Key, e Entry) {
			truncate(t, s.blobPath(sha256Hex(e.Output)), 0.5)
		}, "missing or corrupt output"},
		{"output removed", func(t *testing.T, s *Store, _ Key, e Entry) {
			if err := os.Remove(s.blobPath(sha256Hex(e.Output))); err != nil {
				t.Fatal(err)
			}
		}, "missing or corrupt output"},
		{"entry removed", func(t *testing.T, s *Store, k Key, _ Entry) {
			if err := os.Remove(s.entryPath(k.id)); err != nil {
				t.Fatal(err)
			}
		}, "no entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := copyRepo(t)
			s := openStore(t)
			in := baseInputs(t, root)
			k := NewKey(in)
			e := render(t, in)
			if err := s.Put(k, root, e); err != nil {
				t.Fatal(err)
			}
			tt.damage(t, s, k, e)
			if _, ok, err := s.Get(k, root); ok || err != nil {
				t.Fatalf("Get on a damaged entry = %v, %v; want a miss", ok, err)
			}
			if reason, _ := s.Explain(k, root); reason != tt.want {
				t.Errorf("miss reason = %q, want %q", reason, tt.want)
			}
			if err := s.Put(k, root, e); err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.Get(k, root)
			if err != nil || !ok || !bytes.Equal(got.Output, e.Output) {
				t.Fatalf("Get after the rebuild = %v, %v; want a hit with the output", ok, err)
			}
		})
	}
}

func readAll(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func write(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// truncate cuts the file p to the given fraction of its size.
func truncate(t *testing.T, p string, fraction float64) {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, int64(float64(info.Size())*fraction)); err != nil {
		t.Fatal(err)
	}
}

// TestUnreadableEntry is the one failure Get reports as an error: an entry path that exists
// but cannot be read (here a directory, which fails for root too).
func TestUnreadableEntry(t *testing.T) {
	root := copyRepo(t)
	s := openStore(t)
	in := baseInputs(t, root)
	k := NewKey(in)
	if err := os.MkdirAll(s.entryPath(k.id), 0o755); err != nil {
		t.Fatal(err)
	}
	_, ok, err := s.Get(k, root)
	if err == nil || ok {
		t.Fatalf("Get on an unreadable entry = %v, %v; want an error", ok, err)
	}
	if strings.Contains(err.Error(), s.dir) {
		t.Errorf("error %q contains the absolute cache path", err)
	}
}
