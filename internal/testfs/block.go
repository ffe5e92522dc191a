package testfs

import (
	"os"
	"testing"
	"time"
)

// blockTimeout is how long CallWithTimeout waits: long enough for a loaded CI machine, short
// enough that a read blocked forever (on a named pipe) fails the test rather than the run.
const blockTimeout = 30 * time.Second

// CallWithTimeout calls f and returns its error, failing the test with "<name> blocked" when f
// has not returned within 30 seconds. Tests of readers that must refuse a named pipe use it:
// reading one would block forever.
func CallWithTimeout(t testing.TB, name string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(blockTimeout):
		t.Fatalf("%s blocked", name)
		return nil
	}
}

// Symlink creates the symbolic link newname pointing at oldname.
func Symlink(t testing.TB, oldname, newname string) {
	t.Helper()
	if err := os.Symlink(oldname, newname); err != nil {
		t.Fatal(err)
	}
}
