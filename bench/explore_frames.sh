#!/usr/bin/env bash
# bench/explore_frames.sh: the window's frame time while it checks all interleavings in the background, against the
# same window not exploring. Both draw the dining philosophers (n=6, ordered: a state space that takes the search
# well over the measurement) at speed max, frames back to back (--bench-frames), 1920x1080 under Xvfb with the
# software renderer; the exploring runs start "check all" on their first frame (bench/explore-check-all.uis), so
# every measured frame is drawn while the search runs on its own thread. Runs alternate, so that a machine shared
# with other jobs slows both alike; each line is the median over the runs of each run's p95 (and p50).
#   bench/explore_frames.sh [BUILD_DIR] [RUNS]     (default: build, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-5}
frames=300
export SDL_FRAMEBUFFER_ACCELERATION=0 LOCKSTEP_DATA_DIR=$PWD
one() { # extra options...: prints "p50 p95"
    xvfb-run -a -s "-screen 0 1920x1080x24" "$build/src/lockstep" dining-philosophers --set n=6 --set strategy=ordered \
        --size 1920x1080 --speed max --bench-frames "$frames" "$@" 2>/dev/null |
        sed -n 's/.* p50 \([0-9.]*\)  p95 \([0-9.]*\) .*/\1 \2/p'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
plain50=() plain95=() expl50=() expl95=()
for ((i = 0; i < runs; i++)); do
    read -r a b <<<"$(one)"
    plain50+=("$a") plain95+=("$b")
    read -r a b <<<"$(one --ui-script bench/explore-check-all.uis)"
    expl50+=("$a") expl95+=("$b")
done
m() { printf '%s\n' "$@" | median; }
echo "| GUI while checking all interleavings (philosophers n=6 ordered, speed max): frame time p95 (p50 $(m "${expl50[@]}") ms; $frames frames a run, $runs runs) | $(m "${plain95[@]}") ms without exploring (p50 $(m "${plain50[@]}") ms) | $(m "${expl95[@]}") ms | ($(printf '%s\n' "${expl95[@]}" | sort -n | head -1)–$(printf '%s\n' "${expl95[@]}" | sort -n | tail -1) ms) | ≤ 33 ms |"
