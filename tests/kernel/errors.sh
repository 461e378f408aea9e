#!/bin/sh
# Failing input, nfkit against the real nft.  Each case runs in a fresh
# namespace on top of tests/data/seed000-base.nft (loaded with nft), for
# every file in tests/data/errors/*.nft (with -f, and with -c -f) and every
# command in tests/data/errors/words.txt (as separate words):
#   - the exit code is nft's (1),
#   - stderr is nft's diagnostic byte for byte (FILE:LINE:COL-COL: Error: ...,
#     the source line, the caret/tilde marker), stdout too,
#   - the ruleset is exactly as it was: nothing is half-applied.
# A file listed in tests/data/errors/known.txt ("FILE reason") is a known
# difference: still run, a skip (with the reason) while it differs, a
# failure once it agrees, so the list stays exact.
#
#   sh tests/kernel/errors.sh                      NFKIT=nft to check the harness
. "$(dirname "$0")/../lib.sh"

BASE=tests/data/seed000-base.nft

# Inside a namespace: baseline, then PROG ARGS..., then the ruleset again.
ns_fail() {
	ns_around "$BASE" "$@"
}

ns_entry "$@"

need_oracle_and_nfkit

KNOWN=tests/data/errors/known.txt

# The reason FILE is listed in known.txt for, or nothing.
known_why() {
	[ -f "$KNOWN" ] && awk -v f="$1" '$1 == f { $1 = ""; sub(/^ +/, ""); print; exit }' "$KNOWN"
}

# one_case NAME ARGS...: runs ARGS with nft and with each binary.
n=0
one_case() {
	name=$1
	shift
	why=$(known_why "${name%% *}")
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
		if [ -n "$why" ]; then
			if cmp -s "$D/ref.rc" "$D/got.rc" && cmp -s "$D/ref.stderr" "$D/got.stderr.n" &&
			   cmp -s "$D/ref.stdout" "$D/got.stdout" && cmp -s "$D/got.before" "$D/got.after"; then
				fail "$tag: listed in $KNOWN but agrees with nft now: remove it"
			else
				skip "$tag: $why"
			fi
			continue
		fi
		check "$tag: exit code" "$D/ref.rc" "$D/got.rc"
		check "$tag: stderr" "$D/ref.stderr" "$D/got.stderr.n"
		check "$tag: stdout" "$D/ref.stdout" "$D/got.stdout"
		check "$tag: ruleset unchanged" "$D/got.before" "$D/got.after"
	done
}

for E in tests/data/errors/*.nft; do
	one_case "$(basename "$E")" -f "$E"
	one_case "$(basename "$E") -c" -c -f "$E"
done

while read -r line; do
	case $line in '' | '#'*) continue ;; esac
	# shellcheck disable=SC2086 # the words are meant to be split
	one_case "'$line'" $line
done <tests/data/errors/words.txt

summary
