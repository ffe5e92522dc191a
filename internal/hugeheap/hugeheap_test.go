package hugeheap

import "testing"

func TestWanted(t *testing.T) {
	tests := []struct {
		enabled, godebug string
		want             bool
	}{
		{"always [madvise] never\n", "", true},
		{"always [madvise] never\n", "madvdontneed=1", true},
		{"[always] madvise never\n", "", false},
		{"always madvise [never]\n", "", false},
		{"always [madvise] never\n", "disablethp=1", false},
		{"always [madvise] never\n", "gctrace=1, disablethp=1", false},
		{"always [madvise] never\n", "disablethp=0", true},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := wanted(tt.enabled, tt.godebug); got != tt.want {
			t.Errorf("wanted(%q, %q) = %v, want %v", tt.enabled, tt.godebug, got, tt.want)
		}
	}
}
