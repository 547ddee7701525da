#!/bin/sh
# Takes a Debian 12 machine (root, apt reachable, .NET 10 SDK present) to everything ConvEmbed needs.
# Idempotent: when all is in place it takes seconds.
set -eu
here=$(dirname -- "$0")
command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
sh "$here/packages.sh"
sh "$here/pgvector.sh"
sh "$here/postgres.sh" start
