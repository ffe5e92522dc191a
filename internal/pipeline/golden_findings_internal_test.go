package pipeline

import "testing"

func TestLineCounts(t *testing.T) {
	tests := map[string]string{
		"--- a/x.yaml\n+++ b/x.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 3\n+c: 4\n": "+2 -1 lines",
		"": "content changed",
	}
	for diff, want := range tests {
		if got := lineCounts(diff); got != want {
			t.Errorf("lineCounts(%q) = %q, want %q", diff, got, want)
		}
	}
}
