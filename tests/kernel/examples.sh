#!/bin/sh
# nftables' own example rulesets (the files Debian's nftables package puts in
# /usr/share/doc/nftables/examples), nfkit against nft.  Each file runs in a
# fresh namespace holding the interfaces the files name (veth pairs
# eth0/eth1, eth2/eth3, lan0/wan0), from the examples directory (their
# includes are relative to it), with `-f` and with `-c -f`:
#   - exit code and stderr equal nft's,
#   - `nft list ruleset` afterwards equals what it is after nft's run.
# Files using what nfkit does not do yet are listed in known(), each with its
# reason: still compared, and skipped while they differ (the skip count shows
# in the summary); a listed file that matches nft fails until it is removed.
#
#   sh tests/kernel/examples.sh                    NFKIT=nft to check the harness
. "$(dirname "$0")/../lib.sh"

EX=${NFT_EXAMPLES:-/usr/share/doc/nftables/examples}

# known FILE: why nfkit does not match nft on it yet, or nothing.
known() {
	case $1 in
	esac
}

# Inside a namespace: PROG [ARGS...] FILE OUT
ns_example() {
	out=$1
	shift
	ip link add eth0 type veth peer name eth1 &&
		ip link add eth2 type veth peer name eth3 &&
		ip link add lan0 type veth peer name wan0 || exit 1
	cd "$EX" || exit 1
	bounded "$@" >"$out" 2>&1
	echo "rc=$?" >>"$out"
	"$NFT" list ruleset >>"$out" 2>&1
}

ns_entry "$@"

need_oracle_and_nfkit
if ! ls "$EX"/*.nft >/dev/null 2>&1; then
	echo "no example rulesets in $EX"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! nsrun sh -c 'ip link add eth0 type veth peer name eth1' 2>/dev/null; then
	echo "cannot create veth interfaces in a namespace"
	echo "0 passed, 1 failed"
	exit 1
fi

for f in "$EX"/*.nft; do
	name=$(basename "$f")
	why=$(known "$name")
	[ "$NFKIT" = "$NFT" ] && why=
	# a known gap is compared all the same: still different, it is skipped
	# with its reason; matching nft, its entry must go (a failure until then)
	differs=0
	for mode in "" -c; do
		tag="$name${mode:+ $mode}"
		nsrun sh "$SELF" __ns ns_example "$TMP/ref" "$NFT" $mode -f "$f"
		for bin in $NFKIT_BINS; do
			nsrun sh "$SELF" __ns ns_example "$TMP/got" "$bin" $mode -f "$f"
			if [ -n "$why" ]; then
				cmp -s "$TMP/ref" "$TMP/got" || differs=1
				continue
			fi
			check "$tag [$(basename "$(dirname "$bin")")]: exit code, stderr and ruleset" \
				"$TMP/ref" "$TMP/got"
		done
	done
	if [ -n "$why" ] && [ "$differs" = 1 ]; then
		skip "$name: $why"
	elif [ -n "$why" ]; then
		fail "$name: listed in known() ($why) but matches nft now: remove it from the list"
	fi
done

summary
