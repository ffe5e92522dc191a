# kforge container image: a static kforge (built as make build does: -tags
# kustomize_disable_go_plugin_support, see the Makefile) with git (for --since and diff --base) and CA
# certificates, running as uid 999. It is also the Argo CD Config Management Plugin sidecar image:
# docs/argocd-plugin/plugin.yaml is installed where argocd-cmp-server looks for it.
#
#   docker build --build-arg VERSION="$(git describe --tags --always --dirty)" -t kforge .
#   docker run --rm -v "$PWD:/work" -w /work kforge validate --all

FROM --platform=$BUILDPLATFORM golang:1.26-trixie AS build
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -tags kustomize_disable_go_plugin_support -trimpath -buildvcs=false \
      -ldflags "-s -w -buildid= -X github.com/kforge/kforge/internal/cli.Version=${VERSION}" \
      -o /out/kforge ./cmd/kforge

FROM debian:trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --non-unique --gid 999 argocd \
 && useradd --non-unique --uid 999 --gid 999 --home-dir /home/argocd --create-home --shell /usr/sbin/nologin argocd
COPY --from=build /out/kforge /usr/local/bin/kforge
COPY --chown=999:999 docs/argocd-plugin/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
USER 999:999
ENV HOME=/home/argocd
WORKDIR /home/argocd
ENTRYPOINT ["kforge"]
