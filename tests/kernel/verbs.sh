#!/bin/sh
# The command line verbs, as words: every line of tests/data/commands.txt is
# one `nfkit WORDS...` invocation, in sequence in one namespace (nft does the
# same sequence in another).  After each command, its stdout, stderr and
# exit code, and `nft -a list ruleset`, must be nft's.  Commands that fail
# (create of an existing table) are part of the sequence.
#
#   sh tests/kernel/verbs.sh                       NFKIT=nft to check the harness
. "$(dirname "$0")/../lib.sh"

CMDS=tests/data/commands.txt

# Inside a namespace: run every command with PROG, record after each.
ns_sequence() {
	prog=$1 out=$2
	i=0
	while read -r line; do
		case $line in '' | '#'*) continue ;; esac
		i=$((i + 1))
		# shellcheck disable=SC2086 # the words are meant to be split
		bounded "$prog" $line >"$out.$i" 2>&1
		echo "rc=$?" >>"$out.$i"
		"$NFT" -a list ruleset >"$out.$i.ruleset" 2>&1
	done <"$CMDS"
}

ns_entry "$@"

need_oracle_and_nfkit

nsrun sh "$SELF" __ns ns_sequence "$NFT" "$TMP/ref"
b=0
for bin in $NFKIT_BINS; do
	b=$((b + 1))
	name=$(basename "$bin")
	[ "$bin" = "$NFKIT_STATIC" ] && name=static
	nsrun sh "$SELF" __ns ns_sequence "$bin" "$TMP/got$b"
	i=0
	while read -r line; do
		case $line in '' | '#'*) continue ;; esac
		i=$((i + 1))
		norm_prog <"$TMP/got$b.$i" >"$TMP/got$b.$i.n"
		check "[$name] $i '$line': output and exit code" "$TMP/ref.$i" "$TMP/got$b.$i.n"
		check "[$name] $i '$line': ruleset after" "$TMP/ref.$i.ruleset" "$TMP/got$b.$i.ruleset"
	done <"$CMDS"
done

summary
