#!/bin/sh
# nfkit against nft, side by side in one run (the "Scale" benchmark).
#
#   (a) load N_HASH random ipv4 elements into a hash set
#   (b) load N_INTERVAL distinct, non-adjacent /24 prefixes into an interval set
#   (c) load N_RULES rules `ip saddr X/24 tcp dport N counter accept`
#   (d) list each of them
#   (e) add, (f) get, (g) delete one element of the interval set
#
# Every tool gets a fresh `unshare -n` namespace per workload family and the
# same generated files.  bench/rusage.c (built here with cc) measures wall
# time, user CPU and peak RSS of the tool process alone.  Each result is
# checked: listings are compared with the input as sorted elements (rules as
# sorted rule text), (e)-(g) by asking nft afterwards.  The table goes to
# stdout and bench/out/results.txt.
#
# Exits 0 even when acceptance targets are missed, 1 when a tool errored or
# a result is wrong.  BENCH_REPEAT=N runs everything N times and reports
# medians (the small timings are noisy on a busy machine).  BENCH_FAMILIES
# picks workload families (default "hash interval rules").  Quick run:
#   BENCH_N_HASH=100000 BENCH_N_INTERVAL=20000 BENCH_N_RULES=1000 sh bench/run.sh
set -u
PATH=$PATH:/usr/sbin:/sbin
LC_ALL=C
export PATH LC_ALL

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
SELF=$ROOT/bench/run.sh
OUT=$ROOT/bench/out
W=$OUT/work
RUSAGE=$OUT/rusage
NFT=${NFT:-nft}
NFKIT=${NFKIT:-$ROOT/build/nfkit}
TIMEOUT=${BENCH_TIMEOUT:-600}
N_HASH=${BENCH_N_HASH:-1000000}
N_INTERVAL=${BENCH_N_INTERVAL:-200000}
N_RULES=${BENCH_N_RULES:-10000}
SEED=${BENCH_SEED:-20240601}
REPEAT=${BENCH_REPEAT:-1}
FAMILIES=${BENCH_FAMILIES:-hash interval rules}
case $NFKIT in /*) ;; *) NFKIT=$PWD/$NFKIT ;; esac
export W RUSAGE NFT TIMEOUT

# ---- inside a namespace -------------------------------------------------

# measure KEY CMD...: runs CMD under rusage, stdout to $W/$TOOL.KEY.out,
# stderr to $W/$TOOL.KEY.err; appends "KEY WALL USER RSS RC SYS" to $RES.
measure() {
	_k=$1
	shift
	"$RUSAGE" "$W/$TOOL.$_k.ru" "$TIMEOUT" "$@" >"$W/$TOOL.$_k.out" 2>"$W/$TOOL.$_k.err"
	read -r _wall _user _rss RC _sys <"$W/$TOOL.$_k.ru"
	echo "$_k $_wall $_user $_rss $RC $_sys" >>"$RES"
}

# verdict KEY RC OK: appends the correctness of KEY to $RES.
verdict() {
	if [ "$2" = 124 ]; then
		_v=TIMEOUT
	elif [ "$2" != 0 ]; then
		_v=ERROR
	elif [ "$3" = 1 ]; then
		_v=PASS
	else
		_v=WRONG
	fi
	echo "$1 = $_v" >>"$RES"
}

# The elements of every `elements = { ... }` in a listing, one a line, sorted.
norm_set() {
	awk '/elements = \{/ { on = 1; sub(/.*elements = \{/, "") }
		on { e = index($0, "}"); if (e) { $0 = substr($0, 1, e - 1); on = 0 }
		     n = split($0, f, ","); for (i = 1; i <= n; i++) { gsub(/[ \t{}]/, "", f[i]); if (f[i] != "") print f[i] } }' | sort
}

# The rules of a listing without their counter values, sorted.
norm_rules() {
	sed -n 's/^[[:space:]]*\(ip saddr .*\)$/\1/p' | sed 's/ packets [0-9]* bytes [0-9]*//' | sort
}

# listed_ok PROG NORM WANT FILE: whether FILE (a listing by PROG) holds
# exactly WANT.  Right after a big insert the kernel may still be resizing
# its hash table and a dump can repeat or miss elements, so a mismatch is
# retried twice with fresh listings.
listed_ok() {
	_f=$4
	for _try in 1 2 3; do
		if $2 <"$_f" | cmp -s - "$3"; then
			[ "$_try" = 1 ] || echo "note: $TOOL listing matched on try $_try" >&2
			return 0
		fi
		[ "$_try" = 3 ] && break
		sleep 2
		_f=$W/$TOOL.retry
		timeout "$TIMEOUT" "$1" list ruleset >"$_f" 2>/dev/null || return 1
	done
	return 1
}

