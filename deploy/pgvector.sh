#!/bin/sh
# Builds pgvector from Debian's source package (suite trixie) against PostgreSQL 15 and installs it.
# The deb-src URI is read from this machine's own apt sources; no host name is written here.
set -eu
. "$(dirname -- "$0")/common.sh"

step "pgvector $PGVECTOR_VERSION for PostgreSQL $PG_VERSION"
EXT_DIR=$("$PG_BIN/pg_config" --sharedir)/extension
LIB_DIR=$("$PG_BIN/pg_config" --pkglibdir)
if [ -f "$LIB_DIR/vector.so" ] && [ -f "$EXT_DIR/vector--$PGVECTOR_VERSION.sql" ] \
   && grep -q "default_version = '$PGVECTOR_VERSION'" "$EXT_DIR/vector.control" 2>/dev/null; then
  info "already installed ($LIB_DIR/vector.so)"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || die "pgvector is not installed; run this script as root to build and install it"

uri=$(debian_archive_uri)
info "Debian archive from apt sources: $uri"

SRC_LIST=/etc/apt/sources.list.d/convembed-trixie-src.sources
cat > "$SRC_LIST.new" <<SRC
# Written by ConvEmbed's deploy/pgvector.sh: source packages only, to build pgvector.
Types: deb-src
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
if ! cmp -s "$SRC_LIST.new" "$SRC_LIST" 2>/dev/null; then
  mv "$SRC_LIST.new" "$SRC_LIST"
  info "added $SRC_LIST"
else
  rm -f "$SRC_LIST.new"
fi
apt-get update -qq

BUILD="$DATA_DIR/build/pgvector"
rm -rf "$BUILD" && mkdir -p "$BUILD"
info "apt-get source pgvector/trixie"
(cd "$BUILD" && apt-get source -qq --download-only "pgvector/trixie" >/dev/null 2>&1 \
   && dpkg-source -x --no-check ./*.dsc src >/dev/null) || die "apt-get source pgvector/trixie failed"
grep -q "\"$PGVECTOR_VERSION\"\|'$PGVECTOR_VERSION'\|^EXTVERSION = $PGVECTOR_VERSION" "$BUILD/src/Makefile" \
  || info "note: source is not $PGVECTOR_VERSION: $(grep '^EXTVERSION' "$BUILD/src/Makefile")"
info "make (OPTFLAGS=\"\" so the library does not depend on this CPU)"
make -s -C "$BUILD/src" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS="" >/dev/null
make -s -C "$BUILD/src" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS="" install >/dev/null
info "installed $(grep default_version "$EXT_DIR/vector.control")"
