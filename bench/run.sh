#!/bin/sh
# Benchmarks nfkit against nft in the same run, each in fresh namespaces:
#   load   `-f` of a set with N IPv4 addresses (BENCH_SIZES), and of
#          examples/firewall.nft (BENCH_REPEAT times)
#   list   `list ruleset` of the loaded N-element set
# Prints one table; raw numbers also go to bench/out/results.txt.
#
#   sh bench/run.sh                 NFKIT=build/nfkit BENCH_SIZES="1000 100000"
. "$(dirname "$0")/../tests/lib.sh"

SIZES=${BENCH_SIZES:-1000 10000 100000 1000000}
REPEAT=${BENCH_REPEAT:-20}
CMD_TIMEOUT=${BENCH_TIMEOUT:-900}
OUT=bench/out
mkdir -p "$OUT"

now() { date +%s.%N; }

# Inside a namespace: time `PROG -f FILE` (REPEAT times, flushing between),
# then `PROG list ruleset` of the last load.
ns_bench() {
	prog=$1 file=$2 reps=$3 out=$4
	t0=$(now)
	r=0
	while [ "$r" -lt "$reps" ]; do
		r=$((r + 1))
		[ "$r" = 1 ] || "$NFT" flush ruleset
		bounded "$prog" -f "$file" >/dev/null 2>&1 || { echo fail >"$out"; return; }
	done
	t1=$(now)
	bounded "$prog" list ruleset >/dev/null 2>&1 || { echo fail >"$out"; return; }
	t2=$(now)
	awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$reps" 'BEGIN { printf "%.3f %.3f\n", (b - a) / n, c - b }' >"$out"
}

if [ "${1:-}" = __ns ]; then
	shift
	"$@"
	exit $?
fi

ensure_nft || { echo "nft (the oracle) is missing"; exit 1; }
have_nfkit || { echo "binary under test not found: $NFKIT"; exit 1; }

gen_set() {
	awk -v n="$1" 'BEGIN {
		print "table ip bench {"; print "\tset big {"; print "\t\ttype ipv4_addr"
		printf "\t\telements = {"
		for (i = 0; i < n; i++) {
			a = 167772160 + i
			printf "%s%s%d.%d.%d.%d", (i ? "," : ""), (i % 8 ? " " : "\n\t\t\t"),
				int(a / 16777216), int(a / 65536) % 256, int(a / 256) % 256, a % 256
		}
		print "\n\t\t}"; print "\t}"; print "}"
	}'
}

row() {
	name=$1 file=$2 reps=$3
	nsrun sh "$SELF" __ns ns_bench "$NFT" "$file" "$reps" "$TMP/nft"
	nsrun sh "$SELF" __ns ns_bench "$NFKIT" "$file" "$reps" "$TMP/nfkit"
	read -r nl nls <"$TMP/nft" || true
	read -r kl kls <"$TMP/nfkit" || true
	printf '%-22s %10s %10s %10s %10s\n' "$name" "$nl" "${kl:-fail}" "${nls:--}" "${kls:--}" | tee -a "$OUT/results.txt"
}

{
	echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) nfkit=$NFKIT $(nft --version)"
	printf '%-22s %10s %10s %10s %10s\n' "seconds" "nft -f" "nfkit -f" "nft list" "nfkit list"
} | tee -a "$OUT/results.txt"
row "firewall.nft (x$REPEAT)" examples/firewall.nft "$REPEAT"
for n in $SIZES; do
	gen_set "$n" >"$TMP/set.nft"
	row "set of $n" "$TMP/set.nft" 1
done
