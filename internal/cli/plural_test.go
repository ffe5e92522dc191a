package cli

import "testing"

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 directories", 1: "1 directory", 2: "2 directories"} {
		if got := count(n, "directory", "directories"); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}
