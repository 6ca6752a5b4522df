#!/usr/bin/env bash
# Makes the base image from Debian's own packages when the engine does not have it yet, so the
# image builds where no container registry is reachable. Does nothing when the base is present.
# usage: deploy/base-image.sh [NAME]   (ENGINE=podman|docker; NAME defaults to Debian bookworm-slim)
set -euo pipefail
base=${1:-docker.io/library/debian:bookworm-slim}
engine=${ENGINE:-podman}
if "$engine" image inspect "$base" >/dev/null 2>&1; then
  exit 0
fi
command -v mmdebstrap >/dev/null || { echo "deploy/base-image.sh: mmdebstrap is not installed (apt-get install mmdebstrap)" >&2; exit 2; }
echo "making $base from Debian bookworm (mmdebstrap --variant=minbase)"
# The same documentation and locale exclusions as Debian's official slim images; they stay in
# /etc/dpkg, so packages installed on top leave those files out as well.
mmdebstrap --quiet --variant=minbase \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/lintian/*' \
  --dpkgopt='path-exclude=/usr/share/groff/*' \
  bookworm - | "$engine" import --quiet - "$base" >/dev/null
echo "made $base"
