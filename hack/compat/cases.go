package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// outDir stands, in a case's arguments, for the directory an export writes into (one per tool).
const outDir = "{out}"

// feature is a kforge command, or a flag of one, that a case needs; when kforge lacks it the case
// is reported as "missing in kforge" instead of being run.
type feature struct {
	// cmd is the kforge command path, e.g. ["tool", "importers"].
	cmd []string
	// flag is a long or short flag the command must list in its help ("--names", "-l"); empty
	// for the command alone.
	flag string
}

func (f feature) String() string {
	s := "kforge " + strings.Join(f.cmd, " ")
	if f.flag != "" {
		s += " " + f.flag
	}
	return s
}

// testCase is one command run with both tools.
type testCase struct {
	// group names the input (a repository) and command what was run, both for the table.
	group, command string
	// dir is the working directory of both tools.
	dir string
	// tk and kforge are the arguments of each tool; outDir marks the export directory.
	tk, kforge []string
	// tree says the result is the file tree written to outDir, not stdout.
	tree bool
	// needs lists the kforge features the case uses.
	needs []feature
}

// buildCases lists every case over the inputs that are set.
func buildCases(o options) ([]testCase, error) {
	var cs []testCase
	if o.tanka != "" {
		tc, err := tankaCases(o)
		if err != nil {
			return nil, err
		}
		cs = append(cs, tc...)
	}
	if o.kp != "" {
		cs = append(cs, kubePrometheusCases(o.kp)...)
	}
	if o.only != "" {
		var keep []testCase
		for _, c := range cs {
			if strings.Contains(c.group+" "+c.command, o.only) {
				keep = append(keep, c)
			}
		}
		cs = keep
	}
	return cs, nil
}

// exportFormat is the custom file name template the export cases use besides the default one:
// it reads the environment (env), the namespace and a nested field, so both tools' template
// data and their handling of `/` inside values are exercised.
const exportFormat = "{{env.metadata.name}}/{{.metadata.namespace}}/{{.kind}}-{{.metadata.name}}"

// envCases are the per-environment commands: show, eval, export with the default and a custom
// file name format. extra holds arguments both tools take (TLAs, --name).
func envCases(group, dir, env string, extra ...string) []testCase {
	label := strings.TrimSpace(env + " " + strings.Join(extra, " "))
	cs := []testCase{
		{group: group, command: "show " + label, dir: dir,
			tk:     append([]string{"show", env, "--dangerous-allow-redirect"}, extra...),
			kforge: append([]string{"render", env}, extra...)},
	}
	// tk eval has no --name: it prints the whole output, every inline environment included.
	if !slices.Contains(extra, "--name") {
		cs = append(cs, testCase{group: group, command: "eval " + label, dir: dir,
			tk:     append([]string{"eval", env}, extra...),
			kforge: append([]string{"eval", env}, extra...)})
	}
	return append(cs, []testCase{
		{group: group, command: "export OUT " + label, dir: dir, tree: true,
			tk:     append([]string{"export", outDir, env}, extra...),
			kforge: append([]string{"export", outDir, env}, extra...)},
		{group: group, command: "export OUT --format … " + label, dir: dir, tree: true,
			tk:     append([]string{"export", outDir, env, "--format", exportFormat, "--extension", "yml"}, extra...),
			kforge: append([]string{"export", outDir, env, "--format", exportFormat, "--extension", "yml"}, extra...)},
	}...)
}

// same is a case whose arguments are the same for both tools.
func same(group, dir string, tree bool, args []string, needs ...feature) testCase {
	return testCase{group: group, command: strings.ReplaceAll(strings.Join(args, " "), outDir, "OUT"), dir: dir, tree: tree,
		tk: args, kforge: args, needs: needs}
}

