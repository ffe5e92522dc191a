package golden

import (
	"errors"
	"strings"
	"testing"
)

func TestValidatePath(t *testing.T) {
	tests := []struct {
		name, path, reason string // reason "" means valid
	}{
		{"namespaced", "apps/deployment-order-service.yaml", ""},
		{"cluster scoped with colon", "_cluster/clusterrole-system:controller.yaml", ""},
		{"unicode", "apps/configmap-ünïcode.yaml", ""},
		{"empty", "", "empty path"},
		{"absolute", "/etc/passwd", "absolute path"},
		{"parent", "../x.yaml", `contains ".."`},
		{"parent inside", "apps/../../x.yaml", `contains ".."`},
		{"dot", "./x.yaml", "not clean"},
		{"double slash", "apps//x.yaml", "not clean"},
		{"trailing slash", "apps/", "not clean"},
		{"backslash", `apps\x.yaml`, "backslash"},
		{"nul", "apps/x\x00.yaml", "NUL"},
		{"newline", "apps/x\n.yaml", "control character"},
		{"escape", "apps/\x1b[31mx.yaml", "control character"},
		{"invalid utf8", "apps/\xff.yaml", "UTF-8"},
		{"drive letter", "C:/x.yaml", "drive letter"},
		{"hidden", "apps/.x.yaml", "hidden"},
		{"long component", "apps/" + strings.Repeat("a", 256) + ".yaml", "longer than 255"},
		{"component of 255", "apps/" + strings.Repeat("a", 250) + ".yaml", ""},
		{"long path", strings.Repeat("abcdefgh/", 120) + "x.yaml", "longer than 1024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePath(tt.path, "core/ConfigMap/apps/x")
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("ValidatePath(%q) = %v, want nil", tt.path, err)
				}
				return
			}
			var pe *PathError
			if !errors.As(err, &pe) {
				t.Fatalf("ValidatePath(%q) = %v, want *PathError", tt.path, err)
			}
			if !strings.Contains(pe.Reason, tt.reason) {
				t.Errorf("reason %q, want it to contain %q", pe.Reason, tt.reason)
			}
			if !strings.Contains(err.Error(), "core/ConfigMap/apps/x") {
				t.Errorf("error %q does not name the resource", err)
			}
		})
	}
}

func TestValidateFiles(t *testing.T) {
	f := func(path, res string) File { return File{Path: path, Resource: res} }
	tests := []struct {
		name  string
		files []File
		want  string // substring of the error; "" means valid
	}{
		{"distinct", []File{f("apps/a.yaml", "A"), f("apps/b.yaml", "B"), f("_cluster/c.yaml", "C")}, ""},
		{"duplicate", []File{f("apps/a.yaml", "A"), f("apps/a.yaml", "B")}, `same path as "apps/a.yaml" of resource A`},
		{"case only", []File{f("apps/Web.yaml", "A"), f("apps/web.yaml", "B")}, "case-insensitive"},
		{"unicode case", []File{f("apps/STRASSE.yaml", "A"), f("apps/straße.yaml", "B")}, "case-insensitive"},
		{"normalisation", []File{f("apps/caf\u00e9.yaml", "A"), f("apps/cafe\u0301.yaml", "B")}, "case-insensitive"},
		{"dir case", []File{f("Apps/a.yaml", "A"), f("apps/b.yaml", "B")}, "differs only in case"},
		{"file is dir", []File{f("apps", "A"), f("apps/b.yaml", "B")}, "is the file"},
		{"dir is file", []File{f("apps/b.yaml", "B"), f("apps", "A")}, "is a directory of"},
		{"invalid path names resource", []File{f("../../x.yaml", "core/Secret/apps/evil")}, "core/Secret/apps/evil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateFiles(tt.files)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ValidateFiles = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ValidateFiles = %v, want error containing %q", err, tt.want)
			}
			var pe *PathError
			if !errors.As(err, &pe) {
				t.Errorf("error is %T, want *PathError", err)
			}
		})
	}
}
