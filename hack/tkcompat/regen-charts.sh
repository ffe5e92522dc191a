#!/usr/bin/env bash
# Regenerates internal/charts/testdata/tk-vendor-layout.txt: the charts directory the real
# `tk tool charts vendor` (which runs the helm binary) makes from the vendoring fixtures
# (internal/testcharts), listed as internal/charts' TestVendorMatchesTanka compares it.
#
# Needs: tk ($TK, default tk), helm ($HELM, default helm), docker-registry, openssl, curl, go.
# Optional: KFORGE=/path/to/kforge also vendors with kforge (over TLS, trusting the same
# certificate) and diffs its layout against tk's.
# The registry runs with a throwaway self-signed certificate on 127.0.0.1, since tk's
# `helm pull` has no --plain-http; helm trusts it through SSL_CERT_FILE.
# helm v4's `helm repo update` fails on oci:// entries ("invalid reference": it asks the
# registry for an index.yaml artifact), and tk runs it over every repository of the chartfile
# before its first pull, so tk with helm v4 cannot vendor from a chartfile holding an OCI
# repository at all. The script therefore hands tk a helm wrapper whose `repo update` leaves the
# oci:// entries out; every pull is helm's own, and the layout is what tk makes of it.
# Versions used for the committed file: hack/tkcompat/chartserver/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
TK=${TK:-tk}
HELM=${HELM:-helm}
REGISTRY=${KFORGE_TEST_REGISTRY:-docker-registry}
out=internal/charts/testdata/tk-vendor-layout.txt

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

"$TK" --version 2>&1 | head -1 >&2
"$HELM" version --short >&2

go build -o "$work/chartserver" ./hack/tkcompat/chartserver
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
port=$("$work/chartserver" freeport)
cat >"$work/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$port
  tls:
    certificate: $work/cert.pem
    key: $work/key.pem
YAML
"$REGISTRY" serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
	curl -sf --cacert "$work/cert.pem" "https://127.0.0.1:$port/v2/" >/dev/null && break
	sleep 0.2
done

cat >"$work/helm" <<SH
#!/bin/sh
if [ "\$1" = repo ] && [ "\$2" = update ] && [ "\$3" = --repository-config ]; then
	"$work/chartserver" strip-oci "\$4" "\$4.http" && exec "$HELM" repo update --repository-config "\$4.http"
fi
exec "$HELM" "\$@"
SH
chmod +x "$work/helm"

mkdir "$work/proj"
mkfifo "$work/stdin"
"$work/chartserver" -registry "127.0.0.1:$port" -ca "$work/cert.pem" -dir "$work/proj" <"$work/stdin" >"$work/server.out" &
pids+=($!)
exec 3>"$work/stdin" # holds the server's standard input open until the script ends
for _ in $(seq 100); do
	grep -q ready "$work/server.out" 2>/dev/null && break
	sleep 0.2
done
grep -q ready "$work/server.out"

cp "$work/proj/chartfile.yaml" "$work/chartfile.yaml"
start=$(date +%s%N)
(cd "$work/proj" && SSL_CERT_FILE="$work/cert.pem" TANKA_HELM_PATH="$work/helm" "$TK" tool charts vendor)
echo "tk tool charts vendor: $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2
"$work/chartserver" layout "$work/proj/charts" >"$out"
# tk's second run must leave the same layout (it compares Chart.yaml versions only).
(cd "$work/proj" && SSL_CERT_FILE="$work/cert.pem" TANKA_HELM_PATH="$work/helm" "$TK" tool charts vendor)
"$work/chartserver" layout "$work/proj/charts" | diff -u "$out" -
# With KFORGE set to a kforge binary, vendor the same chartfile with it and compare directly.
if [ -n "${KFORGE:-}" ]; then
	mkdir "$work/kf"
	cp "$work/chartfile.yaml" "$work/kf/chartfile.yaml"
	start=$(date +%s%N)
	(cd "$work/kf" && SSL_CERT_FILE="$work/cert.pem" "$KFORGE" tool charts vendor)
	echo "kforge tool charts vendor: $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2
	"$work/chartserver" layout "$work/kf/charts" | diff -u "$out" -
	echo "kforge's layout is tk's" >&2
fi
exec 3>&-
echo "wrote $out" >&2
