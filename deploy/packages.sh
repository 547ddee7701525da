#!/bin/sh
# Installs the Debian packages ConvEmbed needs (skips apt entirely when all are present).
set -eu
. "$(dirname -- "$0")/common.sh"

# What the service and the command need at run time. The Dockerfile's runtime stage installs exactly this list
# (tests/ConvEmbed.Service.Tests/Packaging checks that the two agree): libtorch 1.13, OpenBLAS behind libblas.so.3,
# ffmpeg/ffprobe and SoX to decode, libssl3 for .NET's cryptography, curl for health checks.
RUNTIME_PACKAGES="libtorch1.13 libopenblas0-pthread ffmpeg sox libsox-fmt-all libssl3 ca-certificates curl"
# What building the native libraries needs (the Dockerfile's build stage installs these too): the libtorch shim, and
# libconvembed_av.so, which decodes with FFmpeg's libraries in process (their run-time parts come with ffmpeg).
BUILD_PACKAGES="libtorch-dev cmake g++ make pkg-config libavformat-dev libavcodec-dev libswresample-dev libavutil-dev"
# This machine only: the project's PostgreSQL, building pgvector from source (dpkg-dev), and docker-compose to
# validate docker-compose.yml (the packaging tests run `docker-compose config`; no container engine is needed).
HOST_PACKAGES="postgresql-$PG_VERSION postgresql-server-dev-$PG_VERSION dpkg-dev docker-compose"
# The test suite only (deploy/test.sh sets CONVEMBED_TEST_PACKAGES=1): Debian's Chromium, driven by Playwright in
# the map page's browser tests.
TEST_PACKAGES="chromium"
PACKAGES="$RUNTIME_PACKAGES $BUILD_PACKAGES $HOST_PACKAGES"
[ "${CONVEMBED_TEST_PACKAGES:-0}" = 1 ] && PACKAGES="$PACKAGES $TEST_PACKAGES"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
step "Debian packages"
if [ -z "$missing" ]; then
  info "all present"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || die "missing packages:$missing — run this script as root (or install them with sudo apt-get install$missing)"
info "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Debian's postgresql package may create and start a 'main' cluster on 5432; ours is separate.
info "done"
