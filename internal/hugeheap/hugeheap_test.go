package hugeheap

import "testing"

func TestWanted(t *testing.T) {
	const madvise = "always [madvise] never\n"
	tests := []struct {
		enabled, overcommit, godebug string
		want                         bool
	}{
		{madvise, "0\n", "", true},
		{madvise, "1\n", "", true},
		{madvise, "2\n", "", false},
		{madvise, "0\n", "madvdontneed=1", true},
		{"[always] madvise never\n", "0\n", "", false},
		{"always madvise [never]\n", "0\n", "", false},
		{madvise, "0\n", "disablethp=1", false},
		{madvise, "0\n", "gctrace=1, disablethp=1", false},
		{madvise, "0\n", "disablethp=0", true},
		{"", "0\n", "", false},
	}
	for _, tt := range tests {
		if got := wanted(tt.enabled, tt.overcommit, tt.godebug); got != tt.want {
			t.Errorf("wanted(%q, %q, %q) = %v, want %v", tt.enabled, tt.overcommit, tt.godebug, got, tt.want)
		}
	}
}
