#!/bin/sh
# Runs every test of nfkit and sums their `N passed, N failed` lines:
#   unit          $BUILD/tests/*            (no kernel)
#   ktests        $BUILD/ktests/*           each in its own `unshare -n`
#   kernel        tests/kernel/*.sh         each in its own `unshare -n`
#   conformance   $BUILD/conf-compile, $BUILD/conf-list on the shared corpus
#   example       $BUILD/examples/seed000   in a namespace, listed with nft
# Called by `make check` (BUILD=build) and `make check-asan` (BUILD=build-asan).
# Ends with one `N passed, N failed[, N skipped]` line; exits 1 on any failure.
#
# Environment: BUILD, NFKIT (binary under test, default $BUILD/nfkit),
# NFK_CORPUS (default ../shared/conformance/dev.jsonl from the repo root, else /work/shared/...),
# CONF_ARGS (extra runner arguments, e.g. "--min-pass 98"),
# NFKIT_STATIC, SCALE_NFKIT, SKIP (space-separated step names to skip, e.g.
# "scale"), ONLY (run only these steps), RUNALL_TIMEOUT (seconds per step).
# Each step's full output is kept in $BUILD/test-logs/.
. "$(dirname "$0")/lib.sh"

# Inside a namespace: run the seed 000 example, or load its ruleset with nft
# for the reference, then list.
ns_seed000() {
	out=$1
	shift
	bounded "$@" >"$out.log" 2>&1
	echo "rc=$?" >"$out.rc"
	"$NFT" list ruleset >"$out.ruleset" 2>&1
}

if [ "${1:-}" = __ns ]; then
	shift
	"$@"
	exit $?
fi

LOGS=$BUILD/test-logs
mkdir -p "$LOGS"
SHOW=${RUNALL_SHOW_LINES:-150}
TIMEOUT=${RUNALL_TIMEOUT:-1800}

S_PASS=0
S_FAIL=0
S_SKIP=0
TOLERATED=0
FAILED_STEPS=

wanted() {
	case " ${SKIP:-} " in *" $1 "*) return 1 ;; esac
	[ -z "${ONLY:-}" ] && return 0
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

step_skip() {
	echo "== $1: skipped: $2"
	S_SKIP=$((S_SKIP + 1))
}

step_fail() {
	S_FAIL=$((S_FAIL + ${2:-1}))
	FAILED_STEPS="$FAILED_STEPS $1"
}

