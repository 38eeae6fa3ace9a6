#!/usr/bin/env bash
# check_completion.sh LOCKSTEP COMPLETION: the bash completion, driven the way bash drives it (COMP_WORDS split at
# '=' as bash splits them), completes verbs, the options of each verb, option values, shipped scenario names, and
# after --set the chosen scenario's parameter names and values; and its option lists are exactly the help texts'.
set -uo pipefail
exe=$(realpath "$1")
script=$2
. "$(dirname "$0")/help_options.sh"
helpers=/usr/share/bash-completion/bash_completion
[ -r "$helpers" ] || { echo "skipped: bash-completion is not installed"; exit 77; }
# shellcheck disable=SC1090
. "$helpers"
. "$script"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
ln -s "$exe" "$bin/lockstep"
PATH=$bin:$PATH
compopt() { :; } # only bash's own completion may call it; what it sets (nospace) is not tested here
failures=0

# complete LINE: the candidates bash would offer with the cursor at the end of LINE, one a line, sorted.
complete()
{
    local line=$1 word
    local -a split=()
    for word in $line; do
        while [[ $word == *=* ]]; do # '=' is in COMP_WORDBREAKS: bash makes it a word of its own
            [ -n "${word%%=*}" ] && split+=("${word%%=*}")
            split+=("=")
            word=${word#*=}
        done
        [ -n "$word" ] && split+=("$word")
    done
    [[ $line == *" " ]] && split+=("")
    COMP_WORDS=("${split[@]}")
    COMP_CWORD=$((${#split[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    _lockstep lockstep "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort -u
}

# expect LINE WORD...: each WORD is among the candidates for LINE. expect_not LINE WORD...: none is.
expect()
{
    local line=$1 got w
    shift
    got=$(complete "$line")
    for w in "$@"; do
        grep -qxF -- "$w" <<<"$got" && continue
        echo "FAIL: '$line<TAB>' does not offer '$w' (offers: $(echo $got))"
        failures=$((failures + 1))
    done
}
expect_not()
{
    local line=$1 got w
    shift
    got=$(complete "$line")
    for w in "$@"; do
        grep -qxF -- "$w" <<<"$got" && { echo "FAIL: '$line<TAB>' offers '$w'"; failures=$((failures + 1)); }
    done
}

cd "$bin" # no stray .lsc files in the way
expect "lockstep r" run
expect "lockstep " run check explore race-counter dining-philosophers
expect "lockstep --" --list --help --version --help-gui --theme --zoom
expect "lockstep run din" dining-philosophers
expect_not "lockstep run race-counter " race-counter # one scenario at a time
expect "lockstep run race-counter --" --json --sched --trace --record
expect_not "lockstep run race-counter --" --zoom --all
expect "lockstep explore race-counter --" --all --runs --max-seconds
expect "lockstep check race-counter --" --set
expect_not "lockstep check race-counter --" --json
expect "lockstep run race-counter --sched " free paced serial
expect "lockstep run race-counter --sched=se" serial
expect "lockstep --theme " light dark
expect "lockstep --layout " auto normal presenter
expect "lockstep race-counter --layout=pre" presenter
expect "lockstep run race-counter --set " workers= iterations= use_lock=
expect "lockstep run race-counter --set use" use_lock=
expect "lockstep run race-counter --set use_lock=" yes no
expect "lockstep run dining-philosophers --set strategy=" naive ordered
expect "lockstep run --seed 3 dining-philosophers --set " n= strategy=
expect_not "lockstep run race-counter --set " strategy=
expect "lockstep explore dining-philosophers --runs 5 --set str" strategy=
expect "lockstep dining-philosophers --set " strategy=
data=${LOCKSTEP_DATA_DIR:-$(dirname "$0")/../..}
expect "lockstep --data-dir $data " run check explore race-counter
expect "lockstep --data-dir $data run race-counter --set " workers= use_lock=
expect "lockstep --data-dir=$data explore race-counter --" --all

# the option lists are the help texts' options
listed=$(printf '%s\n' $_lockstep_verbs $_lockstep_run_opts $_lockstep_check_opts $_lockstep_explore_opts \
    $_lockstep_window_opts | grep -- '^--' | sort -u)
help=$(lockstep_help_options "$exe")
if [ "$listed" != "$help" ]; then
    echo "FAIL: completion options differ from the help texts:"
    diff <(echo "$help") <(echo "$listed") | grep '^[<>]'
    failures=$((failures + 1))
fi
window_help=$("$exe" --help-gui | grep -o -E -- '--[a-z][a-z0-9-]*' | grep -vx -- --help | sort -u)
window_listed=$(printf '%s\n' $_lockstep_window_opts | sort -u)
if [ "$window_help" != "$window_listed" ]; then
    echo "FAIL: window options differ from --help-gui:"
    diff <(echo "$window_help") <(echo "$window_listed") | grep '^[<>]'
    failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "ok: completion offers what the program takes"
exit $((failures > 0))
