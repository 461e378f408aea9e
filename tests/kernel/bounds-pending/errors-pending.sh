#!/bin/sh
# tests/data/errors-pending/*.nft, checked exactly as tests/kernel/errors.sh
# checks tests/data/errors/*.nft: each file runs (with -f and with -c -f)
# in a fresh namespace on top of tests/data/seed000-base.nft, and nfkit's
# exit code, stderr and stdout must equal nft's, with the ruleset left
# exactly as it was.  A file that passes here moves to tests/data/errors/
# (git mv), where make check runs it.  Not part of make check.
#
#   sh tests/kernel/bounds-pending/errors-pending.sh [FILE.nft ...]
#   NFKIT=nft sh tests/kernel/bounds-pending/errors-pending.sh   # the harness
. "$(dirname "$0")/../../lib.sh"

BASE=tests/data/seed000-base.nft

ns_fail() {
	ns_around "$BASE" "$@"
}

ns_entry "$@"

need_oracle_and_nfkit

n=0
one_case() {
	name=$1
	shift
	n=$((n + 1))
	D=$TMP/$n
	mkdir -p "$D"
	nsrun sh "$SELF" __ns ns_fail "$D/ref" "$NFT" "$@"
	if [ "$(cat "$D/ref.rc")" != rc=1 ] || [ ! -s "$D/ref.stderr" ]; then
		fail "$name: harness: nft did not fail as expected ($(cat "$D/ref.rc"))"
		return
	fi
	for bin in $NFKIT_BINS; do
		tag="$name [$(basename "$bin")]"
		[ "$bin" = "$NFKIT_STATIC" ] && tag="$name [static]"
		nsrun sh "$SELF" __ns ns_fail "$D/got" "$bin" "$@"
		norm_prog <"$D/got.stderr" >"$D/got.stderr.n"
		check "$tag: exit code" "$D/ref.rc" "$D/got.rc"
		check "$tag: stderr" "$D/ref.stderr" "$D/got.stderr.n"
		check "$tag: stdout" "$D/ref.stdout" "$D/got.stdout"
		check "$tag: ruleset unchanged" "$D/got.before" "$D/got.after"
	done
}

[ $# -gt 0 ] || set -- tests/data/errors-pending/*.nft
for E in "$@"; do
	one_case "$(basename "$E")" -f "$E"
	one_case "$(basename "$E") -c" -c -f "$E"
done

summary
