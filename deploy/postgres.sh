#!/bin/sh
# The project's own PostgreSQL cluster under .data/postgres, on 127.0.0.1:$CONVEMBED_PG_PORT (default 55432).
# Usage: deploy/postgres.sh start|stop|status|reset
#   start  — create the cluster, roles, databases and the vector extension if missing; start it
#   stop   — stop it
#   status — say whether it runs, and the connection strings
#   reset  — stop it and delete all of its data (then `start` makes a fresh one)
set -eu
. "$(dirname -- "$0")/common.sh"

running() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

psql_admin() { # runs SQL as the cluster's superuser over the unix socket
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres "$@"
}

init_cluster() {
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  step "PostgreSQL cluster: initdb $PG_DATA"
  mkdir -p "$PG_DATA"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_DATA" "$DATA_DIR"
    # The postgres user must be able to walk to the data folder (a checkout under a private home or temp folder).
    dir=$DATA_DIR
    while [ "$dir" != / ]; do
      if ! runuser -u postgres -- test -x "$dir"; then chmod o+x "$dir"; info "chmod o+x $dir (so the postgres user can reach its data)"; fi
      dir=$(dirname -- "$dir")
    done
  fi
  chmod 700 "$PG_DATA"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$PG_DATA/postgresql.conf" <<CONF

# ConvEmbed (deploy/postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_SOCKET_DIR'
# pgvector < 0.8.2 can overflow in parallel HNSW builds.
max_parallel_maintenance_workers = 0
maintenance_work_mem = '512MB'
fsync = on
CONF
  # Peer auth maps only the postgres OS user to the postgres role; the service roles use passwords on TCP.
  info "initialised"
}

# shared_buffers: a quarter of the machine's memory (PostgreSQL's usual advice), 256 MB … 8 GB, or
# CONVEMBED_PG_SHARED_BUFFERS (e.g. 2GB). Similar-track search at 1 M vectors keeps its p99 under 20 ms only when the
# model's HNSW index (≈ 600 MB at 80-d) fits (deploy/SCALING.md). Written at every start; a running cluster takes a
# new value at its next restart.
write_memory_conf() {
  mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  quarter=$((mem_mb / 4))
  [ "$quarter" -lt 256 ] && quarter=256
  [ "$quarter" -gt 8192 ] && quarter=8192
  value=${CONVEMBED_PG_SHARED_BUFFERS:-${quarter}MB}
  conf="$PG_DATA/convembed-memory.conf"
  # pg_prewarm's autoprewarm reloads the cached pages after a restart, so the index is in memory again at once.
  want="shared_buffers = '$value'
shared_preload_libraries = 'pg_prewarm'"
  if [ "$(cat "$conf" 2>/dev/null || true)" != "$want" ]; then
    printf '%s\n' "$want" >"$conf"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$conf"
    running && info "shared_buffers = $value and autoprewarm take effect at the next restart (deploy/postgres.sh stop, then start)"
  fi
  # Clusters made before this file existed include it too (last in the file: it wins over an older setting).
  grep -q "^include_if_exists = 'convembed-memory.conf'" "$PG_DATA/postgresql.conf" \
    || printf "include_if_exists = 'convembed-memory.conf'\n" >>"$PG_DATA/postgresql.conf"
}

start_cluster() {
  init_cluster
  write_memory_conf
  if running; then
    info "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    step "PostgreSQL: starting on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
    touch "$PG_LOG"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_LOG"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -o "-p $PG_PORT" start >/dev/null \
      || { tail -n 20 "$PG_LOG" >&2; die "PostgreSQL did not start (port $PG_PORT in use? see $PG_LOG)"; }
  fi
  ensure_database "$DB_NAME"
  ensure_database "$DB_TEST_NAME"
}

ensure_database() { # role, database and extension; idempotent
  db=$1
  exists=$(psql_admin -At -c "SELECT 1 FROM pg_database WHERE datname = '$db'")
  if [ "$exists" != 1 ]; then
    step "PostgreSQL: role and database $db"
    psql_admin -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$db') THEN CREATE ROLE $db LOGIN PASSWORD '$db'; END IF; END \$\$;"
    psql_admin -c "CREATE DATABASE $db OWNER $db"
  fi
  psql_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS vector" 2>&1 | grep -v 'already exists' || true
  version=$(psql_admin -d "$db" -At -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")
  [ -n "$version" ] || die "the vector extension is missing in $db (run deploy/pgvector.sh)"
  info "database $db ready (vector $version)"
}

case "${1:-}" in
  start) start_cluster ;;
  stop)
    if running; then step "PostgreSQL: stopping"; as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; else info "PostgreSQL is not running"; fi ;;
  status)
    if running; then
      info "PostgreSQL running on 127.0.0.1:$PG_PORT, data in $PG_DATA"
      info "service: $(connection_string "$DB_NAME")"
      info "tests:   $(connection_string "$DB_TEST_NAME")"
    else
      info "PostgreSQL is not running (data: $PG_DATA)"; exit 3
    fi ;;
  reset)
    if running; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; fi
    step "PostgreSQL: deleting $PG_DATA"
    rm -rf "$PG_DATA" "$PG_LOG" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
