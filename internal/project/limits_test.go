package project

import (
	"testing"
	"time"
)

func TestLimitsOverride(t *testing.T) {
	base := DefaultLimits()
	if got := base.Override(Limits{}); got != base {
		t.Errorf("Override(zero) = %+v, want %+v", got, base)
	}
	o := Limits{MaxStack: 7, EvalTimeout: time.Second, PolicyTimeout: 2 * time.Second, MaxOutputBytes: 3,
		MaxMemory: 4, ParseYAMLMaxBytes: 5, ParseYAMLMaxNodes: 6}
	if got := base.Override(o); got != o {
		t.Errorf("Override(all set) = %+v, want %+v", got, o)
	}
	got := base.Override(Limits{MaxMemory: 1 << 20, EvalTimeout: -time.Second})
	want := base
	want.MaxMemory = 1 << 20
	if got != want {
		t.Errorf("Override(MaxMemory, negative EvalTimeout) = %+v, want %+v", got, want)
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  string
	}{
		{in: "1048576", want: 1 << 20},
		{in: "0", want: 0},
		{in: "64Ki", want: 64 << 10},
		{in: "64KiB", want: 64 << 10},
		{in: " 512Mi ", want: 512 << 20},
		{in: "2Gi", want: 2 << 30},
		{in: "1Ti", want: 1 << 40},
		{in: "1G", want: 1e9},
		{in: "3k", want: 3000},
		{in: "3K", want: 3000},
		{in: "5M", want: 5e6},
		{in: "2T", want: 2e12},
		{in: "100B", want: 100},
		{in: "B", err: `"B" is not a size such as 1048576, 64Mi or 2Gi`},
		{in: "", err: `"" is not a size such as 1048576, 64Mi or 2Gi`},
		{in: "-1Mi", err: `"-1Mi" is not a size such as 1048576, 64Mi or 2Gi`},
		{in: "1.5Gi", err: `"1.5Gi" is not a size such as 1048576, 64Mi or 2Gi`},
		{in: "lots", err: `"lots" is not a size such as 1048576, 64Mi or 2Gi`},
		{in: "9000000Ti", err: `"9000000Ti" is too large`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseByteSize(tt.in)
			switch {
			case tt.err != "":
				if err == nil || err.Error() != tt.err {
					t.Errorf("ParseByteSize(%q) = %d, %v; want error %s", tt.in, got, err, tt.err)
				}
			case err != nil || got != tt.want:
				t.Errorf("ParseByteSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}
