#!/bin/sh
# `make demo`: loads examples/firewall.nft with nfkit into a throwaway network
# namespace, lists it back, shows the kernel expressions of one rule, and
# says what it did.  The host's own ruleset is never touched: the namespace
# and everything in it disappear when the script ends.
#
#   sh examples/demo.sh [path/to/nfkit]         (default build/nfkit)
PATH=$PATH:/usr/sbin:/sbin
export PATH LC_ALL=C
cd "$(dirname "$0")/.." || exit 1

NFKIT=${1:-${NFKIT:-build/nfkit}}
case $NFKIT in /*) ;; */*) NFKIT=$PWD/$NFKIT ;; esac
RULESET=examples/firewall.nft
RULE="add rule inet firewall input tcp dport 2222 ip saddr @trusted counter accept"

if [ -t 1 ]; then
	say() { printf '\n\033[1m### %s\033[0m\n' "$*"; }
else
	say() { printf '\n### %s\n' "$*"; }
fi

# --- inside the namespace ----------------------------------------------------
if [ "${DEMO_IN_NS:-}" = 1 ]; then
	set -e
	say "nfkit -f $RULESET"
	"$NFKIT" -f "$RULESET"
	echo "(no output: like nft, nfkit is silent on success)"

	say "nfkit list ruleset"
	"$NFKIT" list ruleset

	say "nfkit --debug=netlink $RULE"
	"$NFKIT" --debug=netlink $RULE

	say "nfkit -a list chain inet firewall input"
	"$NFKIT" -a list chain inet firewall input

	if command -v nft >/dev/null 2>&1; then
		say "does the real nft see the same ruleset?"
		a=$(nft list ruleset)
		b=$("$NFKIT" list ruleset)
		if [ "$a" = "$b" ]; then
			echo "yes: 'nft list ruleset' and 'nfkit list ruleset' are byte for byte identical"
		else
			echo "NO: they differ (- nft, + nfkit):"
			f=$(mktemp)
			printf '%s\n' "$a" >"$f"
			printf '%s\n' "$b" | diff -u "$f" - || true
			rm -f "$f"
		fi
	fi
	exit 0
fi

# --- outside: prerequisites, then re-run inside a fresh namespace --------------
if [ ! -x "$NFKIT" ]; then
	echo "demo: $NFKIT is not built (run 'make' first)" >&2
	exit 1
fi
# nft is not needed to run nfkit; the demo uses it to show that both agree.
if ! command -v nft >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "demo: installing nftables (to compare with the real nft)"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nftables >/dev/null
fi
if [ "$(id -u)" = 0 ]; then ns="unshare -n"; else ns="unshare -rn"; fi

echo "demo: a fresh network namespace ($ns), so the host firewall is untouched"
if ! DEMO_IN_NS=1 $ns sh "$0" "$NFKIT"; then
	echo "demo: FAILED (see above)" >&2
	exit 1
fi

cat <<EOF

### What happened
1. '$ns' gave this script a network namespace of its own, with an empty
   nftables ruleset; it was destroyed when the script ended.
2. 'nfkit -f $RULESET' parsed the file (defines, sets, a verdict map,
   jumps, NAT) and sent it to the kernel as one atomic netlink batch:
   every table, chain, set, element and rule, or nothing at all.
3. 'nfkit list ruleset' read the ruleset back from the kernel and printed it
   exactly as nft does (note the kernel-side details nft also shows: counter
   values, 'priority filter', the implicit 'meta nfproto ipv4').
4. '--debug=netlink' printed the kernel expressions of one new rule
   (payload loads, comparisons, a set lookup, a counter, a verdict) in the
   same format as 'nft --debug=netlink'.
5. nfkit talks to the kernel directly over NETLINK_NETFILTER: no libnftables,
   libnftnl or libmnl (try 'ldd $NFKIT').
EOF
