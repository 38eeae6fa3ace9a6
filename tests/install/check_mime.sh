#!/usr/bin/env bash
# check_mime.sh MIME_XML: the shared-mime-info package compiles with update-mime-database, and the compiled database
# maps *.lsc to the scenario type and *.schedule (and the "lockstep-schedule" first line) to the schedule type.
set -euo pipefail
xml=$1
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
mkdir -p "$db/packages"
cp "$xml" "$db/packages/lockstep.xml"
if ! out=$(update-mime-database -V "$db" 2>&1) || grep -qi -E "error|warning|invalid" <<<"$out"; then
    echo "update-mime-database complained:" >&2
    echo "$out" >&2
    exit 1
fi
grep -qx 'text/x-lockstep-scenario:\*\.lsc' "$db/globs" || { echo "no *.lsc glob in $db/globs" >&2; exit 1; }
grep -qx 'text/x-lockstep-schedule:\*\.schedule' "$db/globs" || { echo "no *.schedule glob" >&2; exit 1; }
grep -q 'text/x-lockstep-schedule' "$db/magic" || { echo "no magic for schedules" >&2; exit 1; }
grep -qx 'text/x-lockstep-scenario text/plain' "$db/subclasses" || { echo "scenario is not text/plain" >&2; exit 1; }
echo "ok: the MIME types compile and match *.lsc and *.schedule"