# load_list LOADKEY LISTKEY FILE NORM WANT: load FILE with the tool, list
# with the tool.  When the listing is wrong, nft tells whether the load or
# the listing was at fault; a bad load is redone with nft so the listing
# (and what follows) is still measured on the right state.
load_list() {
	measure "$1" "$PROG" -f "$3"
	lrc=$RC
	sleep 1
	measure "$2" "$PROG" list ruleset
	src=$RC
	if [ "$src" = 0 ] && listed_ok "$PROG" "$4" "$5" "$W/$TOOL.$2.out"; then
		verdict "$1" "$lrc" 1
		verdict "$2" 0 1
		return
	fi
	if [ "$PROG" = "$NFT" ]; then
		verdict "$1" "$lrc" 0
		verdict "$2" "$src" 0
		return
	fi
	timeout "$TIMEOUT" "$NFT" list ruleset >"$W/$TOOL.check" 2>&1
	if listed_ok "$NFT" "$4" "$5" "$W/$TOOL.check"; then
		verdict "$1" "$lrc" 1
		verdict "$2" "$src" 0
		return
	fi
	verdict "$1" "$lrc" 0
	{ "$NFT" flush ruleset && "$NFT" -f "$3"; } >"$W/$TOOL.setup.err" 2>&1 ||
		echo "setup failed: nft -f $3" >&2
	sleep 1
	sed -i "/^$2 /d" "$RES"
	measure "$2" "$PROG" list ruleset
	ok=0
	[ "$RC" = 0 ] && listed_ok "$PROG" "$4" "$5" "$W/$TOOL.$2.out" && ok=1
	verdict "$2" "$RC" "$ok"
}

# nft_has ELEMENT: whether nft finds ELEMENT in the interval set.
nft_has() {
	timeout "$TIMEOUT" "$NFT" get element ip t s "{ $1 }" >/dev/null 2>&1
}

fam_hash() {
	load_list a d_hash "$W/hash.nft" norm_set "$W/hash.want"
}

fam_rules() {
	load_list c d_rules "$W/rules.nft" norm_rules "$W/rules.want"
}

fam_interval() {
	load_list b d_interval "$W/interval.nft" norm_set "$W/interval.want"
	read -r add get del <"$W/interval.pick"

	# (e)-(g) run back to back and nft checks them afterwards: an nft check
	# dumps the whole set (a 260 MB process at 200k), and run between the
	# measurements it would evict the kernel's set from the CPU caches that
	# the next commit walks.  Both tools get the same order.  (b)'s listing
	# already showed the set holds get and del and not add.
	measure e "$PROG" add element ip t s "{ $add }"
	erc=$RC
	measure f "$PROG" get element ip t s "{ $get }"
	frc=$RC
	measure g "$PROG" delete element ip t s "{ $del }"
	grc=$RC

	ok=0
	nft_has "$add" && ok=1
	verdict e "$erc" "$ok"
	ok=0
	grep -qF "$get" "$W/$TOOL.f.out" && nft_has "$get" && ok=1
	verdict f "$frc" "$ok"
	ok=0
	! nft_has "$del" && ok=1
	verdict g "$grc" "$ok"
}

if [ "${1:-}" = __ns ]; then
	# __ns FAMILY TOOL PROG REP
	TOOL=$3 PROG=$4 RES=$W/res.$3.$2.$5
	: >"$RES"
	"fam_$2"
	exit 0
fi

# ---- setup ---------------------------------------------------------------

