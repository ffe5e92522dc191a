package jsonnet

import (
	"errors"
	"slices"
	"testing"
)

func TestSearchImport(t *testing.T) {
	probeErr := errors.New("probe failed")
	tests := []struct {
		name   string
		dir    string
		imp    string
		jpath  []string
		exists []string // candidates the probe reports found
		failOn string   // candidate the probe fails on
		want   string
		probed []string
		dirs   []string
		kind   Kind // of the *Error, "" when none
		err    error
	}{
		{name: "own directory first", dir: "env", imp: "a.libsonnet", jpath: []string{"lib", "vendor"},
			exists: []string{"env/a.libsonnet", "lib/a.libsonnet"},
			want:   "env/a.libsonnet", probed: []string{"env/a.libsonnet"}, dirs: []string{"env", "lib", "vendor"}},
		{name: "jpath in order", dir: "env", imp: "a.libsonnet", jpath: []string{"lib", "vendor"},
			exists: []string{"vendor/a.libsonnet", "lib/a.libsonnet"},
			want:   "lib/a.libsonnet", probed: []string{"env/a.libsonnet", "lib/a.libsonnet"}, dirs: []string{"env", "lib", "vendor"}},
		{name: "each directory once", dir: "lib", imp: "a.libsonnet", jpath: []string{"lib", "vendor", "lib"},
			probed: []string{"lib/a.libsonnet", "vendor/a.libsonnet"}, dirs: []string{"lib", "vendor"}},
		{name: "tk pseudo files skipped in the root", dir: ".", imp: "<tk#2>", jpath: []string{"lib"},
			exists: []string{"<tk#2>", "lib/<tk#2>"},
			want:   "lib/<tk#2>", probed: []string{"lib/<tk#2>"}, dirs: []string{".", "lib"}},
		{name: "first tk pseudo file skipped", dir: "lib", imp: "../<tk>", exists: []string{"<tk>"},
			dirs: []string{"lib"}},
		{name: "name only like a pseudo file", dir: ".", imp: "<tk#x>", exists: []string{"<tk#x>"},
			want: "<tk#x>", probed: []string{"<tk#x>"}, dirs: []string{"."}},
		{name: "empty path", dir: ".", imp: "", kind: KindImport},
		{name: "absolute path", dir: ".", imp: "/etc/passwd", kind: KindSandbox},
		{name: "leaves the root", dir: "env", imp: "../../x", jpath: []string{"lib"}, kind: KindSandbox, dirs: []string{"env", "lib"}},
		{name: "leaves the root from a later directory", dir: "a/b", imp: "../../x", jpath: []string{"lib"},
			probed: []string{"x"}, kind: KindSandbox, dirs: []string{"a/b", "lib"}},
		{name: "a candidate leaving the root is skipped", dir: "environments/a", imp: "../../../x.libsonnet",
			jpath: []string{"environments/a/vendor"}, exists: []string{"x.libsonnet"},
			want: "x.libsonnet", probed: []string{"x.libsonnet"}, dirs: []string{"environments/a", "environments/a/vendor"}},
		{name: "skipped candidate and found nowhere", dir: "environments/a", imp: "../../../x.libsonnet",
			jpath:  []string{"environments/a/vendor"},
			probed: []string{"x.libsonnet"}, kind: KindSandbox, dirs: []string{"environments/a", "environments/a/vendor"}},
		{name: "probe error ends the search", dir: "env", imp: "a.libsonnet", jpath: []string{"lib"},
			exists: []string{"lib/a.libsonnet"}, failOn: "env/a.libsonnet",
			probed: []string{"env/a.libsonnet"}, dirs: []string{"env", "lib"}, err: probeErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var probed []string
			got, dirs, err := SearchImport(tt.dir, tt.imp, tt.jpath, func(cand string) (bool, error) {
				probed = append(probed, cand)
				if cand == tt.failOn {
					return false, probeErr
				}
				return slices.Contains(tt.exists, cand), nil
			})
			var e *Error
			switch {
			case tt.err != nil:
				if !errors.Is(err, tt.err) {
					t.Errorf("error = %v, want the probe's", err)
				}
			case tt.kind != "":
				if !errors.As(err, &e) || e.Kind != tt.kind {
					t.Errorf("error = %v, want an *Error of kind %v", err, tt.kind)
				}
			case err != nil:
				t.Errorf("unexpected error %v", err)
			}
			if got != tt.want || !slices.Equal(probed, tt.probed) || !slices.Equal(dirs, tt.dirs) {
				t.Errorf("SearchImport = %q (probed %q, dirs %q), want %q (probed %q, dirs %q)",
					got, probed, dirs, tt.want, tt.probed, tt.dirs)
			}
		})
	}
}
