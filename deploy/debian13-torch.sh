#!/bin/sh
# Builds ConvEmbed's native libraries against Debian 13's libtorch 2.6 and runs the Torch, Audio and Model test
# projects there, on the CPU: proof that the binding works with the libtorch the CUDA image uses. A Debian 13 root file
# system is made with debootstrap (from this machine's own apt sources) under $CONVEMBED_TRIXIE_ROOT
# (default /var/tmp/convembed-trixie) and reused by later runs; the source tree is copied in (git archive of HEAD, plus
# uncommitted changes with --worktree), the host's .NET SDK and NuGet cache are bound in read-only / shared.
# Run by hand as root, not by CI: it downloads gigabytes (the CUDA runtime comes with libtorch-cuda-dev).
# Usage: deploy/debian13-torch.sh [--cpu] [--worktree]
#   --cpu       libtorch-dev (the CPU build of 2.6) instead of libtorch-cuda-dev (contrib; CUDA runtime from non-free)
#   --worktree  test the working tree as it is, not HEAD
set -eu
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/common.sh"

TORCH_PACKAGE=libtorch-cuda-dev
FROM=head
for a in "$@"; do
  case "$a" in
    --cpu) TORCH_PACKAGE=libtorch-dev ;;
    --worktree) FROM=worktree ;;
    *) die "usage: $0 [--cpu] [--worktree]" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap and chroot need it)"
ROOTFS=${CONVEMBED_TRIXIE_ROOT:-/var/tmp/convembed-trixie}
DOTNET_DIR=$(dirname "$(readlink -f "$(command -v dotnet)")")

step "Debian 13 root file system in $ROOTFS"
if [ ! -x "$ROOTFS/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq; apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
  uri=$(debian_archive_uri)
  info "debootstrap trixie from $uri (a few minutes)"
  debootstrap --variant=minbase --components=main,contrib,non-free trixie "$ROOTFS" "$uri" >"$ROOTFS.debootstrap.log" 2>&1 \
    || die "debootstrap failed (see $ROOTFS.debootstrap.log)"
  cat > "$ROOTFS/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $uri
Suites: trixie
Components: main contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  rm -f "$ROOTFS/etc/apt/sources.list"
else
  info "present (remove it to start over)"
fi

mounted=""
cleanup() {
  for m in $mounted; do umount -l "$m" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
bind() { # $1 = host path, $2 = path inside, $3 = ro|rw
  mkdir -p "$ROOTFS$2"
  mount --bind "$1" "$ROOTFS$2"
  [ "$3" = ro ] && mount -o remount,bind,ro "$ROOTFS$2"
  mounted="$ROOTFS$2 $mounted"
}
mount -t proc proc "$ROOTFS/proc"; mounted="$ROOTFS/proc $mounted"
bind /dev /dev rw
bind /sys /sys ro
bind "$DOTNET_DIR" /opt/dotnet ro
mkdir -p "$HOME/.nuget"
bind "$HOME/.nuget" /root/.nuget rw
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
# This machine's trust store (it may hold a CA the package feeds need that Debian's bundle lacks), for NuGet inside.
bind /etc/ssl/certs /etc/ssl/certs ro
in_root() { chroot "$ROOTFS" /usr/bin/env -i HOME=/root PATH=/opt/dotnet:/usr/sbin:/usr/bin:/sbin:/bin \
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$@"; }

step "Packages inside: $TORCH_PACKAGE and what the native libraries and the tests need"
BUILD_PACKAGES=$(sed -n 's/^BUILD_PACKAGES="\(.*\)"$/\1/p' "$here/packages.sh")
[ -n "$BUILD_PACKAGES" ] || die "could not read BUILD_PACKAGES from deploy/packages.sh"
# Debian 12's package name differs for libtorch; everything else is the same list.
wanted="$(echo "$BUILD_PACKAGES" | sed "s/libtorch-dev/$TORCH_PACKAGE/") ffmpeg sox libsox-fmt-all libssl3 ca-certificates libopenblas0-pthread"
if [ "$TORCH_PACKAGE" = libtorch-dev ]; then
  # A CUDA attempt before may have left packages half-configured (nvidia-cudnn downloads cuDNN from NVIDIA in its
  # post-installation script; without that host it fails, and libtorch-cuda-2.6 with it): take them out first.
  in_root dpkg --purge --force-all libtorch-cuda-dev libtorch-cuda-2.6 nvidia-cudnn >/dev/null 2>&1 || true
fi
in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $wanted >/dev/null" \
  || die "installing $wanted in the Debian 13 root failed"
in_root dpkg-query -W -f='    ${Package} ${Version}\n' "$TORCH_PACKAGE" libtorch2.6 2>/dev/null || true

step "Source tree ($FROM) copied to $ROOTFS/src"
rm -rf "$ROOTFS/src"; mkdir -p "$ROOTFS/src"
if [ "$FROM" = worktree ]; then
  (cd "$ROOT" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$ROOTFS/src"
else
  (cd "$ROOT" && git archive HEAD) | tar -xf - -C "$ROOTFS/src"
fi

step "Build and test inside Debian 13 (CPU)"
status=0
for project in ConvEmbed.Torch.Tests ConvEmbed.Audio.Tests ConvEmbed.Model.Tests; do
  info "$project"
  in_root sh -c "cd /src && dotnet test tests/$project -nologo" >"$ROOTFS.$project.log" 2>&1 || status=1
  grep -E -A3 '^(Passed|Failed)!| error |^ +Failed |Error Message' "$ROOTFS.$project.log" | head -n 60 || true
done
[ $status -eq 0 ] && step "Debian 13, libtorch $TORCH_PACKAGE: every test project passed" || step "Debian 13: failures above (full logs: $ROOTFS.<project>.log)"
exit $status
