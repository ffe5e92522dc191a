package pipeline

import "testing"

func TestFirstChangedLine(t *testing.T) {
	tests := []struct {
		name                string
		committed, rendered string
		want                int
	}{
		{"equal", "a: 1\nb: 2\n", "a: 1\nb: 2\n", 0},
		{"first line", "a: 1\nb: 2\n", "a: 3\nb: 2\n", 1},
		{"second line", "a: 1\nb: 2\n", "a: 1\nb: 3\n", 2},
		{"line added at the end", "a: 1\n", "a: 1\nb: 2\n", 1},
		{"line removed at the end", "a: 1\nb: 2\n", "a: 1\n", 2},
		{"no final newline", "a: 1\nb: 2", "a: 1\nb: 3", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := firstChangedLine([]byte(tt.committed), []byte(tt.rendered)); got != tt.want {
				t.Errorf("firstChangedLine = %d, want %d", got, tt.want)
			}
		})
	}
}