command -v "$NFT" >/dev/null 2>&1 || { echo "bench: nft (the reference) is missing" >&2; exit 2; }
[ -x "$NFKIT" ] || { echo "bench: $NFKIT not found (run make)" >&2; exit 2; }
mkdir -p "$W" || exit 2
rm -f "$W"/*
# A private copy: other work may relink build/nfkit while the bench runs.
cp "$NFKIT" "$W/nfkit" || exit 2
NFKIT_BIN=$NFKIT
NFKIT=$W/nfkit
${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -o "$RUSAGE" "$ROOT/bench/rusage.c" || exit 2

echo "generating: $N_HASH hash elements, $N_INTERVAL /24 prefixes, $N_RULES rules (seed $SEED)"
# Park-Miller with a fixed seed instead of srand(): the same files from mawk,
# gawk and busybox awk, and exact in doubles.
awk -v n="$N_HASH" -v ni="$N_INTERVAL" -v nr="$N_RULES" -v seed="$SEED" -v w="$W" '
	function rnd() { seed = (seed * 16807) % 2147483647; return seed }
	function r32() { return (rnd() % 65536) * 65536 + rnd() % 65536 }
	function ip(a) { return int(a / 16777216) "." int(a / 65536) % 256 "." int(a / 256) % 256 "." a % 256 }
	function emit(f, i, e) { printf "%s%s%s", (i ? "," : ""), (i % 16 ? " " : "\n\t\t\t"), e > f }
	BEGIN {
		f = w "/hash.nft"
		printf "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = {" > f
		for (i = 0; i < n; ) {
			a = r32()
			if (a in seen) continue
			seen[a]; e = ip(a); emit(f, i++, e); print e > (w "/hash.unsorted")
		}
		print "\n\t\t}\n\t}\n}" > f
		close(f); close(w "/hash.unsorted"); delete seen

		# Even /24 indexes only: no two prefixes touch, and an odd one
		# is free for the element (e) adds.
		f = w "/interval.nft"
		printf "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = {" > f
		for (i = 0; i < ni; ) {
			k = 2 * (rnd() % 8388608)
			if (k in seen) continue
			seen[k]; e = ip(k * 256) "/24"; emit(f, i++, e); print e > (w "/interval.unsorted")
			if (i == 1) get = e
			if (i == 2) del = e
		}
		print "\n\t\t}\n\t}\n}" > f
		do k = 2 * (rnd() % 8388608) + 1; while (k in seen)
		print ip(k * 256 + 128), get, del > (w "/interval.pick")

		f = w "/rules.nft"
		print "table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;" > f
		for (i = 0; i < nr; i++) {
			r = "ip saddr " ip((rnd() % 16777216) * 256) "/24 tcp dport " 1 + rnd() % 65535 " counter accept"
			print "\t\t" r > f; print r > (w "/rules.want")
		}
		print "\t}\n}" > f
	}' || exit 2
sort "$W/hash.unsorted" >"$W/hash.want" && sort "$W/interval.unsorted" >"$W/interval.want" &&
	sort -o "$W/rules.want" "$W/rules.want" && rm -f "$W"/*.unsorted || exit 2

# ---- run -------------------------------------------------------------------

for fam in $FAMILIES; do
	rep=0
	while [ "$rep" -lt "$REPEAT" ]; do
		rep=$((rep + 1))
		for tool in nft nfkit; do
			[ "$tool" = nft ] && prog=$NFT || prog=$NFKIT
			echo "running: $fam with $tool ($rep/$REPEAT)"
			unshare -n sh "$SELF" __ns "$fam" "$tool" "$prog" "$rep"
		done
	done
done

# ---- report ----------------------------------------------------------------

# get TOOL KEY FIELD: the median over the repetitions of a measurement
# (2 wall, 3 user, 4 rss KB, 6 sys), or the worst verdict (=).
get() {
	cat "$W"/res."$1".* 2>/dev/null | awk -v k="$2" -v f="$3" '
		f == "=" && $1 == k && $2 == "=" { if (v == "" || v == "PASS") v = $3 }
		f != "=" && $1 == k && $2 != "=" { x[++n] = $f + 0 }
		END {
			if (f == "=") { print v; exit }
			if (!n) exit
			for (i = 2; i <= n; i++) for (j = i; j > 1 && x[j - 1] > x[j]; j--) { t = x[j]; x[j] = x[j - 1]; x[j - 1] = t }
			print (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
		}'
}

# row LABEL KEY TARGETS: three lines (nft, nfkit, ratio).  TARGETS is
# "metric:limit ...", metric user or rss (ratio) or wall (nfkit seconds).
row() {
	for t in nft nfkit; do
		echo "$1|$t|$(get $t "$2" 2)|$(get $t "$2" 3)|$(get $t "$2" 4)|$(get $t "$2" =)||$(get $t "$2" 6)"
	done
	echo "$1|nfkit/nft|$(get nft "$2" 2) $(get nfkit "$2" 2)|$(get nft "$2" 3) $(get nfkit "$2" 3)|$(get nft "$2" 4) $(get nfkit "$2" 4)|$(get nfkit "$2" =)|$3|$(get nft "$2" 6) $(get nfkit "$2" 6)"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a + 0 == 0) print "-"; else printf "%.3f", b / a }'
}

# target METRIC LIMIT NFT NFKIT NFKIT_VERDICT: "metric<=limit PASS|FAIL".
target() {
	awk -v m="$1" -v l="$2" -v a="$3" -v b="$4" -v v="$5" 'BEGIN {
		split(l, q, "/"); lim = (2 in q) ? q[1] / q[2] : l + 0
		if (m == "wall") { x = b; name = "nfkit wall<=" lim * 1000 "ms" }
		else { x = (a + 0 > 0) ? b / a : -1; name = m "<=" l }
		ok = v == "PASS" && b != "" && x >= 0 && x <= lim
		printf "%s %s", name, ok ? "PASS" : "FAIL" }'
}

table() {
	echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -r), $(nproc) cpus, $("$NFT" --version), $NFKIT_BIN"
	echo "# sizes: hash $N_HASH, interval $N_INTERVAL, rules $N_RULES; seed $SEED; median of $REPEAT run(s)"
	echo "# sys s: CPU time in the kernel on the tool's behalf (for (e)-(g) mostly the"
	echo "# commit itself); it is not part of any target"
	printf '%-30s %-9s %9s %9s %9s %11s  %-7s %s\n' workload tool "wall s" "user s" "sys s" "peak RSS MB" correct "acceptance target"
	{
		row "(a) load hash $N_HASH" a "user:1/5 rss:1/5"
		row "(b) load interval $N_INTERVAL" b ""
		row "(c) load rules $N_RULES" c "user:1/3"
		row "(d) list hash" d_hash "user:1/5 rss:1/10"
		row "(d) list interval" d_interval ""
		row "(d) list rules" d_rules ""
		row "(e) add element" e "wall:0.050"
		row "(f) get element" f "wall:0.020"
		row "(g) delete element" g "wall:0.050"
	} | while IFS='|' read -r label tool wall user rss v targets sys; do
		if [ "$tool" = nfkit/nft ]; then
			set -- $wall; rw=$(ratio "${1:-}" "${2:-}")
			set -- $user; ru=$(ratio "${1:-}" "${2:-}"); un=${1:-} uk=${2:-}
			set -- $rss; rr=$(ratio "${1:-}" "${2:-}"); mn=${1:-} mk=${2:-}
			set -- $sys; rs=$(ratio "${1:-}" "${2:-}")
			set -- $wall; wk=${2:-}
			tg=
			for t in $targets; do
				case $t in
				user:*) r=$(target user "${t#*:}" "$un" "$uk" "$v") ;;
				rss:*) r=$(target rss "${t#*:}" "$mn" "$mk" "$v") ;;
				wall:*) r=$(target wall "${t#*:}" "" "$wk" "$v") ;;
				esac
				tg="$tg${tg:+, }$r"
			done
			printf '%-30s %-9s %9s %9s %9s %11s  %-7s %s\n' "" nfkit/nft "$rw" "$ru" "$rs" "$rr" "" "$tg"
		else
			[ -n "$rss" ] && rss=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
			[ -n "$wall" ] && wall=$(printf '%.3f' "$wall") && user=$(printf '%.3f' "$user")
			[ -n "$sys" ] && sys=$(printf '%.3f' "$sys")
			printf '%-30s %-9s %9s %9s %9s %11s  %-7s\n' "$label" "$tool" "${wall:--}" "${user:--}" "${sys:--}" "${rss:--}" "${v:-MISSING}"
		fi
	done
}

table >"$OUT/results.txt"
cat "$OUT/results.txt"

# Why a tool failed: the first lines of its stderr.
bad=0 seen=
for f in "$W"/res.*; do
	tool=${f#"$W"/res.}
	tool=${tool%%.*}
	while read -r k eq v; do
		[ "$eq" = = ] && [ "$v" != PASS ] || continue
		bad=1
		case " $seen " in *" $tool.$k "*) continue ;; esac
		seen="$seen $tool.$k"
		echo "$tool $k: $v" | tee -a "$OUT/results.txt"
		if [ -s "$W/$tool.$k.err" ]; then
			head -n 3 "$W/$tool.$k.err"
		elif [ -s "$W/$tool.$k.out" ]; then
			echo "output:"; head -n 3 "$W/$tool.$k.out"
		else
			echo "no output"
		fi | sed 's/^/    /' | tee -a "$OUT/results.txt"
	done <"$f"
done
[ "$bad" = 0 ] || echo "some results are wrong or a tool failed (see above)"
exit "$bad"
