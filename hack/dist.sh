#!/usr/bin/env bash
# Builds the release archives of kforge into bin/release/: ./cmd/kforge for linux, darwin and
# windows on amd64 and arm64, one kforge_<version>_<os>_<arch>.tar.gz (.zip for windows) each, and
# SHA256SUMS over them.
#
# The archives are reproducible: the same commit built with the same Go toolchain gives the same
# bytes on any machine and at any time. Static binaries (CGO_ENABLED=0), -trimpath (no local paths),
# an empty build id, the version passed with -X, GOFLAGS and the per-architecture levels fixed, the
# version-control stamp taken from the commit (its hash and time, not the build's), and archive
# entries with a fixed time (SOURCE_DATE_EPOCH, default the commit's time), owner and mode.
# To check it, run it in two clones of the same commit and compare their SHA256SUMS.
#
# Built with -tags $TAGS (default kustomize_disable_go_plugin_support: no kustomize Go-plugin
# loader, so no package "plugin"; see the Makefile).
#
# Environment: VERSION (default: git describe --tags --always --dirty), SOURCE_DATE_EPOCH, TAGS,
# PLATFORMS (default: the six os/arch pairs), GO (default: go). Needs git, GNU tar and touch (on
# macOS: gnu-tar and coreutils), gzip, zip and sha256sum or shasum. The output goes to bin/release,
# not dist/, because `make render` exports into dist/, which must then be empty or kforge's.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
TAGS=${TAGS-kustomize_disable_go_plugin_support}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
PLATFORMS=${PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
out=$PWD/bin/release

tar=tar
command -v gtar >/dev/null && tar=gtar # GNU tar on macOS (Homebrew)
"$tar" --version 2>/dev/null | grep -q 'GNU tar' || { echo "dist: GNU tar is needed (--sort, --mtime)" >&2; exit 2; }
if command -v sha256sum >/dev/null; then sha256=(sha256sum); else sha256=(shasum -a 256); fi

export LC_ALL=C TZ=UTC # name order and zip's local-time stamps independent of the machine
export CGO_ENABLED=0 GOFLAGS= GOAMD64=v1 GOARM64=v8.0 GOEXPERIMENT=

rm -rf "$out"
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

for platform in $PLATFORMS; do
  os=${platform%/*} arch=${platform#*/}
  exe=kforge
  [ "$os" = windows ] && exe=kforge.exe
  name=kforge_${VERSION}_${os}_${arch}
  dir=$stage/$name
  mkdir -p "$dir"
  echo "dist: $name" >&2
  GOOS=$os GOARCH=$arch nice "$GO" build -tags "$TAGS" -trimpath -buildvcs=auto \
    -ldflags "-s -w -buildid= -X github.com/kforge/kforge/internal/cli.Version=$VERSION" \
    -o "$dir/$exe" ./cmd/kforge
  chmod 0755 "$dir/$exe"
  touch -d "@$SOURCE_DATE_EPOCH" "$dir/$exe"
  if [ "$os" = windows ]; then
    # -X: no extra attributes (uid/gid, extended timestamps); -D: no directory entries.
    (cd "$dir" && zip -q -X -D -9 "$out/$name.zip" "$exe")
  else
    "$tar" -C "$dir" --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
      --mode=u=rwx,go=rx --format=gnu -cf - "$exe" | gzip -n -9 >"$out/$name.tar.gz"
  fi
done

(cd "$out" && "${sha256[@]}" kforge_* >SHA256SUMS)
cat "$out/SHA256SUMS"
