#!/bin/sh
# Bounded inputs (docs/bounds.md): the inputs at and past every limit where
# nft 1.0.6 itself misbehaves (crashes, asserts, wraps a value silently, or
# prints a poor message) or which need nft's behaviour on an equivalent
# input as the reference.
#
# tests/data/bounds/NAME.nft says on its first line what nfkit must do with
# it (each run in a fresh namespace on top of tests/data/seed000-base.nft,
# from that directory, so messages name the file as NAME.nft):
#   # bounds: error        exit 1, stderr exactly NAME.expect (nft 1.0.6
#                          crashes, asserts, wraps the value silently or
#                          prints a poor message there: NAME.expect is the
#                          answer docs/bounds.md proposes), stdout empty,
#                          ruleset unchanged;
#   # bounds: same         what nft does: exit code, stdout, stderr, the
#                          ruleset after -f, -c --debug=netlink output, and
#                          (unless "nolist" follows) nfkit's listing of what
#                          nft loaded equals nft's;
#   # bounds: same-as REF  nft aborts on NAME.nft: nfkit on it must give the
#                          exit code, ruleset and -c --debug=netlink output
#                          nft gives on REF (the equivalent flat input).
# Sets nft cannot create (raw messages) are the ktest keytype.c.  Under
# check-asan (BUILD=build-asan) every case runs the sanitized binary.
#
#   sh tests/kernel/bounds.sh [tests/data/bounds/NAME.nft ...]
#   NFKIT=nft sh tests/kernel/bounds.sh        the harness: "error" cases fail
. "$(dirname "$0")/../lib.sh"

BASE=$NFK_ROOT/tests/data/seed000-base.nft
CASES=$NFK_ROOT/tests/data/bounds

# Inside a namespace: base, then PROG ARGS... run from the cases directory.
ns_run() {
	cd "$CASES" || exit 1
	ns_around "$BASE" "$@"
}

# Inside a namespace: PROG -c --debug=netlink -f FILE (stdout and stderr).
ns_debug() {
	_out=$1
	shift
	cd "$CASES" || exit 1
	"$NFT" -f "$BASE" || exit 1
	bounded "$@" >"$_out" 2>&1
	echo "rc=$?" >>"$_out"
}

# Inside a namespace: nft -f FILE, then LISTER list ruleset.
ns_list() {
	_out=$1 _lister=$2 _file=$3
	cd "$CASES" || exit 1
	"$NFT" -f "$BASE" || exit 1
	"$NFT" -f "$_file" >/dev/null 2>&1 || { echo "nft could not load $_file" >"$_out"; exit 0; }
	bounded "$_lister" list ruleset >"$_out" 2>&1
	echo "rc=$?" >>"$_out"
}

ns_entry "$@"

need_oracle_and_nfkit

n=0
case_error() {
	name=$1
	D=$TMP/$n
	nsrun sh "$SELF" __ns ns_run "$D/got" "$NFKIT" -f "$name.nft"
	norm_prog <"$D/got.stderr" >"$D/got.stderr.n"
	echo rc=1 >"$D/want.rc"
	: >"$D/empty"
	check "$name: exit code" "$D/want.rc" "$D/got.rc"
	check "$name: stderr (proposed)" "$CASES/$name.expect" "$D/got.stderr.n"
	check "$name: stdout" "$D/empty" "$D/got.stdout"
	check "$name: ruleset unchanged" "$D/got.before" "$D/got.after"
}

case_same() {
	name=$1 ref=$2 nolist=$3
	D=$TMP/$n
	nsrun sh "$SELF" __ns ns_run "$D/ref" "$NFT" -f "$ref.nft"
	nsrun sh "$SELF" __ns ns_run "$D/got" "$NFKIT" -f "$name.nft"
	norm_prog <"$D/got.stderr" >"$D/got.stderr.n"
	check "$name: exit code" "$D/ref.rc" "$D/got.rc"
	check "$name: ruleset after -f" "$D/ref.after" "$D/got.after"
	if [ "$ref" = "$name" ]; then
		check "$name: stderr" "$D/ref.stderr" "$D/got.stderr.n"
		check "$name: stdout" "$D/ref.stdout" "$D/got.stdout"
	fi
	nsrun sh "$SELF" __ns ns_debug "$D/ref.debug" "$NFT" -c --debug=netlink -f "$ref.nft"
	nsrun sh "$SELF" __ns ns_debug "$D/got.debug" "$NFKIT" -c --debug=netlink -f "$name.nft"
	norm_prog <"$D/got.debug" >"$D/got.debug.n"
	check "$name: -c --debug=netlink" "$D/ref.debug" "$D/got.debug.n"
	if [ "$ref" = "$name" ] && [ -z "$nolist" ]; then
		nsrun sh "$SELF" __ns ns_list "$D/ref.list" "$NFT" "$name.nft"
		nsrun sh "$SELF" __ns ns_list "$D/got.list" "$NFKIT" "$name.nft"
		check "$name: listing of what nft loaded" "$D/ref.list" "$D/got.list"
	fi
}

[ $# -gt 0 ] || set -- "$CASES"/*.nft
for F in "$@"; do
	name=$(basename "$F" .nft)
	case $name in *.ref) continue ;; esac
	n=$((n + 1))
	mkdir -p "$TMP/$n"
	# shellcheck disable=SC2046 # the header's words
	set -- $(sed -n '1s/^# bounds: //p' "$CASES/$name.nft")
	case ${1:-} in
	error) case_error "$name" ;;
	same) case_same "$name" "$name" "${2:-}" ;;
	same-as) case_same "$name" "$(basename "$2" .nft)" "" ;;
	*) fail "$name: no '# bounds:' header" ;;
	esac
done

summary
