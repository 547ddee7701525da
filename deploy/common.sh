# Shared settings for the deploy scripts (sourced, not run). POSIX sh.
# Everything is overridable from the environment; defaults keep the project's own
# PostgreSQL cluster away from a system server on 5432.

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
DATA_DIR="${CONVEMBED_DATA_DIR:-$ROOT/.data}"
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_DATA="$DATA_DIR/postgres"
PG_LOG="$DATA_DIR/postgres.log"
PG_PORT="${CONVEMBED_PG_PORT:-55432}"
PG_SOCKET_DIR="${CONVEMBED_PG_SOCKET_DIR:-/tmp}"
PGVECTOR_VERSION=0.8.0
SERVICE_PORT="${CONVEMBED_PORT:-5080}"

# Service and test databases: role = database name, local development passwords.
DB_NAME=convembed
DB_TEST_NAME=convembed_test

step() { printf '==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

connection_string() { # $1 = database (role and password are the same name)
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s' "$PG_PORT" "$1" "$1" "$1"
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The Debian archive's URI as this machine's apt sources name it (deb822 first, then one-line sources), so no mirror's
# host name is written into the project. Dies when there is none.
debian_archive_uri() {
  _uri=""
  for _f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$_f" ] || continue
    _uri=$(awk '
      /^[[:space:]]*$/ { if (deb && main && u != "") { print u; exit } deb=0; main=0; u=""; next }
      /^Types:/ { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
      /^URIs:/ { u = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i ~ /^(bookworm|trixie|stable)$/) main = 1 }
      END { if (deb && main && u != "") print u }' "$_f" | head -n 1)
    [ -n "$_uri" ] && break
  done
  if [ -z "$_uri" ] && [ -f /etc/apt/sources.list ]; then
    _uri=$(awk '$1 == "deb" && $3 ~ /^(bookworm|trixie|stable)$/ { u = $2; if (u ~ /^\[/) u = $3; print u; exit }' /etc/apt/sources.list)
  fi
  [ -n "$_uri" ] || die "could not find the Debian archive URI in /etc/apt/sources.list{,.d}"
  printf '%s\n' "$_uri"
}
