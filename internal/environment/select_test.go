package environment

import (
	"errors"
	"slices"
	"testing"
)

func TestSelect(t *testing.T) {
	p := openRepo(t, "repo")
	all, err := List(p, ".", fileEval(p))
	if err != nil {
		t.Fatal(err)
	}
	const available = "(available: dev, inline/prod, inline/prod-eu, inline/prod-us, prod, team/staging)"
	const inlineFile = "environments/inline/main.jsonnet"
	tests := []struct {
		name      string
		cwd       string // repository-relative; "-" for no resolver
		args      []string
		byName    string
		want      []string // slugs
		wantErr   string
		ambiguous bool
	}{
		{name: "no args selects all", cwd: ".", want: slugs(all)},
		{name: "slug wins over an inline environment of that name", cwd: ".", args: []string{"prod"}, want: []string{"prod"}},
		{name: "Tanka name", cwd: ".", args: []string{"environments/team/staging"}, want: []string{"team/staging"}},
		{name: "Tanka name without a resolver", cwd: "-", args: []string{"environments/prod/"}, want: []string{"prod"}},
		{name: "directory relative to the root", cwd: "environments/team", args: []string{"environments/prod"}, want: []string{"prod"}},
		{name: "directory relative to the working directory", cwd: "environments", args: []string{"dev"}, want: []string{"dev"}},
		{name: "directory holding several environments", cwd: ".", args: []string{"environments/team"}, want: []string{"team/staging"}},
		{name: "whole repository", cwd: "environments", args: []string{".."}, want: slugs(all)},
		{name: "directory below an environment", cwd: ".", args: []string{"environments/team/staging/lib"}, want: []string{"team/staging"}},
		{name: "main.jsonnet path", cwd: ".", args: []string{"environments/prod/main.jsonnet"}, want: []string{"prod"}},
		{name: "inline entrypoint selects all its environments", cwd: ".", args: []string{inlineFile}, want: []string{"inline/prod", "inline/prod-eu", "inline/prod-us"}},
		{name: "inline slug", cwd: ".", args: []string{"inline/prod-eu"}, want: []string{"inline/prod-eu"}},
		{name: "inline name", cwd: ".", args: []string{"prod-us"}, want: []string{"inline/prod-us"}},
		{name: "duplicates collapse, order follows the list", cwd: ".", args: []string{"team/staging", "dev", "environments/dev"}, want: []string{"dev", "team/staging"}},
		{name: "--name exact match wins over substring", cwd: ".", args: []string{"environments/inline"}, byName: "prod", want: []string{"inline/prod"}},
		{name: "--name unique substring", cwd: ".", byName: "eu", want: []string{"inline/prod-eu"}},
		{name: "--name drops static environments", cwd: ".", args: []string{"prod", "inline/prod-us"}, byName: "us", want: []string{"inline/prod-us"}},
		{name: "--name ambiguous", cwd: ".", byName: "prod-", ambiguous: true,
			wantErr: `--name "prod-" is ambiguous: it matches prod-eu (` + inlineFile + `), prod-us (` + inlineFile + `)`},
		{name: "--name unknown", cwd: ".", args: []string{"environments/inline"}, byName: "asia",
			wantErr: `no environment matches --name "asia" (available: prod (` + inlineFile + `), prod-eu (` + inlineFile + `), prod-us (` + inlineFile + `))`},
		{name: "--name among static environments only", cwd: ".", args: []string{"dev"}, byName: "dev",
			wantErr: `no environment matches --name "dev": --name selects inline environments and none of the selected environments is inline (no environments available)`},
		{name: "unknown argument", cwd: ".", args: []string{"staging"}, wantErr: `no environment matches "staging" ` + available},
		{name: "directory without environments", cwd: ".", args: []string{"lib"}, wantErr: `no environment matches "lib": lib holds no environment and is inside none ` + available},
		{name: "file that is no entrypoint", cwd: ".", args: []string{"lib/k.libsonnet"}, wantErr: `no environment matches "lib/k.libsonnet": lib/k.libsonnet is not the entrypoint of any environment ` + available},
		{name: "vendor directory", cwd: ".", args: []string{"vendor/github.com/foo"}, wantErr: `no environment matches "vendor/github.com/foo": vendor/github.com/foo holds no environment and is inside none ` + available},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resolve Resolver
			if tt.cwd != "-" {
				resolve = PathResolver(p, p.Abs(tt.cwd))
			}
			got, err := Select(all, tt.args, tt.byName, resolve)
			if tt.wantErr != "" {
				var se *SelectError
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want *SelectError", err)
				}
				if err.Error() != tt.wantErr {
					t.Errorf("err =\n%s\nwant\n%s", err, tt.wantErr)
				}
				if se.Ambiguous != tt.ambiguous {
					t.Errorf("Ambiguous = %v, want %v", se.Ambiguous, tt.ambiguous)
				}
				return
			}
			if err != nil {
				t.Fatalf("Select: %v", err)
			}
			if s := slugs(got); !slices.Equal(s, tt.want) {
				t.Errorf("Select = %q, want %q", s, tt.want)
			}
		})
	}
}

func TestPathResolver(t *testing.T) {
	p := openRepo(t, "repo")
	tests := []struct {
		name    string
		cwd     string
		arg     string
		wantRel string
		wantDir bool
		wantOK  bool
	}{
		{name: "relative to cwd", cwd: "environments", arg: "prod", wantRel: "environments/prod", wantDir: true, wantOK: true},
		{name: "relative to root", cwd: "environments/prod", arg: "lib/k.libsonnet", wantRel: "lib/k.libsonnet", wantOK: true},
		{name: "cwd wins", cwd: "environments/team/staging", arg: "lib", wantRel: "environments/team/staging/lib", wantDir: true, wantOK: true},
		{name: "absolute", cwd: ".", arg: p.Abs("environments/dev/main.jsonnet"), wantRel: "environments/dev/main.jsonnet", wantOK: true},
		{name: "missing", cwd: ".", arg: "nope"},
		{name: "outside", cwd: ".", arg: ".."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel, isDir, ok := PathResolver(p, p.Abs(tt.cwd))(tt.arg)
			if rel != tt.wantRel || isDir != tt.wantDir || ok != tt.wantOK {
				t.Errorf("resolve(%q) = (%q, %v, %v), want (%q, %v, %v)", tt.arg, rel, isDir, ok, tt.wantRel, tt.wantDir, tt.wantOK)
			}
		})
	}
}
