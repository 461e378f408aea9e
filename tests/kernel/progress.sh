#!/bin/sh
# Progress: on a terminal, a big load shows a progress line on stderr; when
# stderr is not a terminal (scripts, pipes, these tests' other comparisons
# with nft) nothing at all is added.  `script` gives the command a pty.
#
#   sh tests/kernel/progress.sh          PROGRESS_N (elements, default 150000)
. "$(dirname "$0")/../lib.sh"

N=${PROGRESS_N:-150000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

awk -v n="$N" 'BEGIN {
	print "table ip p {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = {"
	for (i = 0; i < n; i++)
		printf "\t\t\t10.%d.%d.%d%s\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256, i < n - 1 ? "," : ""
	print "\t\t}\n\t}\n}"
}' >"$T/set.nft"

if ! command -v script >/dev/null 2>&1; then
	skip_missing "no script(1) to give nfkit a terminal"
	summary
fi
have_nfkit || { fail "$NFKIT not found"; summary; }

# On a pty: the line names the elements committed.
nsrun script -qec "$NFKIT -f $T/set.nft" "$T/tty.log" >/dev/null 2>&1
if tr '\r' '\n' <"$T/tty.log" | grep -q "nfkit: $N elements committed"; then
	pass "terminal: progress shows $N elements committed"
else
	fail "terminal: no progress line for $N elements"
	tr '\r' '\n' <"$T/tty.log" | tail -n 3 | sed 's/^/	/'
fi

# Not a terminal: stdout and stderr stay empty, as nft's.
nsrun sh -c '"$1" -f "$2" >"$3.out" 2>"$3.err"' sh "$NFKIT" "$T/set.nft" "$T/pipe"
if [ ! -s "$T/pipe.out" ] && [ ! -s "$T/pipe.err" ]; then
	pass "not a terminal: no output at all"
else
	fail "not a terminal: unexpected output"
	cat "$T/pipe.out" "$T/pipe.err" | head -n 3 | sed 's/^/	/'
fi
summary
