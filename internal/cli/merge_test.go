package cli

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/report"
	"github.com/kforge/kforge/internal/testfs"
)

// TestReportMergeEqualsUnsharded runs `kforge validate --all --golden` on a repository once
// unsharded and, for N = 1…5, as the shards 1/N…N/N, merges each set of shard reports with
// `kforge report merge` and checks that every format of the merged report is byte for byte
// the unsharded run's (on stdout and in --report files), that merge exits as the unsharded run
// did, and that every environment is in exactly one shard. It does so on the reference
// repository and on mergeFixture, which has findings of every kind.
func TestReportMergeEqualsUnsharded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs kforge validate 32 times")
	}
	exe, err := exec.LookPath("kforge")
	if err != nil {
		t.Fatalf("the kforge executable TestMain installs on PATH: %v", err)
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, exe, dir string)
		// flags are validate's report flags beyond --all --golden: they are recorded in the
		// shards' reports and merge takes them from there.
		flags []string
		// want are texts the unsharded reports must hold, by format: proof the fixture covers them.
		want map[string][]string
		// split are environments one run failure stopped: with some N they are in several shards.
		split []string
	}{
		{name: "reference", setup: copyReference},
		{name: "fixture", setup: mergeFixture, flags: []string{"--fail-on", "warning", "--path-prefix", "deploy"},
			want: map[string][]string{
				report.FormatText: {
					"KF-CANARY-002", "KF-K8S-001", "KF-K8S-003", "KF-SCHEMA-", "KF-GOLDEN-001", "KF-GOLDEN-002", "KF-GOLDEN-003",
					"KF-GOLDEN-005", "KF-POLICY-001", "KF-POLICY-002", "KF-RUN-001", "in environments/g, environments/h, environments/i",
					"  info     KF-K8S-005", "(4 not validated)",
				},
				report.FormatMarkdown: {"> Truncated: "},
				report.FormatGitHub:   {" not annotated (annotations are limited to 10 of each kind per step)"},
			},
			split: []string{"environments/g", "environments/h", "environments/i"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "repo")
			tc.setup(t, exe, dir)
			env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "KFORGE_CACHE_DIR=" + t.TempDir()}
			out := t.TempDir()

			validate := slices.Concat([]string{"validate", "--all", "--golden"}, tc.flags)
			want := runReports(t, exe, dir, env, validate)
			unsharded := readJSONReport(t, want.files[report.FormatJSON])
			for format, texts := range tc.want {
				for _, s := range texts {
					if !bytes.Contains(want.files[format], []byte(s)) {
						t.Errorf("the unsharded %s report lacks %q:\n%s", format, s, want.files[format])
					}
				}
			}
			splitShards := map[int]bool{}
			all := unsharded.Run.Environments
			if len(all) < 5 {
				t.Fatalf("%d environments: too few for 5 shards", len(all))
			}

			for n := 1; n <= 5; n++ {
				var files []string
				owner := map[string]int{}
				for i := 1; i <= n; i++ {
					args := slices.Concat(validate, []string{"--shard", fmt.Sprintf("%d/%d", i, n), "-o", "json"})
					stdout, _, _ := runKforge(t, exe, dir, env, args)
					file := filepath.Join(out, fmt.Sprintf("shard-%d-of-%d.json", i, n))
					testfs.WriteFile(t, out, filepath.Base(file), string(stdout))
					files = append(files, file)
					for _, name := range readJSONReport(t, stdout).Run.Environments {
						if prev, ok := owner[name]; ok {
							t.Errorf("N=%d: %s is in shards %d and %d", n, name, prev, i)
						}
						owner[name] = i
					}
				}
				shards := map[int]bool{}
				for _, name := range tc.split {
					shards[owner[name]] = true
				}
				splitShards[len(shards)] = true
				if got := slices.Sorted(maps.Keys(owner)); !slices.Equal(got, all) {
					t.Errorf("N=%d: the shards hold %q, want every environment once: %q", n, got, all)
				}
				got := runReports(t, exe, dir, env, slices.Concat([]string{"report", "merge"}, files))
				if got.code != want.code {
					t.Errorf("N=%d: merge exited %d, the unsharded run %d\nstderr: %s", n, got.code, want.code, got.stderr)
				}
				for _, format := range report.Formats() {
					if !bytes.Equal(got.files[format], want.files[format]) {
						t.Errorf("N=%d: merged %s report differs from the unsharded one:\n%s", n, format, firstDifference(got.files[format], want.files[format]))
					}
				}
				if !bytes.Equal(got.stdout, want.stdout) {
					t.Errorf("N=%d: merged github report on stdout differs from the unsharded one:\n%s", n, firstDifference(got.stdout, want.stdout))
				}
			}
			if len(tc.split) > 0 && !splitShards[len(tc.split)] {
				t.Errorf("%q are never each in a shard of its own: the test does not merge a run failure across shards", tc.split)
			}
		})
	}
}

