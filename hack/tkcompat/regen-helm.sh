#!/usr/bin/env bash
# Regenerates the expected outputs of kforge's Helm differential test
# (internal/cli/tkcompat_helm_test.go) with the real tk and helm: `tk show` and `tk eval` of
# every environment of internal/cli/testdata/tkcompat/helm, written to
# internal/cli/testdata/tkcompat/helm-expected/, with the versions in its README.md.
#
#   TK=/tmp/tk HELM_DIR=/tmp/bin hack/tkcompat/regen-helm.sh
#
# TK is a tk binary (built from grafana/tanka); HELM_DIR holds the helm binary tk runs (build
# it with `GOBIN=/tmp/bin go install helm.sh/helm/v4/cmd/helm@v4.3.2`). HELM_DIR is put on
# PATH for tk only. The test itself needs neither: kforge renders in process.
#
# The packaged charts of the repository (charts/gauge-0.2.0.tgz and its copy under
# charts/panel/charts/) were made with `helm package` from testdata/tkcompat/helm-src/gauge; this
# script does not repackage them (an archive records file times), so after editing that source
# run `helm package internal/cli/testdata/tkcompat/helm-src/gauge` and copy the archive to both
# places first.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
repo=$here/internal/cli/testdata/tkcompat/helm
out=$here/internal/cli/testdata/tkcompat/helm-expected
tk=${TK:-tk}
helm_dir=${HELM_DIR:-$(dirname "$(command -v helm)")}

[ -x "$helm_dir/helm" ] || { echo "no helm in HELM_DIR=$helm_dir" >&2; exit 2; }
command -v "$tk" >/dev/null || { echo "no tk at TK=$tk" >&2; exit 2; }

mkdir -p "$out"
rm -f "$out"/*.show.yaml "$out"/*.eval.json
cd "$repo"
for dir in environments/*/; do
	env=$(basename "$dir")
	PATH="$helm_dir:$PATH" "$tk" show "environments/$env" --dangerous-allow-redirect >"$out/$env.show.yaml"
	PATH="$helm_dir:$PATH" "$tk" eval "environments/$env" >"$out/$env.eval.json"
done

tk_version=$("$tk" --version 2>&1 | sed -n "s/.*\(tk version .*\)/\1/p" | head -n1)
tk_module=$(go version -m "$(command -v "$tk")" | awk '$1 == "mod" && $2 == "github.com/grafana/tanka" {print $3}')
tk_revision=$(go version -m "$(command -v "$tk")" | awk '$1 == "build" && $2 ~ /^vcs.revision=/ {sub("vcs.revision=", "", $2); print $2}')
helm_module=$(go version -m "$helm_dir/helm" | awk '$1 == "mod" && $2 == "helm.sh/helm/v4" {print $3}')
helm_version=$("$helm_dir/helm" version --short)
cat >"$out/README.md" <<README
# Expected outputs of the Helm differential test

\`tk show\` (\`<env>.show.yaml\`) and \`tk eval\` (\`<env>.eval.json\`) of every environment of
\`../helm\`, written by \`hack/tkcompat/regen-helm.sh\` with:

- tk: \`$tk_version\`, module github.com/grafana/tanka ${tk_module:-unknown}${tk_revision:+ at $tk_revision} ${TK_SOURCE:+($TK_SOURCE)}
- helm: \`$helm_version\`, module helm.sh/helm/v4 $helm_module (tk runs it as \`helm template\`)

\`internal/cli/tkcompat_helm_test.go\` renders the same environments with kforge, in process and
without any helm binary, and compares: \`kforge render\` byte for byte with \`tk show\`, after
turning tk's exponent notation of integral numbers (\`5e+06\`) into kforge's integers
(\`5000000\`), the one deliberate difference; \`kforge eval\` with \`tk eval\` as JSON values.
README
echo "wrote $out"
