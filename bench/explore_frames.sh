#!/usr/bin/env bash
# bench/explore_frames.sh: the window's frame time while it checks all interleavings in the background, against the
# same window not exploring, side by side in one run. Both draw the dining philosophers (n=6, ordered: a state space
# that takes the search well over the measurement) at speed max, frames back to back (--bench-frames), 1920x1080 under
# Xvfb with the software renderer, the Explore panel shown in both (it replaces the code and narration: the same
# drawing in both); the exploring runs start "check all" on their first frame (bench/explore-check-all.uis), so
# every measured frame is drawn while the search runs on its own thread, the others only open the panel
# (bench/explore-panel.uis). Runs alternate, so that a machine shared with other jobs slows both alike; each figure
# is the median over the runs of each run's p95 (and p50). Two times per frame: the wall-clock frame time (what the user sees: on a loaded machine
# it includes waiting for a core) and the CPU time the window's thread spent on the frame (what drawing costs the
# window itself). The load average before and after is printed with them: compare ratios, not absolute figures,
# across machines and moments.
#   bench/explore_frames.sh [BUILD_DIR] [RUNS]     (default: build, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-5}
frames=300
export SDL_FRAMEBUFFER_ACCELERATION=0 LOCKSTEP_DATA_DIR=$PWD
one() { # extra options...: prints "p50 p95 cpu50 cpu95"
    xvfb-run -a -s "-screen 0 1920x1080x24" "$build/src/lockstep" dining-philosophers --set n=6 --set strategy=ordered \
        --size 1920x1080 --speed max --bench-frames "$frames" "$@" 2>/dev/null |
        sed -n 's/.* p50 \([0-9.]*\)  p95 \([0-9.]*\) .*CPU ms: median \([0-9.]*\), 95th \([0-9.]*\)).*/\1 \2 \3 \4/p'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m() { printf '%s\n' "$@" | median; }
range() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
plain50=() plain95=() plaincpu50=() plaincpu95=() expl50=() expl95=() explcpu50=() explcpu95=()
load0=$(load)
for ((i = 0; i < runs; i++)); do
    read -r a b c d <<<"$(one --ui-script bench/explore-panel.uis)"
    plain50+=("$a") plain95+=("$b") plaincpu50+=("$c") plaincpu95+=("$d")
    read -r a b c d <<<"$(one --ui-script bench/explore-check-all.uis)"
    expl50+=("$a") expl95+=("$b") explcpu50+=("$c") explcpu95+=("$d")
done
load1=$(load)
p95=$(m "${plain95[@]}") e95=$(m "${expl95[@]}") pc95=$(m "${plaincpu95[@]}") ec95=$(m "${explcpu95[@]}")
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $load0 before, $load1 after; $frames frames a run, $runs runs each"
echo "| measure | without exploring | while checking all | exploring / not | target |"
echo "|---|---|---|---|---|"
echo "| frame time p95 (wall clock) | $p95 ms ($(range "${plain95[@]}")) | $e95 ms ($(range "${expl95[@]}")) | $(ratio "$e95" "$p95") | ≤ 33 ms |"
echo "| frame time p50 (wall clock) | $(m "${plain50[@]}") ms | $(m "${expl50[@]}") ms | $(ratio "$(m "${expl50[@]}")" "$(m "${plain50[@]}")") | |"
echo "| window thread CPU per frame, 95th | $pc95 ms ($(range "${plaincpu95[@]}")) | $ec95 ms ($(range "${explcpu95[@]}")) | $(ratio "$ec95" "$pc95") | |"
echo "| window thread CPU per frame, median | $(m "${plaincpu50[@]}") ms | $(m "${explcpu50[@]}") ms | $(ratio "$(m "${explcpu50[@]}")" "$(m "${plaincpu50[@]}")") | |"