// rootCases are the commands over a whole repository: env list in its three forms and an export
// of every environment.
func rootCases(group, dir string) []testCase {
	return []testCase{
		same(group, dir, false, []string{"env", "list", "."}),
		same(group, dir, false, []string{"env", "list", ".", "--json"}),
		same(group, dir, false, []string{"env", "list", ".", "--names"}, feature{cmd: []string{"env", "list"}, flag: "--names"}),
		{group: group, command: "export OUT . -r --format …", dir: dir, tree: true,
			tk:     []string{"export", outDir, ".", "-r", "--format", exportFormat},
			kforge: []string{"export", outDir, ".", "-r", "--format", exportFormat},
			needs:  []feature{{cmd: []string{"export"}, flag: "-r"}}},
		{group: group, command: "export OUT . -r --format … (kforge: --all --manifest)", dir: dir, tree: true,
			tk:     []string{"export", outDir, ".", "-r", "--format", exportFormat},
			kforge: []string{"export", outDir, "--all", "--format", exportFormat, "--manifest"}},
	}
}

var (
	importers = []string{"tool", "importers"}
	imports   = []string{"tool", "imports"}
	fmtCmd    = []string{"fmt"}
)

// tankaCases covers Tanka's example repository and the Tanka repositories of its tests.
func tankaCases(o options) ([]testCase, error) {
	src := o.tanka
	var cs []testCase

	// pkg/tanka/testdata: static and inline environments, TLAs, name selection.
	g, d := "tanka pkg/tanka/testdata", filepath.Join(src, "pkg/tanka/testdata")
	for _, env := range []string{"cases/array", "cases/object", "cases/withenv", "cases/withspecjson",
		"cases/function-with-zero-params", "cases/static-and-inline", "test-export-envs/static-env",
		"test-export-envs-broken/static-env"} {
		cs = append(cs, envCases(g, d, env)...)
	}
	cs = append(cs, envCases(g, d, "cases/withtlas", "-A", "foo=data", "-A", "bar=b", "-A", "baz=c")...)
	cs = append(cs, envCases(g, d, "cases/with-optional-tlas")...)
	cs = append(cs, envCases(g, d, "cases/with-optional-tlas", "-A", "bar=x")...)
	cs = append(cs, envCases(g, d, "cases/multiple-inline-envs")...)
	cs = append(cs, envCases(g, d, "cases/multiple-inline-envs", "--name", "project1-env1")...)
	cs = append(cs, envCases(g, d, "cases/multiple-inline-envs", "--name", "project1")...)
	cs = append(cs, envCases(g, d, "cases/inline-name-conflict", "--name", "base")...)
	cs = append(cs, envCases(g, d, "test-export-envs/inline-envs")...)
	cs = append(cs, envCases(g, d, "test-export-envs/inline-envs", "--name", "inline-namespace1")...)
	cs = append(cs,
		same(g, d, false, []string{"eval", "cases/withenv", "-e", "spec"}),
		same(g, d, false, []string{"eval", "cases/withenv", "-e", "['metadata']"}),
		same(g, d, false, []string{"eval", "cases/format/a.jsonnet"}),
		same(g, d, false, []string{"env", "list", "test-export-envs"}),
		same(g, d, false, []string{"env", "list", "test-export-envs", "--json"}),
		same(g, d, false, []string{"env", "list", "test-export-envs", "-l", "type=inline"},
			feature{cmd: []string{"env", "list"}, flag: "-l"}),
		same(g, d, true, []string{"export", outDir, "test-export-envs", "-r", "-l", "type=static"},
			feature{cmd: []string{"export"}, flag: "-r"}, feature{cmd: []string{"export"}, flag: "-l"}),
		same(g, d, true, []string{"export", outDir, "test-export-envs/static-env", "--skip-manifest"},
			feature{cmd: []string{"export"}, flag: "--skip-manifest"}),
		same(g, d, false, []string{"fmt", "--test", "cases/format"}, feature{cmd: fmtCmd}),
		same(g, d, false, []string{"fmt", "--test", "-v", "cases/format"}, feature{cmd: fmtCmd, flag: "-v"}),
	)
	cs = append(cs, rootCases(g, d)...)

	// pkg/jsonnet/jpath/testdata: root and base detection, import precedence.
	for _, repo := range []string{"valid", "precedence", "noRoot"} {
		g, d := "tanka pkg/jsonnet/jpath/testdata/"+repo, filepath.Join(src, "pkg/jsonnet/jpath/testdata", repo)
		cs = append(cs, envCases(g, d, "environments/default")...)
	}
	g, d = "tanka pkg/jsonnet/jpath/testdata/noBase", filepath.Join(src, "pkg/jsonnet/jpath/testdata/noBase")
	cs = append(cs, envCases(g, d, "environments/noMain")...)
	cs = append(cs, envCases(g, d, "environments/filename/custom.jsonnet")...)
	cs = append(cs, same(g, d, false, []string{"env", "list", "."}))

	// pkg/jsonnet/testdata: import trees, lint errors, importers.
	for _, repo := range []string{"importTree", "thisFile", "lintingError"} {
		g, d := "tanka pkg/jsonnet/testdata/"+repo, filepath.Join(src, "pkg/jsonnet/testdata", repo)
		cs = append(cs, envCases(g, d, ".")...)
	}
	g, d = "tanka pkg/jsonnet/testdata/findImporters", filepath.Join(src, "pkg/jsonnet/testdata/findImporters")
	envs, err := mainDirs(d, "environments")
	if err != nil {
		return nil, err
	}
	for _, env := range envs {
		cs = append(cs, envCases(g, d, env)...)
		cs = append(cs, same(g, d, false, []string{"tool", "imports", env}, feature{cmd: imports}))
	}
	for _, f := range []string{
		"environments/no-imports/main.jsonnet",
		"environments/imports-locals-and-vendored/local-file1.libsonnet",
		"lib/lib1/main.libsonnet",
		"vendor/vendored/main.libsonnet",
		"vendor/vendor-symlinked/main.libsonnet",
		"vendor/vendored/text-file.txt",
		"environments/relative-imported2/main.jsonnet",
		"other-files/test2.txt",
		"environments/lib-import-relative-to-env/file-to-import.libsonnet",
		"lib/unimported-lib",
	} {
		cs = append(cs, same(g, d, false, []string{"tool", "importers", f}, feature{cmd: importers}))
	}
	cs = append(cs, same(g, d, false, []string{"fmt", "--test", "."}, feature{cmd: fmtCmd}))
	cs = append(cs, rootCases(g, d)...)

	// examples/prom-grafana: Tanka's example repository (three static environments).
	g, d = "tanka examples/prom-grafana", filepath.Join(src, "examples/prom-grafana")
	for _, env := range []string{"environments/prom-grafana/dev", "environments/prom-grafana/prod", "environments/prom-grafana/patched"} {
		cs = append(cs, envCases(g, d, env)...)
	}
	cs = append(cs, rootCases(g, d)...)
	cs = append(cs, same(g, d, false, []string{"fmt", "--test", "."}, feature{cmd: fmtCmd}))

	// A file that needs formatting, so fmt --test has something to report.
	fd := filepath.Join(o.work, "fmt-input")
	if err := os.MkdirAll(fd, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(fd, "unformatted.jsonnet"), []byte("{a:1,\"b\":  [1,2]}\n"), 0o644); err != nil {
		return nil, err
	}
	written, err := writeOwnRepo(filepath.Join(o.work, "inputs", "written-by-compat"))
	if err != nil {
		return nil, err
	}
	g = "written by compat"
	cs = append(cs, envCases(g, written, "environments/numbers")...)
	cs = append(cs, envCases(g, written, "environments/generate-name")...)
	cs = append(cs, envCases(g, written, "environments/this-file")...)
	cs = append(cs,
		same("fmt input (written by compat)", fd, false, []string{"fmt", "--test", "."}, feature{cmd: fmtCmd}),
		same("fmt input (written by compat)", fd, false, []string{"fmt", "--stdout", "unformatted.jsonnet"}, feature{cmd: fmtCmd, flag: "--stdout"}),
	)
	return cs, nil
}

