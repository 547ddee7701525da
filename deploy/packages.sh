#!/bin/sh
# Installs the Debian packages ConvEmbed needs (skips apt entirely when all are present).
set -eu
. "$(dirname -- "$0")/common.sh"

PACKAGES="libtorch-dev libopenblas0-pthread cmake g++ make ffmpeg sox libsox-fmt-all postgresql-$PG_VERSION postgresql-server-dev-$PG_VERSION dpkg-dev ca-certificates curl"

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