// reports is what one command printed: the github format on stdout and every format in a
// --report file.
type reports struct {
	stdout []byte
	stderr string
	code   int
	files  map[string][]byte
}

// runReports runs kforge with args, -o github and a --report file for every format, from dir.
func runReports(t *testing.T, exe, dir string, env, args []string) reports {
	t.Helper()
	reportDir := filepath.Join(dir, "reports")
	if err := os.RemoveAll(reportDir); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(reportDir, 0o755); err != nil {
		t.Fatal(err)
	}
	args = slices.Concat(args, []string{"-o", report.FormatGitHub})
	for _, format := range report.Formats() {
		args = append(args, "--report", format+"=reports/report."+format)
	}
	stdout, stderr, code := runKforge(t, exe, dir, env, args)
	out := reports{stdout: stdout, stderr: stderr, code: code, files: map[string][]byte{}}
	for _, format := range report.Formats() {
		data, err := os.ReadFile(filepath.Join(reportDir, "report."+format))
		if err != nil {
			t.Fatalf("kforge %s (exit %d) wrote no %s report: %v\nstderr: %s", strings.Join(args, " "), code, format, err, stderr)
		}
		out.files[format] = data
	}
	return out
}

// runKforge runs kforge with args from dir and returns its output and exit code, which must be
// 0, 1 or 2.
func runKforge(t *testing.T, exe, dir string, env, args []string) (stdout []byte, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run kforge %s: %v", strings.Join(args, " "), err)
	}
	if code > 2 {
		t.Fatalf("kforge %s exited %d\nstderr: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.Bytes(), errOut.String(), code
}

// readJSONReport reads a JSON report, which must carry its run.
func readJSONReport(t *testing.T, data []byte) report.Report {
	t.Helper()
	rep, err := report.ReadJSON(bytes.NewReader(data), "report.json")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run == nil {
		t.Fatalf("the JSON report has no run:\n%s", data)
	}
	return rep
}

// firstDifference shows where got first differs from want, with some context.
func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-300, 0)
	return fmt.Sprintf("at byte %d of %d (want %d bytes)\ngot:  …%s…\nwant: …%s…", i, len(got), len(want),
		got[from:min(i+300, len(got))], want[from:min(i+300, len(want))])
}

// copyReference copies the reference repository (the kforge repository's root) to dir.
func copyReference(t *testing.T, _, dir string) {
	t.Helper()
	for _, name := range []string{"lib", "environments", "policies", "golden", "vendor-jsonnet", "jsonnetfile.json", "kforge.yaml"} {
		src := filepath.Join("..", "..", name)
		fi, err := os.Stat(src)
		if err != nil {
			t.Fatal(err)
		}
		if !fi.IsDir() {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			testfs.WriteFile(t, dir, name, string(data))
			continue
		}
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(src)); err != nil {
			t.Fatalf("copy %s: %v", name, err)
		}
	}
}

