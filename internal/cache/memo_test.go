package cache

import (
	"bytes"
	"os"
	"testing"
)

func TestMemo(t *testing.T) {
	s := openStore(t)
	output := []byte(`{"a": 1}`)
	yaml := []byte("a: 1\n")
	if _, ok, err := s.GetMemo(output, "yaml/v1"); ok || err != nil {
		t.Fatalf("GetMemo before PutMemo = %v, %v; want a miss", ok, err)
	}
	if err := s.PutMemo(output, "yaml/v1", yaml); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.GetMemo(output, "yaml/v1")
	if err != nil || !ok || !bytes.Equal(got, yaml) {
		t.Fatalf("GetMemo = %q, %v, %v; want %q", got, ok, err, yaml)
	}
	tests := []struct {
		name   string
		output []byte
		memo   string
	}{
		{"other output", []byte(`{"a": 2}`), "yaml/v1"},
		{"other name", output, "yaml/v2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok, err := s.GetMemo(tt.output, tt.memo); ok || err != nil {
				t.Errorf("GetMemo = %v, %v; want a miss", ok, err)
			}
		})
	}
	t.Run("corrupt", func(t *testing.T) {
		p := s.memoPathOf(memoID(output, "yaml/v1"))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)-2] ^= 0x20
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.GetMemo(output, "yaml/v1"); ok || err != nil {
			t.Errorf("GetMemo of a corrupt memo = %v, %v; want a miss", ok, err)
		}
		if err := os.WriteFile(p, []byte("no header"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.GetMemo(output, "yaml/v1"); ok || err != nil {
			t.Errorf("GetMemo of a memo without header = %v, %v; want a miss", ok, err)
		}
	})
}
