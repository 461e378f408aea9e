#!/bin/sh
# Runs every built fuzz target: first its reproducers in fuzz/regress/TARGET
# (each must run clean), then libFuzzer for SECONDS on its committed seed
# corpus (fuzz/corpus/NAME, NAME being the target without "fuzz_"), plus the
# generated seeds in $FUZZ_BUILD/seeds/NAME when they exist.  New inputs go
# to $FUZZ_BUILD/fuzz/work-NAME (kept between runs), findings to
# $FUZZ_BUILD/fuzz/artifacts/TARGET/.  A target passes when its reproducers
# and its timed run are clean; the last line is "N passed, N failed".
#
#   sh fuzz/run.sh FUZZ_BUILD SECONDS
#
# FUZZ_ARGS adds libFuzzer options to every run (e.g. -jobs=4 -workers=4).
set -u
build=${1:?usage: run.sh FUZZ_BUILD SECONDS}
seconds=${2:?usage: run.sh FUZZ_BUILD SECONDS}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pass=0
fail=0
failed=
for bin in "$build"/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	t=$(basename "$bin")
	name=${t#fuzz_}
	case $name in
	parse) opts="-dict=fuzz/nft.dict -max_len=65536" ;;
	netlink) opts="-max_len=16384" ;;
	*) opts= ;;
	esac
	art=$build/fuzz/artifacts/$t
	work=$build/fuzz/work-$name
	log=$build/fuzz/$t.log
	mkdir -p "$art" "$work" "fuzz/corpus/$name"
	ok=1

	# the reproducers of fixed findings: each one alone, so every one counts
	n=0
	for r in fuzz/regress/"$t"/*; do
		[ -f "$r" ] || continue
		n=$((n + 1))
		if ! "$bin" $opts -runs=1 "$r" >"$log" 2>&1; then
			echo "FAIL $t: reproducer $r"
			grep -E 'ERROR|runtime error|SUMMARY' "$log" | head -5
			ok=0
		fi
	done
	echo "== $t: $n reproducers replayed"

	seeds=
	[ -d "$build/seeds/$name" ] && seeds=$build/seeds/$name
	echo "== $t: fuzzing for $seconds s (corpus fuzz/corpus/$name${seeds:+ $seeds}, log $log)"
	# shellcheck disable=SC2086
	"$bin" $opts -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 \
		-print_final_stats=1 -artifact_prefix="$art/" ${FUZZ_ARGS:-} \
		"$work" "fuzz/corpus/$name" $seeds >"$log" 2>&1
	rc=$?
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" |
		sed 's/^/   /'
	if [ $rc -ne 0 ]; then
		echo "FAIL $t: libFuzzer exited with $rc; findings in $art/"
		grep -E -A12 'ERROR: |runtime error|SUMMARY|Test unit written' "$log" | head -40
		ok=0
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "PASS $t"
	else
		fail=$((fail + 1))
		failed="$failed $t"
	fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
