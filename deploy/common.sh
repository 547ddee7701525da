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
