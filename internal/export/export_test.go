package export

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/golden/goldentest"
	"github.com/kforge/kforge/internal/testfs"
)

// exportFile builds an File for a manifest of environment env (entrypoint
// environments/<env>/main.jsonnet, label cluster=<env>-cluster).
func exportFile(env, apiVersion, kind, namespace, name string) File {
	md := map[string]any{"name": name}
	if namespace != "" {
		md["namespace"] = namespace
	}
	obj := map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": md}
	entry := "environments/" + env + "/main.jsonnet"
	return File{
		Object:     obj,
		Content:    goldentest.ManifestYAML(apiVersion, kind, namespace, name, ""),
		Env:        map[string]any{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": map[string]any{"name": "environments/" + env, "namespace": entry, "labels": map[string]any{"cluster": env + "-cluster"}}, "spec": map[string]any{"namespace": "default"}},
		Entrypoint: entry,
		Resource:   kind + "/" + name,
	}
}

func TestExportNames(t *testing.T) {
	deploy := exportFile("prod", "apps/v1", "Deployment", "apps", "web")
	cm := exportFile("prod", "v1", "ConfigMap", "apps", "a/b")
	cr := exportFile("prod", "rbac.authorization.k8s.io/v1", "ClusterRole", "", "reader")
	tests := []struct {
		name   string
		format string
		ext    string
		files  []File
		want   []string
		err    string
	}{
		{name: "tanka default", files: []File{deploy, cm}, want: []string{"apps-v1.Deployment-web.yaml", "v1.ConfigMap-a-b.yaml"}},
		{name: "env fields and lower", format: "{{env.metadata.labels.cluster}}/{{.metadata.namespace}}/{{.kind | lower}}-{{.metadata.name}}", files: []File{deploy}, want: []string{"prod-cluster/apps/deployment-web.yaml"}},
		{name: "env name with slash becomes dash", format: "{{env.metadata.name}}/{{.metadata.name}}", files: []File{deploy}, want: []string{"environments-prod/web.yaml"}},
		{name: "missing field prints no value", format: "{{.metadata.namespace}}/{{.kind}}", files: []File{cr}, want: []string{"<no value>/ClusterRole.yaml"}},
		{name: "if else", format: "{{if .metadata.namespace}}{{.metadata.namespace}}{{else}}_cluster{{end}}/{{.kind}}-{{.metadata.name}}", files: []File{cr, deploy}, want: []string{"_cluster/ClusterRole-reader.yaml", "apps/Deployment-web.yaml"}},
		{name: "variables, define and printf", format: `{{define "n"}}{{.metadata.name}}{{end}}{{$k := .kind}}{{printf "%s/%s" $k "x"}}/{{template "n" .}}`, files: []File{cm}, want: []string{"ConfigMap-x/a-b.yaml"}},
		{name: "sprig subset", format: `{{.kind | upper}}-{{replace "-" "_" .metadata.name}}-{{trimPrefix "re" .metadata.name}}-{{default "none" .metadata.namespace}}`, files: []File{cr}, want: []string{"CLUSTERROLE-reader-ader-none.yaml"}},
		{name: "double and leading slashes", format: "/{{.kind}}//{{.metadata.name}}", files: []File{deploy}, want: []string{"Deployment/web.yaml"}},
		{name: "extension", ext: "yml", files: []File{deploy}, want: []string{"apps-v1.Deployment-web.yml"}},
		{name: "parent in template text", format: "../{{.metadata.name}}", files: []File{deploy}, err: `contains ".."`},
		{name: "dot-dot name", format: "{{.metadata.name}}/x", files: []File{exportFile("prod", "v1", "ConfigMap", "apps", "..")}, err: `contains ".."`},
		{name: "control character in a value", files: []File{exportFile("prod", "v1", "ConfigMap", "apps", "a\x07b")}, err: "control character"},
		{name: "empty name", format: "{{if false}}x{{end}}", files: []File{deploy}, err: "empty name"},
		{name: "collision", format: "{{.metadata.name}}", files: []File{deploy, exportFile("dev", "v1", "Service", "apps", "WEB")}, err: "case-insensitive"},
		{name: "reserved manifest.json", format: "manifest", ext: "json", files: []File{deploy}, err: "reserved"},
		{name: "bad template", format: "{{.kind", files: []File{deploy}, err: "parse format"},
		{name: "bad extension", ext: "../x", files: []File{deploy}, err: "plain suffix"},
		{name: "unknown function", format: "{{sha1sum .kind}}", files: []File{deploy}, err: "parse format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := exportNames(tt.files, Options{Format: tt.format, Extension: tt.ext})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range out {
				got = append(got, f.Path)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("names:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestExport(t *testing.T) {
	prodWeb := exportFile("prod", "apps/v1", "Deployment", "apps", "web")
	prodCM := exportFile("prod", "v1", "ConfigMap", "apps", "cfg")
	devWeb := exportFile("dev", "apps/v1", "Deployment", "apps", "web")
	format := "{{env.metadata.labels.cluster}}/{{.metadata.namespace}}/{{.kind}}-{{.metadata.name}}"
	dir := filepath.Join(t.TempDir(), "out")

	res, err := Export(dir, []File{prodWeb, prodCM}, Options{Format: format, Manifest: true})
	if err != nil {
		t.Fatal(err)
	}
	wantIndex := "{\n    \"prod-cluster/apps/ConfigMap-cfg.yaml\": \"environments/prod/main.jsonnet\",\n    \"prod-cluster/apps/Deployment-web.yaml\": \"environments/prod/main.jsonnet\"\n}"
	tree := goldentest.ReadTree(t, dir)
	if tree["manifest.json"] != wantIndex {
		t.Errorf("manifest.json:\n%s\nwant:\n%s", tree["manifest.json"], wantIndex)
	}
	if tree["prod-cluster/apps/Deployment-web.yaml"] != string(prodWeb.Content) {
		t.Errorf("exported content differs")
	}
	if strings.Join(res.Written, ",") != "manifest.json,prod-cluster/apps/ConfigMap-cfg.yaml,prod-cluster/apps/Deployment-web.yaml" {
		t.Errorf("written %v", res.Written)
	}
	goldentest.CheckModes(t, dir)

	// Not empty: refused without a merge strategy, and nothing changes.
	_, err = Export(dir, []File{devWeb}, Options{Format: format})
	var ne *NotEmptyError
	if !errors.As(err, &ne) {
		t.Fatalf("err = %v, want *NotEmptyError", err)
	}
	if !maps.Equal(goldentest.ReadTree(t, dir), tree) {
		t.Error("refused export changed the directory")
	}

	// fail-on-conflicts adds another environment and merges the index.
	if _, err := Export(dir, []File{devWeb}, Options{Format: format, Merge: MergeFailOnConflicts, Manifest: true}); err != nil {
		t.Fatal(err)
	}
	tree = goldentest.ReadTree(t, dir)
	if tree["dev-cluster/apps/Deployment-web.yaml"] == "" || !strings.Contains(tree["manifest.json"], `"dev-cluster/apps/Deployment-web.yaml": "environments/dev/main.jsonnet"`) {
		t.Errorf("dev not merged: %s\n%s", goldentest.Keys(tree), tree["manifest.json"])
	}

	// fail-on-conflicts refuses to overwrite, before writing anything.
	changedCM := exportFile("prod", "v1", "ConfigMap", "apps", "new")
	_, err = Export(dir, []File{changedCM, prodWeb}, Options{Format: format, Merge: MergeFailOnConflicts, Manifest: true})
	var ce *ConflictError
	if !errors.As(err, &ce) || strings.Join(ce.Paths, ",") != "prod-cluster/apps/Deployment-web.yaml" {
		t.Fatalf("err = %v, want a conflict on the prod deployment", err)
	}
	if !maps.Equal(goldentest.ReadTree(t, dir), tree) {
		t.Error("conflicting export changed the directory")
	}

	// replace-envs drops prod's old files (the ConfigMap), keeps the unchanged one, leaves dev.
	res, err = Export(dir, []File{prodWeb, changedCM}, Options{Format: format, Merge: MergeReplaceEnvs, Manifest: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Deleted, ",") != "prod-cluster/apps/ConfigMap-cfg.yaml" || strings.Join(res.Unchanged, ",") != "prod-cluster/apps/Deployment-web.yaml" {
		t.Errorf("result %+v", res)
	}
	tree = goldentest.ReadTree(t, dir)
	if goldentest.Keys(tree) != "dev-cluster/apps/Deployment-web.yaml,manifest.json,prod-cluster/apps/ConfigMap-new.yaml,prod-cluster/apps/Deployment-web.yaml" {
		t.Errorf("after replace-envs: %s", goldentest.Keys(tree))
	}
	if strings.Contains(tree["manifest.json"], "ConfigMap-cfg") {
		t.Errorf("manifest.json still lists the deleted file:\n%s", tree["manifest.json"])
	}

	// Deleted environments lose their files; emptied directories go too.
	res, err = Export(dir, nil, Options{Format: format, Merge: MergeReplaceEnvs, DeletedEnvs: []string{"environments/dev/main.jsonnet"}, Manifest: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "dev-cluster")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("empty dev-cluster directory left: %v", err)
	}
	if strings.Join(res.Deleted, ",") != "dev-cluster/apps/Deployment-web.yaml" {
		t.Errorf("deleted %v", res.Deleted)
	}
	if names := goldentest.ListNames(t, filepath.Dir(dir)); strings.Join(names, ",") != "out" {
		t.Errorf("export left %v beside the directory", names)
	}
}

func TestExportReplaceEnvsSafety(t *testing.T) {
	web := exportFile("prod", "apps/v1", "Deployment", "apps", "web")
	t.Run("without manifest.json", func(t *testing.T) {
		dir := t.TempDir()
		testfs.WriteFiles(t, dir, map[string]string{"other.yaml": "x"})
		res, err := Export(dir, []File{web}, Options{Merge: MergeReplaceEnvs})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "no manifest.json") {
			t.Errorf("warnings %v", res.Warnings)
		}
	})
	t.Run("hostile manifest.json", func(t *testing.T) {
		dir := t.TempDir()
		testfs.WriteFiles(t, dir, map[string]string{"manifest.json": `{"../victim.yaml": "environments/prod/main.jsonnet"}`})
		_, err := Export(dir, []File{web}, Options{Merge: MergeReplaceEnvs})
		if err == nil || !strings.Contains(err.Error(), "unsafe path") {
			t.Fatalf("err = %v, want unsafe path", err)
		}
	})
	t.Run("leftover staged files are removed", func(t *testing.T) {
		dir := t.TempDir()
		testfs.WriteFiles(t, dir, map[string]string{"x.yaml": "x", ".apps-v1.Deployment-web.yaml.kforge-tmp-abc": "partial"})
		if _, err := Export(dir, []File{web}, Options{Merge: MergeFailOnConflicts}); err != nil {
			t.Fatal(err)
		}
		if got := goldentest.Keys(goldentest.ReadTree(t, dir)); got != "apps-v1.Deployment-web.yaml,x.yaml" {
			t.Errorf("dir holds %s", got)
		}
	})
}

func TestExportReplace(t *testing.T) {
	web := exportFile("prod", "apps/v1", "Deployment", "apps", "web")
	t.Run("previous output", func(t *testing.T) {
		dir := t.TempDir()
		testfs.WriteFiles(t, dir, map[string]string{"old/x.yaml": string(goldentest.ManifestYAML("v1", "ConfigMap", "a", "x", "")), "manifest.json": "{}"})
		if _, err := Export(dir, []File{web}, Options{Replace: true, Manifest: true}); err != nil {
			t.Fatal(err)
		}
		if got := goldentest.Keys(goldentest.ReadTree(t, dir)); got != "apps-v1.Deployment-web.yaml,manifest.json" {
			t.Errorf("dir holds %s", got)
		}
	})
	t.Run("foreign content", func(t *testing.T) {
		dir := t.TempDir()
		testfs.WriteFiles(t, dir, map[string]string{"notes.txt": "mine"})
		_, err := Export(dir, []File{web}, Options{Replace: true})
		var ue *UnsafeDirError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "notes.txt") {
			t.Fatalf("err = %v, want *UnsafeDirError", err)
		}
	})
	t.Run("with a merge strategy", func(t *testing.T) {
		if _, err := Export(t.TempDir(), nil, Options{Replace: true, Merge: MergeReplaceEnvs}); err == nil {
			t.Fatal("want error")
		}
	})
}

func TestExportFollowsSymlinkedDir(t *testing.T) {
	target := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(link, []File{exportFile("prod", "v1", "ConfigMap", "apps", "x")}, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := goldentest.Keys(goldentest.ReadTree(t, target)); got != "v1.ConfigMap-x.yaml" {
		t.Errorf("real dir holds %s", got)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link was replaced: %v %v", info, err)
	}
}

func TestParseMergeStrategy(t *testing.T) {
	for in, want := range map[string]MergeStrategy{"": MergeNone, "none": MergeNone, "fail-on-conflicts": MergeFailOnConflicts, "replace-envs": MergeReplaceEnvs} {
		if got, err := ParseMergeStrategy(in); err != nil || got != want {
			t.Errorf("ParseMergeStrategy(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseMergeStrategy("merge"); err == nil {
		t.Error("want error for an unknown strategy")
	}
}
