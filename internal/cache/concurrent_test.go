package cache

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentWriters has goroutines write two different outputs under one key while
// others read it: every hit must be one complete output, never a mix, and the store must end
// up with a valid entry and no temporary files.
func TestConcurrentWriters(t *testing.T) {
	root := copyRepo(t)
	s := openStore(t)
	in := baseInputs(t, root)
	k := NewKey(in)
	e := render(t, in)
	outputs := [][]byte{e.Output, append(bytes.Clone(e.Output), []byte("\n\n")...)}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				if err := s.Put(k, root, Entry{Output: outputs[(w+i)%2], Reads: e.Reads}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				got, ok, err := s.Get(k, root)
				if err != nil {
					errs <- err
					return
				}
				if ok && !bytes.Equal(got.Output, outputs[0]) && !bytes.Equal(got.Output, outputs[1]) {
					errs <- fmt.Errorf("hit with an output that was never written (%d bytes)", len(got.Output))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, ok, err := s.Get(k, root); !ok || err != nil {
		t.Errorf("Get after the writers = %v, %v; want a hit", ok, err)
	}
	assertNoTemp(t, s.dir)
}

// helperEnv tells the test binary, started again by TestConcurrentProcesses, to act as a
// writer process.
const helperEnv = "KFORGE_CACHE_TEST_HELPER"

// TestConcurrentProcesses runs two processes that write and read the same key in one cache
// directory at the same time.
func TestConcurrentProcesses(t *testing.T) {
	if spec := os.Getenv(helperEnv); spec != "" {
		cacheDir, root, _ := strings.Cut(spec, string(os.PathListSeparator))
		if err := writerProcess(t, cacheDir, root); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		return
	}
	root := copyRepo(t)
	cacheDir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for range 2 {
		cmd := exec.Command(exe, "-test.run=^TestConcurrentProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"="+cacheDir+string(os.PathListSeparator)+root)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		outs = append(outs, &out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer process %d: %v\n%s", i, err, outs[i])
		}
	}
	s, err := Open(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	in := baseInputs(t, root)
	got, ok, err := s.Get(NewKey(in), root)
	if err != nil || !ok || !bytes.Equal(got.Output, render(t, in).Output) {
		t.Fatalf("Get after both processes = %v, %v; want a hit with the output", ok, err)
	}
	assertNoTemp(t, s.dir)
}

// writerProcess is the body of one writer process.
func writerProcess(t *testing.T, cacheDir, root string) error {
	s, err := Open(cacheDir)
	if err != nil {
		return err
	}
	in := baseInputs(t, root)
	k := NewKey(in)
	e := render(t, in)
	for range 100 {
		if err := s.Put(k, root, e); err != nil {
			return err
		}
		got, ok, err := s.Get(k, root)
		if err != nil {
			return err
		}
		if !ok || !bytes.Equal(got.Output, e.Output) {
			return fmt.Errorf("Get right after Put = %v; want a hit with the output", ok)
		}
	}
	return nil
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), tempPrefix) {
			t.Errorf("temporary file left behind: %s", d.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