# run_step NAME [--gate] CMD ARGS...: runs the command (with a timeout), shows
# its output, and adds its summary line to the totals.  A missing summary or
# a non-zero exit with no failure counted (a sanitizer report at exit, a
# crash, a timeout) counts as one failure.  --gate (conformance runners): the
# exit code is the verdict; the runner's mismatches count as failures only
# when it exits non-zero (it applies its own pass-rate threshold).
run_step() {
	name=$1
	shift
	gate=0
	if [ "$1" = --gate ]; then
		gate=1
		shift
	fi
	log=$LOGS/$(echo "$name" | tr '/ ' '__').log
	echo "== $name"
	t0=$(date +%s)
	timeout -k 10 "$TIMEOUT" "$@" >"$log" 2>&1
	rc=$?
	t1=$(date +%s)
	lines=$(wc -l <"$log" | tr -d ' ')
	if [ "$lines" -gt "$SHOW" ]; then
		head -n "$SHOW" "$log"
		echo "... ($lines lines; the whole output is in $log)"
		tail -n 3 "$log"
	else
		cat "$log"
	fi
	sum=$(grep -aE '^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1)
	if [ -z "$sum" ]; then
		echo "-- $name: no 'N passed, N failed' line (exit $rc): counted as 1 failure"
		step_fail "$name"
		return
	fi
	p=$(echo "$sum" | sed -E 's/^([A-Za-z0-9_-]+: )?([0-9]+) passed.*/\2/')
	f=$(echo "$sum" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	s=$(echo "$sum" | sed -E -n 's/.* ([0-9]+) skipped$/\1/p')
	# A gated runner is one check: its pass rate against its threshold.
	# Its record counts are a measurement, reported but not summed, so the
	# total neither hides its mismatches as passes nor drops them silently.
	if [ "$gate" = 1 ]; then
		TOLERATED=$((TOLERATED + f))
		echo "-- $name: records $p passed, $f failed; threshold check $([ "$rc" = 0 ] && echo passed || echo FAILED)"
		if [ "$rc" = 0 ]; then p=1 f=0; else p=0 f=1; fi
		s=0
	fi
	S_PASS=$((S_PASS + p))
	S_SKIP=$((S_SKIP + ${s:-0}))
	[ "$rc" = 124 ] && echo "-- $name: timed out after $TIMEOUT s"
	if [ "$f" -gt 0 ]; then
		step_fail "$name" "$f"
	elif [ "$rc" != 0 ]; then
		echo "-- $name: exit code $rc with no failure counted: counted as 1 failure"
		step_fail "$name"
	fi
	echo "-- $name: $sum ($((t1 - t0)) s)"
}

# --- the oracle ----------------------------------------------------------------
if ! ensure_nft; then
	echo "nft (the oracle) is missing and cannot be installed: run as root on Debian, or install nftables"
	echo "0 passed, 1 failed"
	exit 1
fi

# --- unit tests ----------------------------------------------------------------
if wanted unit; then
	found=0
	for t in "$BUILD"/tests/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		found=1
		run_step "unit/$(basename "$t")" "$t"
	done
	[ "$found" = 1 ] || step_skip unit "no unit test binary in $BUILD/tests"
fi

# --- kernel tests in C ---------------------------------------------------------
if wanted ktests; then
	for t in "$BUILD"/ktests/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		run_step "ktests/$(basename "$t")" $NSRUN "$t"
	done
fi

# --- kernel tests in sh --------------------------------------------------------
for t in tests/kernel/*.sh; do
	n=$(basename "$t" .sh)
	wanted "$n" || continue
	run_step "kernel/$n" $NSRUN sh "$t"
done

# --- conformance ---------------------------------------------------------------
# The corpus sits beside the repo in the workspace; a checkout elsewhere (a
# CI clone) finds it at the workspace's fixed place.
CORPUS=${NFK_CORPUS:-}
if [ -z "$CORPUS" ]; then
	for c in "$NFK_ROOT/../shared/conformance/dev.jsonl" /work/shared/conformance/dev.jsonl; do
		[ -f "$c" ] && { CORPUS=$c; break; }
	done
	CORPUS=${CORPUS:-$NFK_ROOT/../shared/conformance/dev.jsonl}
fi
if wanted conformance; then
	for r in conf-compile conf-list; do
		if [ ! -x "$BUILD/$r" ]; then
			step_skip "conformance/$r" "$BUILD/$r not built"
		elif [ ! -f "$CORPUS" ]; then
			step_skip "conformance/$r" "no corpus at $CORPUS (set NFK_CORPUS)"
		else
			# shellcheck disable=SC2086 # CONF_ARGS is a list of words
			# Regression floors (percent of records): raise them as the
			# compiler and decompiler grow; CONF_ARGS overrides.
			case $r in
			conf-compile) min=${CONF_MIN_COMPILE:-99} ;;
			conf-list) min=${CONF_MIN_LIST:-99} ;;
			esac
			run_step "conformance/$r" --gate $NSRUN "$BUILD/$r" "$CORPUS" ${CONF_ARGS:---min-pass $min}
		fi
	done
fi

# --- the seed 000 example ------------------------------------------------------
# The seed program builds `ip saddr @trusted_ips accept` from raw expressions,
# without the `meta nfproto ipv4` guard nft adds in an inet table, so nft
# lists the rule as `@nh,96,32 @trusted_ips accept`: text nft itself cannot
# load, hence an expected listing instead of a ruleset nft loads.
SEED000=${SEED000:-$BUILD/examples/seed000}
SEED000_EXPECTED=${SEED000_EXPECTED:-tests/data/seed000-prog.expected}
if wanted example; then
	echo "== example/seed000"
	if [ ! -x "${SEED000%% *}" ] && ! command -v "${SEED000%% *}" >/dev/null 2>&1; then
		step_skip example/seed000 "$SEED000 not built"
	else
		E=$TMP/seed000
		# shellcheck disable=SC2086 # SEED000 may be a command with arguments
		nsrun sh "$SELF" __ns ns_seed000 "$E.got" $SEED000
		echo rc=0 >"$E.ref.rc"
		check "seed000 exits 0" "$E.ref.rc" "$E.got.rc"
		check "seed000: nft list ruleset shows $SEED000_EXPECTED" "$SEED000_EXPECTED" "$E.got.ruleset"
		[ "$(cat "$E.got.rc")" = rc=0 ] || sed 's/^/	/' "$E.got.log"
		echo "-- example/seed000: $T_PASS passed, $T_FAIL failed"
		S_PASS=$((S_PASS + T_PASS))
		[ "$T_FAIL" = 0 ] || step_fail example/seed000 "$T_FAIL"
	fi
fi

echo
[ -z "$FAILED_STEPS" ] || echo "failed steps:$FAILED_STEPS (logs in $LOGS/)"
[ "$TOLERATED" = 0 ] || echo "conformance: $TOLERATED record mismatches in all (each runner counts as one threshold check)"
if [ "$S_SKIP" -gt 0 ]; then
	echo "$S_PASS passed, $S_FAIL failed, $S_SKIP skipped"
else
	echo "$S_PASS passed, $S_FAIL failed"
fi
[ "$S_FAIL" -eq 0 ]
