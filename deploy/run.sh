#!/bin/sh
# Takes a Debian 12 machine (root, .NET 10 SDK) to a running ConvEmbed service and prints its URLs.
# Usage: deploy/run.sh [--foreground] | deploy/run.sh stop
#   default       — set up, build, (re)start the service in the background, wait until it is ready
#   --foreground  — same, but run the service in this terminal (Ctrl+C stops it)
#   stop          — stop a background service
# Settings: CONVEMBED_PORT (HTTP, default 5080), CONVEMBED_PG_PORT (PostgreSQL, default 55432).
set -eu
here=$(dirname -- "$0")
. "$here/common.sh"

PID_FILE="$DATA_DIR/service.pid"
LOG_FILE="$DATA_DIR/service.log"
URL="http://127.0.0.1:$SERVICE_PORT"

stop_service() {
  if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    step "Stopping the running service (pid $(cat "$PID_FILE"))"
    kill "$(cat "$PID_FILE")"
    i=0; while kill -0 "$(cat "$PID_FILE")" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  stop) stop_service; exit 0 ;;
  ""|--foreground) ;;
  *) echo "usage: $0 [--foreground] | $0 stop" >&2; exit 2 ;;
esac

sh "$here/setup.sh"
step "Building the service (Release)"
dotnet build "$ROOT/src/ConvEmbed.Service/ConvEmbed.Service.csproj" -c Release -v q -nologo -clp:NoSummary
DLL="$ROOT/src/ConvEmbed.Service/bin/Release/net10.0/ConvEmbed.Service.dll"

stop_service
export ConvEmbed__Database__ConnectionString="$(connection_string "$DB_NAME")"
export ConvEmbed__Storage__DataDirectory="${ConvEmbed__Storage__DataDirectory:-$DATA_DIR/service}"
export ASPNETCORE_URLS="$URL"
cd "$ROOT/src/ConvEmbed.Service"
if [ "${1:-}" = "--foreground" ]; then
  step "ConvEmbed: API $URL  Swagger $URL/swagger  (Ctrl+C stops)"
  exec dotnet "$DLL"
fi

step "Starting the service in the background (log: $LOG_FILE)"
nohup setsid dotnet "$DLL" >"$LOG_FILE" 2>&1 </dev/null &
echo $! >"$PID_FILE"
i=0
until curl -fsS -o /dev/null "$URL/health/ready" 2>/dev/null; do
  if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then grep -v '^   at ' "$LOG_FILE" | tail -n 8 >&2; die "the service exited during start-up (see $LOG_FILE)"; fi
  i=$((i + 1)); [ $i -le 300 ] || die "the service did not become ready within 60 s (see $LOG_FILE)"
  sleep 0.2
done
step "ConvEmbed is running (pid $(cat "$PID_FILE"))"
info "API:     $URL"
info "Swagger: $URL/swagger"
info "Health:  $URL/health/ready"
info "Metrics: $URL/metrics"
info "Files:   $ConvEmbed__Storage__DataDirectory (blobs, features, models)"
info "Stop:    sh deploy/run.sh stop"
