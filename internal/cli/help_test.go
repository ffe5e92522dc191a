package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasHelpWithExample walks the command tree: every visible command documents
// itself with a short description and at least one example.
func TestEveryCommandHasHelpWithExample(t *testing.T) {
	root := newRootCmd(IOStreams{})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			t.Run(sub.CommandPath(), func(t *testing.T) {
				if sub.Short == "" {
					t.Error("no short description")
				}
				if strings.TrimSpace(sub.Example) == "" {
					t.Error("no example in --help")
				}
			})
			walk(sub)
		}
	}
	walk(root)
}

func TestHelpAndCompletionRun(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"validate", "--help"}, {"completion", "bash"}, {"version"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			if err := Run(context.Background(), IOStreams{Out: &out, ErrOut: &errOut}, args); err != nil {
				t.Fatalf("kforge %v: %v", args, err)
			}
			if out.Len() == 0 {
				t.Fatal("no output")
			}
		})
	}
}
