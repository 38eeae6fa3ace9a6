#!/usr/bin/env bash
# check_bench_block.sh SOURCE_ROOT: tools/bench writes docs/performance.md through tools/bench-block, which replaces
# one generated block (between <!-- bench:NAME begin --> and <!-- bench:NAME end -->) and leaves the rest alone.
# On a small sample: the block's lines are replaced, the prose before, between and after survives byte for byte,
# another block is untouched, a missing block is appended with its markers, and a begin without its end is refused
# with the file unchanged. On a copy of docs/performance.md: every block tools/bench writes is there, and replacing
# them all changes nothing outside them.
set -uo pipefail
root=$1
tool=$root/tools/bench-block
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
    echo "FAIL: $*" >&2
    fail=1
}

cat >"$tmp/sample.md" <<'EOF'
# Title

Prose written by hand, before.
<!-- bench:table begin -->
| old | table |
|---|---|
| 1 | 2 |
<!-- bench:table end -->

Prose between, with a line that looks like a marker of another block:
<!-- bench:other begin -->
kept as it is
<!-- bench:other end -->
Prose after.
EOF
cat >"$tmp/expected.md" <<'EOF'
# Title

Prose written by hand, before.
<!-- bench:table begin -->
| new | table |
|---|---|
<!-- bench:table end -->

Prose between, with a line that looks like a marker of another block:
<!-- bench:other begin -->
kept as it is
<!-- bench:other end -->
Prose after.
EOF
printf '| new | table |\n|---|---|\n' | "$tool" "$tmp/sample.md" table || bad "replacing a block failed"
cmp -s "$tmp/sample.md" "$tmp/expected.md" || {
    bad "the block was not replaced alone:"
    diff "$tmp/expected.md" "$tmp/sample.md" >&2
}

# Run again with the same content: nothing changes.
printf '| new | table |\n|---|---|\n' | "$tool" "$tmp/sample.md" table || bad "replacing a block again failed"
cmp -s "$tmp/sample.md" "$tmp/expected.md" || bad "replacing a block with its own content changed the file"

# A missing block is appended, markers included.
printf 'a note\n' | "$tool" "$tmp/sample.md" notes || bad "appending a block failed"
{
    cat "$tmp/expected.md"
    printf '\n<!-- bench:notes begin -->\na note\n<!-- bench:notes end -->\n'
} >"$tmp/appended.md"
cmp -s "$tmp/sample.md" "$tmp/appended.md" || {
    bad "a missing block was not appended as expected:"
    diff "$tmp/appended.md" "$tmp/sample.md" >&2
}

# A begin without its end: refused, the file left as it was.
printf 'intro\n<!-- bench:open begin -->\nold\n' >"$tmp/open.md"
cp "$tmp/open.md" "$tmp/open.before"
if printf 'new\n' | "$tool" "$tmp/open.md" open 2>/dev/null; then
    bad "a block without its end marker was accepted"
fi
cmp -s "$tmp/open.md" "$tmp/open.before" || bad "a refused replacement changed the file"

# The real file: the blocks tools/bench writes are all there, and what lies outside them survives a new run.
doc=$tmp/performance.md
cp "$root/docs/performance.md" "$doc"
outside() { awk '/^<!-- bench:[a-z-]+ begin -->$/ { skip = 1 } !skip { print } /^<!-- bench:[a-z-]+ end -->$/ { skip = 0 }' "$1"; }
outside "$doc" >"$tmp/outside.before"
for name in summary tools explore memory lessons notes; do
    grep -qx "<!-- bench:$name begin -->" "$doc" || bad "docs/performance.md has no block $name"
    printf 'generated %s\n' "$name" | "$tool" "$doc" "$name" || bad "replacing block $name of docs/performance.md failed"
    grep -qx "generated $name" "$doc" || bad "block $name of docs/performance.md was not replaced"
done
outside "$doc" >"$tmp/outside.after"
cmp -s "$tmp/outside.before" "$tmp/outside.after" || {
    bad "replacing the blocks of docs/performance.md changed what lies outside them:"
    diff "$tmp/outside.before" "$tmp/outside.after" | head -20 >&2
}
grep -q "Where the time goes" "$doc" || bad "the hand-written analysis of docs/performance.md did not survive"
# tools/bench writes the file through tools/bench-block only (no redirection over the whole file).
grep -q 'tools/bench-block "\$out"' "$root/tools/bench" || bad "tools/bench does not write through tools/bench-block"
grep -qE '^\} *>"?\$out"?' "$root/tools/bench" && bad "tools/bench still rewrites the whole file"

[ "$fail" -eq 0 ] && echo "ok"
exit "$fail"
