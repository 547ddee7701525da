#!/bin/sh
# Takes a Debian 12 machine (root, .NET 10 SDK) to a green run of the whole test suite:
# installs what the tests need, starts the project's PostgreSQL, builds (native shim included), tests.
set -eu
here=$(dirname -- "$0")
. "$here/common.sh"

CONVEMBED_TEST_PACKAGES=1 sh "$here/setup.sh"
export CONVEMBED_PG_PORT="$PG_PORT"
export CONVEMBED_TEST_DATABASE="$(connection_string "$DB_TEST_NAME")"

step "dotnet test ConvEmbed.Service.sln"
LOG="$DATA_DIR/test.log"
RC_FILE="$DATA_DIR/test.rc"
rm -f "$RC_FILE"
{ rc=0; dotnet test "$ROOT/ConvEmbed.Service.sln" -nologo "$@" || rc=$?; echo "$rc" >"$RC_FILE"; } 2>&1 | tee "$LOG"
rc=$(cat "$RC_FILE")

# One closing line over all test projects: "N passed, N failed, N skipped".
awk '/(Passed|Failed)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) { v = $(i + 1); gsub(",", "", v)
         if ($i == "Failed:") f += v; else if ($i == "Passed:") p += v; else if ($i == "Skipped:") s += v }
       n++ }
     END { if (n == 0) { print "no test results found"; exit }
           printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$LOG"
exit "$rc"
