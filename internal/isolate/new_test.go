package isolate

import (
	"context"
	"os"
	"testing"
)

func TestNew(t *testing.T) {
	limits := Limits{MaxOutputBytes: 1 << 20}
	t.Run("in process", func(t *testing.T) {
		ev, err := New(Config{InProcess: true, Limits: limits, Executable: "/nonexistent"})
		if err != nil {
			t.Fatal(err)
		}
		local, ok := ev.(Local)
		if !ok {
			t.Fatalf("New(InProcess) = %T, want Local", ev)
		}
		if local.Limits != limits {
			t.Errorf("Local.Limits = %+v, want %+v", local.Limits, limits)
		}
		res, err := ev.Evaluate(context.Background(), testOptions(t), "snippet", "{a: 1}")
		if err != nil || res.JSON != "{\n   \"a\": 1\n}\n" {
			t.Errorf("Evaluate = %q, %v", res.JSON, err)
		}
	})
	t.Run("workers of this program", func(t *testing.T) {
		ev, err := New(Config{Args: []string{workerName}, Size: 1, Limits: limits})
		if err != nil {
			t.Fatal(err)
		}
		pool, ok := ev.(*Pool)
		if !ok {
			t.Fatalf("New = %T, want *Pool", ev)
		}
		t.Cleanup(func() { _ = pool.Close() })
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		if pool.cfg.Executable != exe || pool.cfg.Limits != limits {
			t.Errorf("Pool config = %+v, want Executable %s and Limits %+v", pool.cfg, exe, limits)
		}
		if _, err := ev.Evaluate(context.Background(), testOptions(t), "snippet", "{a: 1}"); err != nil {
			t.Errorf("Evaluate: %v", err)
		}
	})
}
