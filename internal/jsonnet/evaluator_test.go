package jsonnet

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

func TestSessionPool(t *testing.T) {
	other := t.TempDir()
	root := filepath.Join(other, "repo")
	testfs.WriteFiles(t, root, map[string]string{
		"environments/a/main.jsonnet": "{ a: import 'b.libsonnet' }\n",
		"environments/b/main.jsonnet": "{ b: import 'b.libsonnet' }\n",
		"lib/b.libsonnet":             "{ name: 'b' }\n",
	})
	t.Run("one session per concurrent caller", func(t *testing.T) {
		p := NewInProcess().sessions
		var held []*Session
		for range 3 {
			s, err := p.get(root)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range held {
				if h == s {
					t.Fatal("a session in use was handed out again")
				}
			}
			held = append(held, s)
		}
		for _, s := range held {
			p.put(s)
		}
		if n := len(p.idle[root]); n != 3 {
			t.Errorf("%d idle sessions, want 3", n)
		}
		s, err := p.get(root)
		if err != nil {
			t.Fatal(err)
		}
		if s != held[2] {
			t.Error("get did not reuse the session put back last")
		}
		o, err := p.get(other)
		if err != nil {
			t.Fatal(err)
		}
		if o.Root() != other {
			t.Errorf("session for %s has root %s", other, o.Root())
		}
	})
	t.Run("sequential evaluations share one session", func(t *testing.T) {
		ev := NewInProcess()
		for _, env := range []string{"a", "b", "a"} {
			opts := Options{Root: root, JPath: []string{"environments/" + env, "lib", "environments/" + env + "/vendor", "vendor"}}
			if _, err := ev.Evaluate(context.Background(), opts, "environments/"+env+"/main.jsonnet", ""); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(ev.sessions.idle[root]); n != 1 {
			t.Errorf("%d sessions after sequential evaluations, want 1", n)
		}
	})
	t.Run("errors read as with a fresh VM", func(t *testing.T) {
		for _, opts := range []Options{
			{Root: "relative"},
			{Root: root, MaxStack: -1},
			{Root: root, JPath: []string{"/abs"}},
		} {
			_, want := InProcess{}.Evaluate(context.Background(), opts, "environments/a/main.jsonnet", "")
			_, got := NewInProcess().Evaluate(context.Background(), opts, "environments/a/main.jsonnet", "")
			if want == nil || got == nil || got.Error() != want.Error() {
				t.Errorf("options %+v: got %v, want %v", opts, got, want)
			}
		}
	})
}
