#!/usr/bin/env bash
# Copies the Kubernetes OpenAPI documents and the stack's CRDs out of the Go module cache into
# internal/schema/generated (committed, embedded by internal/schema). Needs only Go and the
# module proxy; does nothing when the data is up to date. Pass -force to regenerate.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./hack/schemas "$@"
