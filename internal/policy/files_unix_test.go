//go:build unix

package policy

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

// TestLoadRefusesUnsafeFiles checks that the policy loader never reads a file it should not: a
// .rego or data file that is a link leading outside the repository (a credentials file would
// otherwise become data a policy can print) and named pipes (the loader would block forever).
func TestLoadRefusesUnsafeFiles(t *testing.T) {
	const rule = "package kforge.ok\n\ndeny contains {\"msg\": \"never\"} if false\n"
	tests := []struct {
		name  string
		setUp func(t *testing.T, root, outside string)
		data  []string
		want  string
	}{
		{name: "rego link to a file outside", setUp: func(t *testing.T, root, outside string) {
			testfs.Symlink(t, filepath.Join(outside, "secret.rego"), filepath.Join(root, "policies", "leak.rego"))
		}, want: "policies/leak.rego: a symbolic link leading outside the repository is not read"},
		{name: "data link to a file outside", setUp: func(t *testing.T, root, outside string) {
			testfs.Symlink(t, filepath.Join(outside, "config.json"), filepath.Join(root, "policies", "sub", "data.json"))
		}, want: "policies/sub/data.json: a symbolic link leading outside the repository is not read"},
		{name: "rego named pipe", setUp: func(t *testing.T, root, _ string) {
			testfs.Mkfifo(t, filepath.Join(root, "policies", "pipe.rego"))
		}, want: "policies/pipe.rego: not a regular file (a named pipe)"},
		{name: "data file named pipe", setUp: func(t *testing.T, root, _ string) {
			testfs.Mkfifo(t, filepath.Join(root, "extra.json"))
		}, data: []string{"extra.json"}, want: "extra.json: not a regular file (a named pipe)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, outside := t.TempDir(), t.TempDir()
			if err := os.MkdirAll(filepath.Join(root, "policies", "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(root, "policies", "ok.rego"), rule)
			write(t, filepath.Join(outside, "secret.rego"), "package kforge.secret\n\ntoken := \"s3cr3t\"\n")
			write(t, filepath.Join(outside, "config.json"), `{"token": "s3cr3t"}`)
			tt.setUp(t, root, outside)
			err := testfs.CallWithTimeout(t, "Load", func() error {
				_, err := Load(context.Background(), []string{"policies"}, tt.data, Options{Root: root})
				return err
			})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Load = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), root) {
				t.Errorf("error leaks content or an absolute path: %v", err)
			}
		})
	}
	t.Run("links inside the repository are followed", func(t *testing.T) {
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "policies"), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "shared.rego"), rule)
		testfs.Symlink(t, filepath.Join("..", "shared.rego"), filepath.Join(root, "policies", "ok.rego"))
		e, err := Load(context.Background(), []string{"policies"}, nil, Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Rules()) != 1 {
			t.Errorf("rules = %+v, want the linked policy's rule", e.Rules())
		}
	})
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
