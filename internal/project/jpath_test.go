package project

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

func TestEntrypoint(t *testing.T) {
	tests := []struct {
		name      string
		tree      string
		path      string // relative to the copied tree
		wantBase  string
		wantEntry string
		wantErr   string
	}{
		{name: "environment directory", tree: "plain", path: "environments/prod", wantBase: "environments/prod", wantEntry: "environments/prod/main.jsonnet"},
		{name: "main.jsonnet itself", tree: "plain", path: "environments/prod/main.jsonnet", wantBase: "environments/prod", wantEntry: "environments/prod/main.jsonnet"},
		{name: "directory below the base walks up", tree: "plain", path: "environments/dev/nested", wantBase: "environments/dev", wantEntry: "environments/dev/main.jsonnet"},
		{name: "file given is the entrypoint", tree: "custom-entry", path: "environments/x/other.jsonnet", wantBase: "environments/x", wantEntry: "environments/x/other.jsonnet"},
		{name: "no main.jsonnet up to the root", tree: "plain", path: "lib", wantErr: "no main.jsonnet found in lib or its parents up to the repository root: not an environment"},
		{name: "custom entry name is not found from a directory", tree: "custom-entry", path: "environments/x/deep", wantErr: "no main.jsonnet found in environments/x/deep or its parents up to the repository root: not an environment"},
		{name: "missing path", tree: "plain", path: "environments/nope", wantErr: "resolve environment environments/nope: no such file or directory"},
		{name: "outside the repository", tree: "plain", path: "..", wantErr: "resolve environment ..: the path is outside the repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTestdata(t, tt.tree)
			p := &Project{Root: dir, Config: DefaultConfig()}
			base, entry, err := p.Entrypoint(filepath.Join(dir, filepath.FromSlash(tt.path)))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Entrypoint: %v", err)
			}
			if base != tt.wantBase || entry != tt.wantEntry {
				t.Errorf("Entrypoint = (%q, %q), want (%q, %q)", base, entry, tt.wantBase, tt.wantEntry)
			}
		})
	}
}

func TestEntrypointNoBaseErrorType(t *testing.T) {
	dir := copyTestdata(t, "plain")
	p := &Project{Root: dir, Config: DefaultConfig()}
	_, _, err := p.Entrypoint(filepath.Join(dir, "lib"))
	var nb *NoBaseError
	if !errors.As(err, &nb) || nb.Path != "lib" || nb.File != DefaultEntrypoint {
		t.Errorf("err = %#v, want *NoBaseError{lib, main.jsonnet}", err)
	}
}

func TestJPath(t *testing.T) {
	custom := DefaultConfig()
	custom.Vendor = "vendor-jsonnet"
	custom.Lib = "jsonnet/lib"
	tests := []struct {
		name string
		cfg  Config
		base string
		want []string
	}{
		{name: "Tanka defaults", cfg: DefaultConfig(), base: "environments/prod", want: []string{"environments/prod", "lib", "environments/prod/vendor", "vendor"}},
		{name: "renamed vendor and lib", cfg: custom, base: "environments/prod", want: []string{"environments/prod", "jsonnet/lib", "environments/prod/vendor", "vendor-jsonnet"}},
		{name: "environment at the root drops the duplicate vendor", cfg: DefaultConfig(), base: ".", want: []string{".", "lib", "vendor"}},
		{name: "unclean base", cfg: DefaultConfig(), base: "environments/prod/", want: []string{"environments/prod", "lib", "environments/prod/vendor", "vendor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Project{Root: "/repo", Config: tt.cfg}
			if got := p.JPath(tt.base); !slices.Equal(got, tt.want) {
				t.Errorf("JPath(%q) = %q, want %q", tt.base, got, tt.want)
			}
		})
	}
}
