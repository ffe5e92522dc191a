package profile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStart(t *testing.T) {
	stop, err := Start(func(string) (string, bool) { return "", false })
	if err != nil || stop() != nil {
		t.Fatalf("without %s: %v", EnvVar, err)
	}
	path := filepath.Join(t.TempDir(), "cpu.out")
	stop, err = Start(func(k string) (string, bool) { return path, k == EnvVar })
	if err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Errorf("no profile written: %v", err)
	}
	heap := filepath.Join(t.TempDir(), "heap.out")
	stop, err = Start(func(k string) (string, bool) { return heap, k == MemEnvVar })
	if err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(heap); err != nil || fi.Size() == 0 {
		t.Errorf("no heap profile written: %v", err)
	}
	if _, err := Start(func(string) (string, bool) { return filepath.Join(t.TempDir(), "no", "dir"), true }); err == nil {
		t.Error("an unwritable path was accepted")
	}
}
