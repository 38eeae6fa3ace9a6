#!/usr/bin/env bash
# check_promela.sh LOCKSTEP SOURCE_ROOT CC...: the Promela models that bench/mc_vs_spin runs against lockstep
# (bench/*.pml) parse, compile, and at small sizes have exactly as many states as `lockstep explore --all
# --reduction none` on the same scenario, with the same verdict: their step model is lockstep's (see the header of
# bench/producer-consumer.pml), so the benchmark compares two searches of one graph. The naive philosophers and
# producer-consumer with one end marker short deadlock in both; the rest end cleanly (no failed assertion in SPIN).
# Needs SPIN (Debian package spin, installed by tools/setup); meson registers this test only when spin is found.
set -euo pipefail
exe=$1
root=$2
shift 2
cc=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# lockstep's search budget, stretched like the test's timeout under the sanitizers (tests/common/slowness.h)
slow=${LOCKSTEP_TIMEOUT_MULTIPLIER:-1}
[[ "$slow" =~ ^[0-9]+$ ]] && [ "$slow" -ge 1 ] && [ "$slow" -le 100 ] || slow=1
max_s=$((60 * slow))

# pan's report for MODEL with spin options SPIN_OPTS, pan's compile flags PAN_FLAGS and run options RUN_OPTS, in
# $tmp/pan.out. spin -a reports some errors (a dubious construct) and still generates pan.c: those fail too.
pan() {
    local model=$1 spin_opts=$2 pan_flags=$3 run_opts=${4:-}
    rm -f "$tmp/spin.out" "$tmp/pan.out"
    # shellcheck disable=SC2086
    if ! (cd "$tmp" && spin -a $spin_opts "$root/bench/$model" >spin.out 2>&1 && ! grep -q Error spin.out &&
        "${cc[@]}" -w $pan_flags -o pan pan.c && ./pan -m100000 $run_opts >pan.out 2>&1); then
        echo "$model ($spin_opts): spin, the compiler or pan failed:" >&2
        cat "$tmp/spin.out" "$tmp/pan.out" >&2 2>/dev/null || true
        return 1
    fi
}

pan_deadlock() { grep -q '^pan:[0-9]*: invalid end state' "$tmp/pan.out"; }

pan_states() { awk '/states, stored/ { print $1 }' "$tmp/pan.out"; }
pan_errors() { sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$tmp/pan.out"; }

# lockstep's --reduction none search of SCENARIO with --set options: "states outcome" (outcome: completed, deadlock...)
lockstep_all() {
    local scenario=$1
    shift
    local sets=()
    for s in "$@"; do sets+=(--set "$s"); done
    local json
    json=$("$exe" explore "$scenario" --all --reduction none "${sets[@]}" --max-seconds "$max_s" --json --out "$tmp" || true)
    local states outcome
    states=$(sed -n 's/.*"states":\([0-9]*\).*/\1/p' <<<"$json")
    outcome=completed
    grep -q '"deadlock":[1-9]' <<<"$json" && outcome=deadlock
    grep -q '"complete":true' <<<"$json" || outcome=incomplete
    echo "${states:-none} $outcome"
}

# same_graph MODEL PML_DEFINES SCENARIO SETS VERDICT: the state counts agree and both searches end in VERDICT
# (completed or deadlock)
same_graph() {
    local model=$1 defines=$2 scenario=$3 sets=$4 want=$5
    # shellcheck disable=SC2086
    read -r ls_states ls_outcome <<<"$(lockstep_all "$scenario" $sets)"
    # -c0: go on after an error, so that the count is the whole graph's, as lockstep's is
    pan "$model" "-o3 $defines" "-DSAFETY -DNOREDUCE" -c0 || { fail=1; return; }
    local sp_states sp_outcome=completed
    sp_states=$(pan_states)
    pan_deadlock && sp_outcome=deadlock
    [ "$sp_outcome" = completed ] && [ "$(pan_errors)" != 0 ] && sp_outcome=error
    if [ "$ls_states" != "$sp_states" ] || [ "$ls_outcome" != "$want" ] || [ "$sp_outcome" != "$want" ]; then
        echo "$model ($defines): lockstep $ls_states states ($ls_outcome), SPIN $sp_states states ($sp_outcome)," \
            "expected the same count and $want. If the scenario or how lockstep steps it changed, bench/$model" \
            "must change with it." >&2
        fail=1
        return
    fi
    echo "ok: $model ($defines): $ls_states states in both, $want"
}

same_graph philosophers.pml "-DN=2 -DORDERED=0" dining-philosophers "n=2 strategy=naive" deadlock
same_graph philosophers.pml "-DN=2 -DORDERED=1" dining-philosophers "n=2 strategy=ordered" completed
same_graph race-counter.pml "-DW=2 -DITER=2" race-counter "workers=2 iterations=2" completed
same_graph producer-consumer.pml "-DPRODUCERS=1 -DCONSUMERS=1 -DITEMS=1" producer-consumer "consumers=1 items=1" \
    completed
same_graph producer-consumer.pml "-DPRODUCERS=1 -DCONSUMERS=1 -DITEMS=2 -DBOUNDED=1 -DCAPACITY=1" producer-consumer \
    "consumers=1 items=2 bounded=yes capacity=1" completed
# The scenario with main's last loop one end marker short: a consumer waits on filled forever.
sed 's/^    for c in range(consumers):$/    for c in range(consumers - 1):/' "$root/scenarios/producer-consumer.lsc" \
    >"$tmp/marker-short.lsc"
if cmp -s "$tmp/marker-short.lsc" "$root/scenarios/producer-consumer.lsc"; then
    echo "scenarios/producer-consumer.lsc no longer has main's loop 'for c in range(consumers):'" >&2
    fail=1
else
    same_graph producer-consumer.pml "-DPRODUCERS=1 -DCONSUMERS=2 -DITEMS=1 -DMARKERS=1" "$tmp/marker-short.lsc" \
        "consumers=2 items=1" deadlock
fi
exit "$fail"