// mergeFixture writes a repository with findings of every kind to dir, checked with the
// built-in policy pack: policy errors, warnings and infos (a severity override), a schema
// finding, golden drift (a changed, a missing and an orphaned file, a stale directory), run
// failures (a library three environments share, so one finding lists them, across shards; an
// environment of its own), 250 findings in one environment (more than GitHub annotates and
// than a Markdown comment holds), and kforge.yaml exceptions used in one environment, used
// nowhere, and expired.
func mergeFixture(t *testing.T, exe, dir string) {
	t.Helper()
	files := map[string]string{
		"jsonnetfile.json": `{"version": 1, "dependencies": []}`,
		"kforge.yaml": `policy:
  severity:
    KF-K8S-005: info
  exceptions:
    - rule: KF-CANARY-002
      resources: VirtualService/shop/web
      environments: [environments/c]
      reason: the split is being fixed
    - rule: KF-K8S-001
      resources: Deployment/shop/*
      environments: [environments/zz]
      reason: vendor image
    - rule: KF-K8S-003
      resources: Deployment/shop/probeless
      reason: probes come with the next release
    - rule: KF-CANARY-002
      resources: VirtualService/shop/api
      reason: the old split
      expires: "2020-01-31"
`,
		"lib/fixture.libsonnet": `{
  configMap(name):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name, namespace: 'shop' }, data: { name: name } },
  split(name):: {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
    metadata: { name: name, namespace: 'shop' },
    spec: { hosts: [name], http: [{ name: 'primary', route: [
      { destination: { host: name + '-blue' }, weight: 60 },
      { destination: { host: name + '-green' }, weight: 35 },
    ] }] },
  },
  deployment(name, image, replicas=1):: {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: name, namespace: 'shop', labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/version': '1.0.0' } },
    spec: {
      replicas: replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/version': '1.0.0' } },
        spec: { securityContext: { runAsNonRoot: true }, containers: [{
          name: name, image: image,
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '16Mi' } },
        }] },
      },
    },
  },
}
`,
		"lib/broken.libsonnet": "{ replicas: error 'replicas must be a number' }\n",
	}
	envs := map[string]string{
		"a": `{ cm: f.configMap('a') }`,
		"b": `{ cm: f.configMap('b') }`,
		"c": `{ web: f.split('web'), api: f.split('api') }`,
		"d": `{ app: f.deployment('app', 'nginx:latest'), probeless: f.deployment('probeless', 'nginx:1.27') }`,
		"e": `{ app: f.deployment('app', 'nginx:1.27', 'three') }`,
		"f": `{ ['vs' + i]: f.split('route-%03d' % i) for i in std.range(1, 250) }`,
		"g": `{ cm: f.configMap('g'), broken: (import 'broken.libsonnet').replicas }`,
		"h": `{ cm: f.configMap('h'), broken: (import 'broken.libsonnet').replicas }`,
		"i": `{ cm: f.configMap('i'), broken: (import 'broken.libsonnet').replicas }`,
		"j": `error 'environment j is broken'`,
		"k": `{ cm: f.configMap('k'), other: f.configMap('k2') }`,
		"l": `{ cm: f.configMap('l') }`,
	}
	for name, body := range envs {
		files["environments/"+name+"/spec.json"] = fmt.Sprintf(`{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment",
 "metadata": {"name": "environments/%s", "labels": {"tier": "dev"}}, "spec": {"namespace": "shop"}}`, name)
		files["environments/"+name+"/main.jsonnet"] = "local f = import 'fixture.libsonnet';\n" + body + "\n"
	}
	for name, content := range files {
		testfs.WriteFile(t, dir, name, content)
	}
	// golden/ of the environments that render, then drift: a changed file, a missing one, an
	// orphan, and a directory of no environment.
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "KFORGE_CACHE_DIR=" + t.TempDir()}
	if _, stderr, code := runKforge(t, exe, dir, env, []string{"golden", "update", "a", "b", "c", "d", "e", "k", "l"}); code != 0 {
		t.Fatalf("golden update: exit %d\n%s", code, stderr)
	}
	testfs.WriteFile(t, dir, "golden/b/shop/configmap-b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: shop\ndata:\n  name: changed\n")
	if err := os.Remove(filepath.Join(dir, "golden/k/shop/configmap-k2.yaml")); err != nil {
		t.Fatal(err)
	}
	testfs.WriteFile(t, dir, "golden/l/shop/configmap-orphan.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: orphan\n  namespace: shop\n")
	testfs.WriteFile(t, dir, "golden/gone/shop/configmap-gone.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n  namespace: shop\n")
}
