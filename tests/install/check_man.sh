#!/usr/bin/env bash
# check_man.sh LOCKSTEP PAGE: the manual page renders with man -l without a single warning, and it names exactly the
# long options that the help texts name (lockstep --help, lockstep explore --help, lockstep --help-gui): an option
# added to one and not the other fails here.
set -euo pipefail
exe=$1
page=$2
. "$(dirname "$0")/help_options.sh"
fail=0
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null) || fail=1
if [ -n "$warnings" ]; then
    echo "man -l $page warns:" >&2
    echo "$warnings" >&2
    fail=1
fi
help=$(lockstep_help_options "$exe")
# the page's options: roff's \- is a minus, \fX switches fonts
man_opts=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$page" | grep -v '^\.\\"' | grep -o -E -- '--[a-z][a-z0-9-]*' |
    sort -u)
only_help=$(comm -23 <(echo "$help") <(echo "$man_opts"))
only_man=$(comm -13 <(echo "$help") <(echo "$man_opts"))
if [ -n "$only_help" ]; then
    echo "in --help but not in $page:" $only_help >&2
    fail=1
fi
if [ -n "$only_man" ]; then
    echo "in $page but in no --help:" $only_man >&2
    fail=1
fi
[ "$fail" -eq 0 ] && echo "ok: $(wc -l <<<"$help") options, the same in the help texts and the manual page"
exit "$fail"