// kubePrometheusCases covers kube-prometheus's example as a Tanka environment.
func kubePrometheusCases(root string) []testCase {
	g, env := "kube-prometheus", "environments/kube-prometheus"
	cs := envCases(g, root, env)
	cs = append(cs,
		same(g, root, false, []string{"eval", env, "-e", "['alertmanager-secret']"}),
		same(g, root, false, []string{"eval", env + "/example.jsonnet"}),
		same(g, root, true, []string{"export", outDir, env, "--format", exportFormat, "--skip-manifest"},
			feature{cmd: []string{"export"}, flag: "--skip-manifest"}),
		same(g, root, false, []string{"tool", "imports", env}, feature{cmd: imports}),
		same(g, root, false, []string{"tool", "importers", "vendor/kube-prometheus/main.libsonnet"}, feature{cmd: importers}),
		same(g, root, false, []string{"tool", "importers", "vendor/github.com/prometheus/node_exporter/docs/node-mixin/mixin.libsonnet"}, feature{cmd: importers}),
		same(g, root, false, []string{"fmt", "--test", "."}, feature{cmd: fmtCmd}),
	)
	cs = append(cs, rootCases(g, root)...)
	return cs
}

// mainDirs lists, relative to root, the directories under root/sub holding a main.jsonnet, in
// lexical order.
func mainDirs(root, sub string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(filepath.Join(root, sub), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "vendor" {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() == "main.jsonnet" {
			rel, err := filepath.Rel(root, filepath.Dir(p))
			if err != nil {
				return err
			}
			dirs = append(dirs, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list environments under %s: %w", filepath.Join(root, sub), err)
	}
	return dirs, nil
}

// ownFiles is a small Tanka repository for behaviours the other inputs never reach in a manifest:
// large integers (tk's float64 number formatting), a manifest named only by generateName, and
// std.thisFile.
var ownFiles = map[string]string{
	"jsonnetfile.json": "{}\n",
	"environments/numbers/spec.json": `{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
 "metadata": {"name": "environments/numbers"}, "spec": {"namespace": "default"}}
`,
	"environments/numbers/main.jsonnet": `{
  limits: {
    apiVersion: 'example.com/v1',
    kind: 'Limits',
    metadata: { name: 'numbers' },
    spec: {
      million: 1000000,
      gibibyte: 1073741824,
      below: 999999,
      negative: -2000000,
      fraction: 1.5,
      tiny: 0.0000001,
      list: [1000000, 3],
      text: '1e+06',
    },
  },
}
`,
	"environments/this-file/spec.json": `{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
 "metadata": {"name": "environments/this-file"}, "spec": {"namespace": "default"}}
`,
	"environments/this-file/main.jsonnet": `{
  source: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'source' },
    data: { file: std.thisFile, lib: (import 'lib.libsonnet').file },
  },
}
`,
	"environments/this-file/lib.libsonnet": "{ file: std.thisFile }\n",
	"environments/generate-name/spec.json": `{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
 "metadata": {"name": "environments/generate-name"}, "spec": {"namespace": "jobs"}}
`,
	"environments/generate-name/main.jsonnet": `{
  job: {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { generateName: 'migrate-' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'busybox' }] } } },
  },
}
`,
}

// writeOwnRepo writes ownFiles under dir and returns dir.
func writeOwnRepo(dir string) (string, error) {
	for name, content := range ownFiles {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", fmt.Errorf("write %s: %w", p, err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return "", fmt.Errorf("write %s: %w", p, err)
		}
	}
	return dir, nil
}
