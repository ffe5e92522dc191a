#!/usr/bin/env bash
# Regenerates the expected outputs of the kustomize differential test
# (internal/cli/testdata/tkcompat/kustomize/expected) with the real tk and kustomize:
# `tk show` and `tk eval` of every environment of the test repository, plus README.md naming
# the versions. TestTankaKustomizeOutputs compares kforge's output with them, without tk or
# kustomize on the machine.
#
# Needs tk (grafana/tanka, built from source) and kustomize (sigs.k8s.io/kustomize/kustomize/v5
# v5.8.2, the release built on sigs.k8s.io/kustomize/api v0.21.2, which kforge links):
#   GOBIN=/tmp/bin go install sigs.k8s.io/kustomize/kustomize/v5@v5.8.2
#   TK=/tmp/tk TK_SOURCE="grafana/tanka <commit>" KUSTOMIZE_DIR=/tmp/bin hack/tkcompat/regen-kustomize.sh
# TK_SOURCE names the source tk was built from (a build from source reports version "dev").
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
case_dir=$here/internal/cli/testdata/tkcompat/kustomize
tk=${TK:-tk}
if [ -n "${KUSTOMIZE_DIR:-}" ]; then
  PATH=$KUSTOMIZE_DIR:$PATH
fi
command -v "$tk" >/dev/null || { echo "regen-kustomize: tk not found (set TK)" >&2; exit 2; }
command -v kustomize >/dev/null || { echo "regen-kustomize: kustomize not found (set KUSTOMIZE_DIR)" >&2; exit 2; }

# tk finds the repository root by its jsonnetfile.json; a copy keeps it away from kforge's own.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$case_dir/repo" "$work/repo"
# Written to a staging directory and swapped in only when every environment rendered.
out=$work/expected
mkdir -p "$out"

envs=$(cd "$work/repo/environments" && ls)
for env in $envs; do
  (cd "$work/repo" && "$tk" show "environments/$env" --dangerous-allow-redirect) >"$out/$env.show.yaml"
  (cd "$work/repo" && "$tk" eval "environments/$env") >"$out/$env.eval.json"
done

tk_version="$("$tk" --version 2>&1 | sed -n 's/.*\(tk version .*\)/\1/p' | head -1), built from ${TK_SOURCE:-an unrecorded source}"
kustomize_version=$(kustomize version 2>&1 | head -1)
cat >"$out/README.md" <<README
# Expected outputs of the kustomize differential test

Produced by \`hack/tkcompat/regen-kustomize.sh\` from \`../repo\` with the real tools:

- tk: $tk_version
- kustomize: $kustomize_version (sigs.k8s.io/kustomize/kustomize/v5, built on
  sigs.k8s.io/kustomize/api v0.21.2, the library kforge runs in process)

\`<env>.show.yaml\` is \`tk show environments/<env>\`, \`<env>.eval.json\` is
\`tk eval environments/<env>\`. \`TestTankaKustomizeOutputs\` (internal/cli) renders the same
environments with kforge, with no kustomize binary, and compares: \`kforge render\` byte for byte
with \`tk show\`, \`kforge eval\` value for value with \`tk eval\` (kforge's eval indents by three
spaces, as go-jsonnet prints).
README
rm -rf "$case_dir/expected"
cp -R "$out" "$case_dir/expected"
echo "regen-kustomize: wrote $(ls "$out" | wc -l) files to ${case_dir#"$here"/}/expected"
