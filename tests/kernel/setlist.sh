#!/bin/sh
# Set and map listings against nft, for every kind of set the lister packs
# or keeps as messages (src/state/packed.c): hash and interval sets of
# ipv4, ipv6, inet_service, mark (host order), prefixes, concatenations
# (hash, interval), maps to verdicts (with jumps), to addresses, interval
# maps, sets with counters, timeouts, comments, a catch-all, bitmask types,
# empty and one-element sets, anonymous sets and vmaps in rules.  Loaded by
# nft; `list ruleset|table|set|map|chain|sets|maps` with "", -a, -s, -t,
# -n, "-a -s", "-n -a" must be nft's byte for byte ("expires" masked).
#
#   sh tests/kernel/setlist.sh                     SETLIST_N=400 elements
. "$(dirname "$0")/../lib.sh"

N=${SETLIST_N:-400}

gen() {
	awk -v n="$1" '
function ip4(a) { return int(a / 16777216) "." int(a / 65536) % 256 "." int(a / 256) % 256 "." a % 256 }
function r32() { return int(rand() * 4294967296) }
function h16() { return sprintf("%x", int(rand() * 65536)) }
function one(kind, v) {
	if (kind == "ip4") return ip4(r32())
	if (kind == "ip6") return "2001:db8:" h16() ":" h16() "::" h16()
	if (kind == "port") return int(rand() * 65536)
	if (kind == "mark") return sprintf("%d", r32())
	if (kind == "ip4p") return ip4(r32()) " . " int(rand() * 65536)
	if (kind == "net4") return ip4(int(r32() / 256) * 256) "/24"
	if (kind == "ip4m") return ip4(r32()) " : " ip4(r32())
	v = rand()
	return ip4(r32()) " : " (v < 0.3 ? "accept" : v < 0.6 ? "drop" : "jump c" int(rand() * 5))
}
function list(kind, cnt,   i, s, x, seen) {
	s = ""
	for (i = 0; i < cnt; i++) {
		x = one(kind)
		if (x in seen)
			continue
		seen[x] = 1
		s = s (s == "" ? "" : ", ") x
	}
	return s
}
function add(fam, t, s, kind, cnt) { print "add element " fam " " t " " s " { " list(kind, cnt) " }" }
BEGIN {
	srand(7)
	print "table ip t {"
	for (c = 0; c < 5; c++)
		print "chain c" c " { }"
	print "set h4 { type ipv4_addr; }"
	print "set i4 { type ipv4_addr; flags interval; }"
	print "set n4 { type ipv4_addr; flags interval; }"
	print "set hp { type inet_service; }"
	print "set ipr { type inet_service; flags interval; }"
	print "set mk { type mark; }"
	print "set cc { type ipv4_addr . inet_service; }"
	print "set ci { type ipv4_addr . inet_service; flags interval; }"
	print "map vm { type ipv4_addr : verdict; }"
	print "map am { type ipv4_addr : ipv4_addr; }"
	print "map im { type ipv4_addr : ipv4_addr; flags interval; }"
	print "set cnt { type ipv4_addr; counter; }"
	print "set to { type ipv4_addr; flags timeout; timeout 1h; }"
	print "set tf { type tcp_flag; elements = { syn, ack, fin | ack, syn | ack, rst } }"
	print "set cs { type ct_state; elements = { new, established, related } }"
	print "set cm { type ipv4_addr; elements = { 1.2.3.4 comment \"hi\", 5.6.7.8 } }"
	print "map cat { type ipv4_addr : verdict; elements = { 1.1.1.1 : accept, * : drop } }"
	print "set e { type ipv4_addr; }"
	print "set one { type ipv4_addr; elements = { 9.9.9.9 } }"
	print "chain r { ip saddr { 1.2.3.4, 10.0.0.0/8, 5.6.7.8 } accept; tcp dport { 22, 80, 443 } accept; ip daddr vmap { 1.1.1.1 : accept, 2.2.2.2 : jump c1 }; ip saddr @h4 drop; tcp flags { syn, ack } accept; }"
	print "}"
	add("ip", "t", "h4", "ip4", n); add("ip", "t", "i4", "ip4", n)
	add("ip", "t", "n4", "net4", n / 10); add("ip", "t", "hp", "port", n / 4)
	add("ip", "t", "ipr", "port", n / 4); add("ip", "t", "mk", "mark", n)
	add("ip", "t", "cc", "ip4p", n); add("ip", "t", "ci", "ip4p", n / 10)
	add("ip", "t", "vm", "ip4v", n); add("ip", "t", "am", "ip4m", n)
	add("ip", "t", "im", "ip4m", n / 10); add("ip", "t", "cnt", "ip4", n / 10)
	add("ip", "t", "to", "ip4", n / 10)
	print "table ip6 t6 {"
	print "set h6 { type ipv6_addr; }"
	print "set i6 { type ipv6_addr; flags interval; }"
	print "}"
	add("ip6", "t6", "h6", "ip6", n); add("ip6", "t6", "i6", "ip6", n)
}'
}

LISTS='ruleset
table ip t
table ip6 t6
set ip t h4
set ip t i4
set ip t n4
set ip t hp
set ip t ipr
set ip t mk
set ip t cc
set ip t ci
map ip t vm
map ip t am
map ip t im
set ip t cnt
set ip t to
set ip t tf
set ip t cs
set ip t cm
map ip t cat
set ip t e
set ip t one
chain ip t r
set ip6 t6 h6
set ip6 t6 i6
sets
maps
sets ip'
OPTS=',-a,-s,-t,-n,-a -s,-n -a'

# Inside a namespace: load with nft, then every listing by both programs.
ns_lists() {
	"$NFT" -f "$1" || return 1
	i=0
	IFS=,
	for o in $OPTS; do
		IFS='
'
		for w in $LISTS; do
			i=$((i + 1))
			IFS=' '
			# shellcheck disable=SC2086 # options and words are meant to be split
			{
				bounded "$NFT" $o list $w 2>&1
				echo "rc=$?"
			} | sed -E 's/expires [0-9a-z]+/expires X/g' >"$2.ref.$i"
			# shellcheck disable=SC2086
			{
				bounded "$NFKIT" $o list $w 2>&1
				echo "rc=$?"
			} | sed -E 's/expires [0-9a-z]+/expires X/g' >"$2.got.$i"
			echo "$o list $w" >"$2.name.$i"
			IFS='
'
		done
		IFS=,
	done
	echo "$i" >"$2.count"
}

ns_entry "$@"

need_oracle_and_nfkit

gen "$N" >"$TMP/sets.nft"
if ! nsrun sh "$SELF" __ns ns_lists "$TMP/sets.nft" "$TMP/l"; then
	fail "nft -f of the generated sets"
	summary
fi
i=0
while [ "$i" -lt "$(cat "$TMP/l.count")" ]; do
	i=$((i + 1))
	check "$(cat "$TMP/l.name.$i")" "$TMP/l.ref.$i" "$TMP/l.got.$i"
done
summary
