#!/bin/sh
# Runs every test of nfkit and sums their `N passed, N failed` lines:
#   unit          $BUILD/tests/*            (no kernel)
#   ktests        $BUILD/ktests/*           each in its own `unshare -n`
#   kernel        tests/kernel/*.sh         each in its own `unshare -n`
#   conformance   $BUILD/conf-compile, $BUILD/conf-list on the shared corpus,
#                 exact against tests/conformance/known-{compile,list}.txt
#   example       $BUILD/examples/seed000   in a namespace, listed with nft
# Called by `make check` (BUILD=build) and `make check-asan` (BUILD=build-asan).
# Ends with one `N passed, N failed[, N skipped]` line; exits 1 on any failure.
# A step that compares nothing (0 passed and 0 failed, or no summary line)
# fails.  A missing test binary, runner or corpus is a skipped step, with its
# reason; with CI=true (CI sets it) it is a failed step.
#
# Environment: BUILD, NFKIT (binary under test, default $BUILD/nfkit),
# NFK_CORPUS (default ../shared/conformance/dev.jsonl from the repo root, else /work/shared/...),
# CONF_KNOWN_COMPILE, CONF_KNOWN_LIST (the runners' known-failure lists, for
# another corpus file), CONF_ARGS (extra runner arguments, e.g. "-v"),
# NFKIT_STATIC, SCALE_NFKIT, SKIP (space-separated step names to skip, e.g.
# "scale"), ONLY (run only these steps), RUNALL_TIMEOUT (seconds per step), CI.
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

# step_missing NAME REASON: a piece the step needs is not there (a test
# binary not built, no corpus).  Skipped with its reason; under CI=true,
# where everything is built and installed, a failure.
step_missing() {
	if [ "${CI:-}" = true ]; then
		echo "== $1: FAILED: $2 (CI=true: nothing may be missing)"
		step_fail "$1"
	else
		step_skip "$1" "$2"
	fi
}

# run_step NAME CMD ARGS...: runs the command (with a timeout), shows its
# output, and adds its summary line to the totals.  A missing summary, a
# summary with nothing compared (0 passed, 0 failed), or a non-zero exit
# with no failure counted (a sanitizer report at exit, a crash, a timeout)
# counts as one failure.
run_step() {
	name=$1
	shift
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
	S_PASS=$((S_PASS + p))
	S_SKIP=$((S_SKIP + ${s:-0}))
	[ "$rc" = 124 ] && echo "-- $name: timed out after $TIMEOUT s"
	if [ "$f" -gt 0 ]; then
		step_fail "$name" "$f"
	elif [ "$p" = 0 ]; then
		echo "-- $name: compared nothing (0 passed, 0 failed): counted as 1 failure"
		step_fail "$name"
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
# One binary per source file: a test that was not built is missing, not absent.
if wanted unit; then
	for src in tests/unit/*.c; do
		[ -f "$src" ] || continue
		t=$BUILD/tests/$(basename "$src" .c)
		if [ -f "$t" ] && [ -x "$t" ]; then
			run_step "unit/$(basename "$t")" "$t"
		else
			step_missing "unit/$(basename "$t")" "$t not built (make testbins)"
		fi
	done
fi

# --- kernel tests in C ---------------------------------------------------------
if wanted ktests; then
	for src in tests/kernel/*.c; do
		[ -f "$src" ] || continue
		t=$BUILD/ktests/$(basename "$src" .c)
		if [ -f "$t" ] && [ -x "$t" ]; then
			run_step "ktests/$(basename "$t")" $NSRUN "$t"
		else
			step_missing "ktests/$(basename "$t")" "$t not built (make testbins)"
		fi
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
# Each runner is exact against its list of known failures (record id and
# reason): a failure not listed, or a listed record that passes, fails it.
# Its records count in the total as they are: passes, failures, and skips
# (known failures, and records this kernel cannot load, each with a reason).
if wanted conformance; then
	for r in conf-compile conf-list; do
		case $r in
		conf-compile) known=${CONF_KNOWN_COMPILE:-tests/conformance/known-compile.txt} ;;
		conf-list) known=${CONF_KNOWN_LIST:-tests/conformance/known-list.txt} ;;
		esac
		if [ ! -x "$BUILD/$r" ]; then
			step_missing "conformance/$r" "$BUILD/$r not built (make testbins)"
		elif [ ! -f "$CORPUS" ]; then
			step_missing "conformance/$r" "no corpus at $CORPUS (set NFK_CORPUS)"
		else
			# shellcheck disable=SC2086 # CONF_ARGS is a list of words
			run_step "conformance/$r" $NSRUN "$BUILD/$r" "$CORPUS" --known "$known" ${CONF_ARGS:-}
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
		step_missing example/seed000 "$SEED000 not built"
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
if [ "$S_PASS" = 0 ] && [ "$S_FAIL" = 0 ]; then
	echo "nothing was compared: counted as 1 failure"
	S_FAIL=1
fi
if [ "$S_SKIP" -gt 0 ]; then
	echo "$S_PASS passed, $S_FAIL failed, $S_SKIP skipped"
else
	echo "$S_PASS passed, $S_FAIL failed"
fi
[ "$S_FAIL" -eq 0 ]
