#!/usr/bin/env bash
# bench/memory.sh LOCKSTEP: run each producer that used to grow without bound and print a Markdown section with its
# peak resident size (GNU time's maximum RSS) and how it ended. Each must end with a bounded peak and a clear limit
# error (or note), never by eating the machine's memory. Called by tools/bench; also runs on its own.
set -uo pipefail
exe=${1:?usage: bench/memory.sh PATH_TO_LOCKSTEP}
export LOCKSTEP_DATA_DIR=${LOCKSTEP_DATA_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure NAME TARGET_MB CMD...: one table row: peak RSS, wall time, exit status, the first line of stderr.
measure() {
    local name=$1 target=$2
    shift 2
    local t0 t1 rc
    rm -f "$tmp/out"
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$tmp/rss" "$@" >/dev/null 2>"$tmp/err"
    rc=$?
    t1=$(date +%s%N)
    local kb ms said verdict
    kb=$(tail -1 "$tmp/rss")
    ms=$(( (t1 - t0) / 1000000 ))
    said=$(grep -m1 -E 'lockstep|Error' "$tmp/err" | cut -c1-110)
    [ -z "$said" ] && said=$(grep -m1 -E 'OverflowError' "$tmp/out" 2>/dev/null | cut -c1-110)
    verdict=$(awk -v kb="$kb" -v t="$target" 'BEGIN { print (kb / 1024 <= t) ? "met" : "**missed**" }')
    printf '| %s | %.1f MB | ≤ %s MB | %s ms | %s | %s | %s |\n' "$name" "$(awk -v kb="$kb" 'BEGIN{print kb/1024}')" \
        "$target" "$ms" "$rc" "${said:-—}" "$verdict"
}

printf 'queue q\nmain:\n    while True:\n        q.put(1)\n' >"$tmp/queue.lsc"
{
    for i in $(seq 1 16); do printf 'shared a%d[4096] = 0\nlock l%d[4096]\n' "$i" "$i"; done
    printf 'main:\n    a1[0] = 1\n'
} >"$tmp/arrays.lsc"

echo "## Memory under unbounded producers (bench/memory.sh)"
echo
echo "Each producer that once grew without limit now ends at a documented limit with a clear message."
echo
echo "| producer | peak RSS | target | time | exit | what it says | verdict |"
echo "|---|---|---|---|---|---|---|"
# stdout of the queue run holds the thread error; keep it for the message column
measure "unbounded queue: \`while True: q.put(1)\` (limit 1,048,576 items)" 128 \
    sh -c "'$exe' run '$tmp/queue.lsc' --speed max >'$tmp/out'"
measure "\`--trace\` of a 1,500,000-step serial run (limit 1,048,576 events)" 256 \
    "$exe" run race-counter --set iterations=1000000 --sched serial --steps 1500000 --trace "$tmp/t.json"
measure "16 shared arrays + 16 lock arrays of 4096 (the run-wide limits: 65,536 each), one step, text report" 128 \
    "$exe" run "$tmp/arrays.lsc" --sched serial --steps 1
