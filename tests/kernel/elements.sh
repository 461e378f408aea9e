#!/bin/sh
# Elements of large sets without dumps, against nft in the same namespace:
#   get      `get element` (present, inside an interval, ranges, maps,
#            missing -> nft's error) == nft's stdout, stderr and exit code
#   update   add/delete of one element in a 200k-element interval set:
#            wall time printed, asserted loosely (<= ELEM_MAX_MS, 500 ms);
#            the kernel's overlap verdict worded as nft's
#   atomic   a failing batch (several adds, one overlapping) leaves the set
#            as it was (nft list before/after)
#   list     a 100k-element set lists byte for byte as nft lists it
#   merge    add element to an existing interval set, with and without
#            auto-merge, empty or not: nft's and nfkit's `nft list ruleset`
#            and the kernel's elements (nft's leading end element at zero
#            included) are the same; neighbours below/above/both,
#            overlapping, swallowed, inside; delete errors as nft's
#
#   sh tests/kernel/elements.sh          ELEM_N=200000 ELEM_LIST_N=100000
. "$(dirname "$0")/../lib.sh"

N=${ELEM_N:-200000}
LN=${ELEM_LIST_N:-100000}
MAX_MS=${ELEM_MAX_MS:-500}

now_ms() { date +%s%3N; }

# same NAME ARGS...: runs nft and nfkit with the same words; compares
# stdout+stderr and the exit code.
same() {
	name=$1
	shift
	bounded "$NFT" "$@" >"$TMP/a" 2>&1
	echo "rc=$?" >>"$TMP/a"
	bounded "$NFKIT" "$@" >"$TMP/b" 2>&1
	echo "rc=$?" >>"$TMP/b"
	check "$name" "$TMP/a" "$TMP/b"
}

# merge_case FLAGS INIT ADD...: the same adds by nft, then by nfkit, to a
# set holding INIT; listings and the kernel's elements compared.
merge_case() {
	flags=$1 init=$2
	shift 2
	for tool in "$NFT" "$NFKIT"; do
		out=$TMP/b
		[ "$tool" != "$NFT" ] || out=$TMP/a
		{
			"$NFT" flush ruleset
			"$NFT" add table ip t
			"$NFT" add set ip t s "{ type ipv4_addr; flags $flags; }"
			[ -z "$init" ] || "$NFT" add element ip t s "{ $init }"
			for a in "$@"; do
				bounded "$tool" add element ip t s "{ $a }"
				echo "rc=$?"
			done
			"$NFT" list ruleset
			"$NFT" --debug=netlink list set ip t s | grep element
		} >"$out" 2>&1
	done
	check "merge [$flags] {$init} + $*" "$TMP/a" "$TMP/b"
}

merge_main() {
	am="interval; auto-merge"
	merge_case "$am" "10.0.0.0/24" "10.0.1.0/24"
	merge_case "$am" "10.0.1.0/24" "10.0.0.0/24"
	merge_case "$am" "10.0.0.0/24, 10.0.2.0/24" "10.0.1.0/24"
	merge_case "$am" "10.0.0.0/24, 10.0.4.0/24" "10.0.0.128-10.0.4.3"
	merge_case "$am" "10.0.0.0/24, 10.0.4.0/24" "10.0.1.0/24, 10.0.3.0/24, 10.0.9.0"
	merge_case "$am" "10.0.0.0/23" "10.0.0.7"
	merge_case "$am" "10.0.0.0/24, 10.0.2.0/24, 10.0.4.0/24" "10.0.1.0-10.0.5.255"
	merge_case "$am" "0.0.0.0/8, 255.0.0.0/8" "1.0.0.0/8, 254.0.0.0/8"
	merge_case "$am" "" "10.0.0.0/24" "10.0.1.0/24"
	merge_case "$am" "" "0.0.0.0/24" "0.0.1.0/24"
	merge_case "interval" "" "10.0.0.0/24" "10.0.2.0/24"
	merge_case "interval" "10.0.0.0/24" "10.0.2.0/24"
	merge_case "interval" "0.0.0.0/24" "10.0.2.0/24"
	merge_case "interval" "10.0.0.0/24" "10.0.1.0/24"
	"$NFT" flush ruleset
	"$NFT" add table ip t
	"$NFT" add set ip t s '{ type ipv4_addr; flags interval; auto-merge; }'
	"$NFT" add element ip t s '{ 10.0.0.0/23, 10.0.5.0/24 }'
	# the set holds its leading end element alone after this
	"$NFT" add set ip t e '{ type ipv4_addr; flags interval; }'
	"$NFT" add element ip t e '{ 10.0.0.0/24 }'
	"$NFT" delete element ip t e '{ 10.0.0.0/24 }'
	for q in "s { 10.0.0.0/24 }" "s { 10.0.5.0/24, 10.0.0.0/24 }" \
		 "s { 10.0.5.0/24, 10.0.7.0/24 }" "s { 10.0.0.0/23, 10.0.5.0/25 }"; do
		# shellcheck disable=SC2086 # q is words
		same "delete element ip t $q" delete element ip t $q
	done
	"$NFKIT" add element ip t e '{ 10.0.3.0/24 }'
	"$NFT" --debug=netlink list set ip t e | grep -c "element [0-9a-f]" >"$TMP/n"
	check_eq "no second leading end element" 3 "$(cat "$TMP/n")"
	"$NFT" flush ruleset
}

