#!/bin/sh
# nfkit -e against nft -e, command by command on a small existing ruleset
# (tests/data/echo/setup.nft), with and without -a: the objects echoed,
# "add"/"insert"/"create"/"delete", rule positions, anonymous sets in the
# kernel's order, interval elements merged, and the generation line (pid
# and program name masked).  Whole rulesets are covered by roundtrip.sh.
#
#   sh tests/kernel/echo.sh
. "$(dirname "$0")/../lib.sh"

SETUP=$NFK_ROOT/tests/data/echo/setup.nft

# Commands nfkit's front end accepts; handles refer to setup.nft.
CMDS='add rule ip t c tcp dport 22 accept
insert rule ip t c udp dport 53 accept
add rule ip t c position 7 ip saddr 4.4.4.4 drop
insert rule ip t c position 7 ip saddr 5.5.5.5 drop
replace rule ip t c handle 7 ip saddr 3.3.3.3 drop
add element ip t s { 1.2.3.4, 5.6.7.8 }
add element ip t iv { 10.0.0.0/8, 1.1.1.1, 2.0.0.0-2.0.0.255 }
add element ip t m { 1.1.1.1 : jump r }
create element ip t s { 9.9.9.9 }
add rule ip t c ip saddr @s accept
add rule ip t c ip saddr vmap @m
add rule ip t c ip saddr { 9.9.9.9, 8.8.8.8 } accept
add rule ip t c tcp dport vmap { 443 : accept, 22 : drop }
add rule ip t c ip saddr . tcp dport { 9.9.9.9 . 80, 8.8.8.8 . 22 } accept
add rule ip t c ip daddr { 10.0.0.0/8, 1.1.1.1-1.1.1.5 }
add rule ip t c accept comment "hello"
add table ip t
add table ip t9 { flags dormant; }
create table ip t8
add chain ip t r
add chain ip t c2 { type filter hook output priority 10; policy drop; }
create chain ip t c3
add set ip t s2 { type ipv4_addr . inet_service; flags timeout; size 100; comment "sc"; }
add map ip t m2 { type ipv4_addr : ipv4_addr; flags interval; elements = { 10.0.0.0/8 : 1.1.1.1 } }
add counter ip t cnt { comment "x"; }
add quota ip t q { over 10 mbytes used 1 mbytes; }
add limit ip t l { rate 10 bytes/second burst 20 bytes; }
delete rule ip t c handle 7
flush chain ip t c'

ensure_nft || { echo "nft (the oracle) is missing"; echo "0 passed, 1 failed"; exit 1; }

for flags in -e "-e -a"; do
	n=0
	echo "$CMDS" >"$TMP/cmds"
	while IFS= read -r cmd; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		nsrun sh -c '"$1" -f "$2" && shift 2 && "$@"; echo "rc=$?"' sh \
			"$NFT" "$SETUP" "$NFT" $flags $cmd 2>&1 | norm_echo >"$TMP/ref.$n"
		# shellcheck disable=SC2086
		nsrun sh -c '"$1" -f "$2" && shift 2 && "$@"; echo "rc=$?"' sh \
			"$NFT" "$SETUP" "$NFKIT" $flags $cmd 2>&1 | norm_echo | norm_prog >"$TMP/got.$n"
		check "nfkit $flags $cmd" "$TMP/ref.$n" "$TMP/got.$n"
	done <"$TMP/cmds"
done
summary
