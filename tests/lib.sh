# Shared helpers for the shell tests (sourced, POSIX sh + a few GNU tools).
#
# nft is the oracle: every test runs the same input through the real nft and
# through the binary under test ($NFKIT), each in a throwaway network
# namespace, and compares what comes out.  With NFKIT=nft every test must
# pass, which is how the harness itself is checked.
#
# Nothing here ever talks to nf_tables outside a fresh network namespace:
# every kernel-facing command goes through nsrun.

PATH=$PATH:/usr/sbin:/sbin
export PATH LC_ALL=C

# This script, by absolute path, so it can call itself inside a namespace.
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

# Repository root: tests/.. (works when sourced from tests/ or tests/kernel/).
if [ -z "${NFK_ROOT:-}" ]; then
	NFK_ROOT=$(cd "$(dirname "$0")" && while [ ! -f tests/lib.sh ] && [ "$PWD" != / ]; do cd ..; done; pwd)
fi
cd "$NFK_ROOT" || exit 2

BUILD=${BUILD:-build}
NFKIT_GIVEN=${NFKIT:+1}
NFKIT=${NFKIT:-$BUILD/nfkit}
# The oracle.  Overridable only to test the harness against a broken oracle.
NFT=${NFT:-nft}
VERBOSE=${VERBOSE:-0}

# A relative binary path must keep working after `cd` and inside sh -c.
case $NFKIT in
/*) ;;
*/*) NFKIT=$NFK_ROOT/$NFKIT ;;
esac

# The fully static build runs the round trips too: $NFKIT_STATIC, or
# build-static/nfkit when it exists and NFKIT was not chosen by hand.
if [ -z "${NFKIT_STATIC:-}" ] && [ -z "$NFKIT_GIVEN" ] && [ -x build-static/nfkit ]; then
	NFKIT_STATIC=build-static/nfkit
fi
case ${NFKIT_STATIC:-} in
'' | /*) ;;
*/*) NFKIT_STATIC=$NFK_ROOT/$NFKIT_STATIC ;;
esac
# The binaries the round trips run: the one under test, then the static one.
NFKIT_BINS=$NFKIT${NFKIT_STATIC:+ $NFKIT_STATIC}
export NFK_ROOT BUILD NFKIT NFKIT_STATIC NFT

T_PASS=0
T_FAIL=0
T_SKIP=0

TMP=$(mktemp -d "${TMPDIR:-/tmp}/nfkit-test.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

pass() {
	T_PASS=$((T_PASS + 1))
	[ "$VERBOSE" = 0 ] || echo "ok - $*"
}

fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL - $*"
}

skip() {
	T_SKIP=$((T_SKIP + 1))
	echo "skip - $*"
}

# skip_missing REASON: a check cannot run because something is missing (not
# built, not installed).  Skipped with the reason; under CI=true, where
# everything is built and installed, a failure.
skip_missing() {
	if [ "${CI:-}" = true ]; then
		fail "$* (CI=true: nothing may be missing)"
	else
		skip "$*"
	fi
}

# check NAME EXPECTED_FILE GOT_FILE: pass when the files are byte-identical,
# otherwise fail and show the start of a unified diff (expected vs got).
check() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1"
		diff -u "$2" "$3" | head -n "${DIFF_LINES:-40}" | sed 's/^/	/'
	fi
}

# check_eq NAME EXPECTED GOT: the same for two short strings.
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# Ends the test: prints the summary line and exits non-zero on failure.
summary() {
	if [ "$T_SKIP" -gt 0 ]; then
		echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	else
		echo "$T_PASS passed, $T_FAIL failed"
	fi
	[ "$T_FAIL" -eq 0 ]
	exit $?
}

# nsrun CMD ARGS...: runs CMD in a fresh network namespace (a user namespace
# too when we are not root).  Nested namespaces work, so this is safe inside
# the namespace run-all.sh already puts each script in.
if [ "$(id -u)" = 0 ]; then
	NSRUN="unshare -n"
else
	NSRUN="unshare -rn"
fi
nsrun() {
	$NSRUN "$@"
}

# nssh SCRIPT ARGS...: runs a sh script in a fresh network namespace, with
# NFT, NFKIT and the arguments available to it.
nssh() {
	_script=$1
	shift
	NFT=$NFT NFKIT=$NFKIT nsrun sh -c "$_script" sh "$@"
}

# Installs the oracle when it is missing and we may (root, Debian).
ensure_nft() {
	command -v "$NFT" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "installing nftables (the oracle) with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nftables >/dev/null
	fi
	command -v "$NFT" >/dev/null 2>&1
}

# A script runs its own functions inside a namespace as
# `nsrun sh "$SELF" __ns FUNC ARGS...`: called with the script's arguments
# once its functions are defined, this runs FUNC and exits.
ns_entry() {
	if [ "${1:-}" = __ns ]; then
		shift
		"$@"
		exit $?
	fi
}

# ns_around BASE OUT PROG ARGS... (inside a namespace): loads BASE with nft,
# then runs PROG; OUT.before and OUT.after hold the ruleset around the run,
# OUT.stdout, OUT.stderr and OUT.rc what it printed and returned.
ns_around() {
	_base=$1 _out=$2
	shift 2
	"$NFT" -f "$_base" || exit 1
	"$NFT" list ruleset >"$_out.before"
	bounded "$@" >"$_out.stdout" 2>"$_out.stderr"
	echo "rc=$?" >"$_out.rc"
	"$NFT" list ruleset >"$_out.after"
}

# Ends the script as one failed check when it cannot compare anything:
# the oracle or the binary under test is missing.
need_oracle_and_nfkit() {
	ensure_nft || { echo "nft (the oracle) is missing"; echo "0 passed, 1 failed"; exit 1; }
	if ! have_nfkit; then
		echo "binary under test not found: $NFKIT"
		echo "0 passed, 1 failed"
		exit 1
	fi
}

# Whether the binary under test is there (a path, or a command on PATH).
have_nfkit() {
	[ -x "$NFKIT" ] || command -v "$NFKIT" >/dev/null 2>&1
}

# Every run of a binary under test (and of nft, alike) is bounded, so a hang
# becomes a failed check (exit code 124) instead of a stuck test run.
CMD_TIMEOUT=${CMD_TIMEOUT:-120}
bounded() {
	timeout -k 5 "$CMD_TIMEOUT" "$@"
}

# Makes "# new generation 3 by process 1234 (nft)" (nft -e) comparable.
norm_echo() {
	sed 's/^\(# new generation [0-9]*\) by process [0-9]* (.*)$/\1 by process PID/'
}

# Diagnostics may carry the program name; nft's is the reference.
norm_prog() {
	sed 's/^nfkit: /nft: /'
}