ns_main() {
	merge_main
	"$NFT" add table ip t
	"$NFT" add set ip t s '{ type ipv4_addr; flags interval; }'
	"$NFT" add set ip t h '{ type ipv4_addr; }'
	"$NFT" add map ip t m '{ type ipv4_addr : ipv4_addr; flags interval; }'
	"$NFT" add element ip t s '{ 10.0.0.0/24, 10.1.0.5, 10.2.0.1-10.2.0.9, 10.3.0.0/24, 10.3.1.0/24, 255.255.255.0/24, 0.0.0.0-0.0.0.9 }'
	"$NFT" add element ip t h '{ 1.2.3.4, 5.6.7.8 }'
	"$NFT" add element ip t m '{ 1.0.0.0/8 : 2.2.2.2, 3.3.3.3 : 4.4.4.4 }'
	for q in "s { 10.0.0.5 }" "s { 10.0.0.5, 10.1.0.5 }" "s { 10.9.0.5 }" \
		 "h { 1.2.3.4 }" "h { 1.2.3.5 }" "h { 5.6.7.8, 1.2.3.4 }" "s { 10.0.0.0/25 }" \
		 "s { 10.2.0.3-10.2.0.4 }" "s { 10.0.0.5, 10.9.9.9 }" "s { 10.0.0.5, 10.0.0.6 }" \
		 "s { 10.3.1.0 }" "s { 10.3.0.255 }" "s { 10.3.0.200-10.3.1.5 }" \
		 "s { 255.255.255.255 }" "s { 0.0.0.0 }" "s { 10.2.0.10 }" "m { 1.2.3.4 }" \
		 "s { 10.1.0.5, 10.0.0.1 }" "nosuch { 1.2.3.4 }"; do
		# shellcheck disable=SC2086 # q is words
		same "get element ip t $q" get element ip t $q
	done
	"$NFT" delete table ip t

	# 200k /29 intervals from 10.0.0.0, 16 addresses apart
	awk -v n="$N" 'BEGIN { print "table ip big {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = {"
		for (i = 0; i < n; i++) { a = 167772160 + i * 16
			printf "%d.%d.%d.%d/29,\n", int(a / 16777216), int(a / 65536) % 256, int(a / 256) % 256, a % 256 }
		print "}\n\t}\n}" }' >"$TMP/big.nft"
	"$NFT" -f "$TMP/big.nft" || { fail "load $N intervals with nft"; return; }
	"$NFT" list set ip big s >"$TMP/before"
	for op in "add element ip big s { 10.0.0.9 }" "delete element ip big s { 10.0.0.9 }" \
		  "get element ip big s { 10.0.0.3 }"; do
		t0=$(now_ms)
		# shellcheck disable=SC2086
		bounded "$NFKIT" $op >"$TMP/out" 2>&1
		rc=$?
		ms=$(($(now_ms) - t0))
		echo "  $op: ${ms} ms (rc=$rc)"
		if [ "$rc" = 0 ] && [ "$ms" -le "$MAX_MS" ]; then
			pass "$op in ${ms} ms"
		else
			fail "$op: rc=$rc, ${ms} ms"
			sed 's/^/	/' "$TMP/out"
		fi
		case $op in add*) "$NFT" list set ip big s >"$TMP/after.add" ;; esac
	done
	# what the timed commands did, against nft: the add gave the set nft's
	# add gives, the get printed what nft's prints, the add then the delete
	# left the set as it was
	bounded "$NFT" get element ip big s '{ 10.0.0.3 }' >"$TMP/nft.get" 2>&1
	check "get element ip big s { 10.0.0.3 }: output as nft's" "$TMP/nft.get" "$TMP/out"
	"$NFT" list set ip big s >"$TMP/after"
	check "add then delete of 10.0.0.9 leaves the set as it was" "$TMP/before" "$TMP/after"
	"$NFT" add element ip big s '{ 10.0.0.9 }'
	"$NFT" list set ip big s >"$TMP/nft.add"
	check "add element 10.0.0.9: the set as after nft's add" "$TMP/nft.add" "$TMP/after.add"
	"$NFT" delete element ip big s '{ 10.0.0.9 }'
	same "overlap add" add element ip big s '{ 10.0.0.3 }'
	# one batch, the second element overlaps: nothing may be applied
	bounded "$NFKIT" add element ip big s '{ 10.0.0.8, 10.0.0.20, 11.0.0.1 }' >"$TMP/out" 2>&1
	check_eq "failing batch exits 1" 1 $?
	"$NFT" list set ip big s >"$TMP/after"
	check "failing batch leaves the set unchanged" "$TMP/before" "$TMP/after"
	"$NFT" delete table ip big

	# listing: LN random distinct addresses in an interval set (the kernel
	# keeps those in order, so both listings see the same elements)
	awk -v n="$LN" 'BEGIN { srand(7); print "table ip l {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = {"
		while (c < n) { a = int(rand() * 4294967296); if (a in seen) continue; seen[a] = 1; c++
			printf "%d.%d.%d.%d,\n", int(a / 16777216), int(a / 65536) % 256, int(a / 256) % 256, a % 256 }
		print "}\n\t}\n\tset h {\n\t\ttype ipv4_addr\n\t\telements = { 1.1.1.1, 2.2.2.2, 3.3.3.3 }\n\t}\n}" }' >"$TMP/list.nft"
	"$NFT" -f "$TMP/list.nft" || { fail "load $LN elements with nft"; return; }
	same "list set ($LN elements)" list set ip l s
	same "list ruleset ($LN elements)" list ruleset
}

if [ "${1:-}" = __ns ]; then
	shift
	"$@"
	summary
fi

ensure_nft || { echo "nft (the oracle) is missing"; echo "0 passed, 1 failed"; exit 1; }
have_nfkit || { echo "binary under test not found: $NFKIT"; echo "0 passed, 1 failed"; exit 1; }
nsrun sh "$SELF" __ns ns_main
