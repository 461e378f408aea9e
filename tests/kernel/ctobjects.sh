#!/bin/sh
# ct timeout, ct expectation and synproxy objects (and ct helpers beside
# them), nfkit against the real nft, each run in a fresh namespace:
#   load    `PROG -f tests/data/ctobjects.nft`, then `nft list ruleset` and
#           `nft -a list ruleset` are the same for nft and nfkit (the kernel
#           holds the same objects), and so are nfkit's listings of them
#   words   object commands given as words (add/create/delete/list) on top
#           of that ruleset: output, exit code and the ruleset after
#   errors  bad declarations, in a file and as words: stderr byte for byte
#           (message, source line, caret), exit code 1, ruleset unchanged
# Every binary in $NFKIT_BINS runs all of them.
#
#   sh tests/kernel/ctobjects.sh                   NFKIT=nft to check the harness
. "$(dirname "$0")/../lib.sh"

GOOD=tests/data/ctobjects.nft

# Inside a namespace: PROG -f FILE, then the ruleset as nft lists it, then
# the listings of each object with PROG.
ns_load() {
	prog=$1 out=$2
	bounded "$prog" -f "$GOOD" >"$out" 2>&1
	echo "rc=$?" >>"$out"
	"$NFT" list ruleset >"$out.ruleset" 2>&1
	"$NFT" -a list ruleset >"$out.handles" 2>&1
	for cmd in "list ruleset" "list ct timeout ip ctobj cttime3" "list ct timeout ctobj udp-short" \
		"list ct expectation ip ctobj ctexpect5" "list ct expectation inet ctobj6 e6" \
		"list synproxy ip ctobj synproxy2" "list synproxy inet ctobj6 bare" "list synproxys" \
		"list synproxys table inet ctobj6" "list ct helpers table ip ctobj" \
		"list ct helper ip ctobj ftp-standard" "list ct timeout ip ctobj nosuch" \
		"-n list ct expectation ip ctobj ctexpect5"; do
		echo "## $cmd"
		# shellcheck disable=SC2086 # the words are meant to be split
		bounded "$prog" $cmd 2>&1
		echo "rc=$?"
	done >"$out.lists"
}

# Inside a namespace: the good ruleset (loaded with nft), then PROG ARGS...,
# then the ruleset again.
ns_run() {
	ns_around "$GOOD" "$@"
}

ns_entry "$@"

need_oracle_and_nfkit

tag_of() {
	if [ "$1" = "${NFKIT_STATIC:-}" ]; then echo static; else basename "$1"; fi
}

# --- load ------------------------------------------------------------------
D=$TMP/load
mkdir -p "$D"
nsrun sh "$SELF" __ns ns_load "$NFT" "$D/ref"
if ! grep -qx 'rc=0' "$D/ref"; then
	fail "harness: nft cannot load $GOOD:"
	sed 's/^/	/' "$D/ref"
fi
for bin in $NFKIT_BINS; do
	t=$(tag_of "$bin")
	nsrun sh "$SELF" __ns ns_load "$bin" "$D/got"
	check "load [$t]: -f output and exit code" "$D/ref" "$D/got"
	check "load [$t]: nft list ruleset" "$D/ref.ruleset" "$D/got.ruleset"
	check "load [$t]: nft -a list ruleset" "$D/ref.handles" "$D/got.handles"
	check "load [$t]: listings" "$D/ref.lists" "$D/got.lists"
done

# --- words and errors ----------------------------------------------------------
# one_case NAME EXPECT ARGS...: ARGS with nft and with each binary; EXPECT is
# the exit code nft must give (the harness checks itself with it).
n=0
one_case() {
	name=$1 want=$2
	shift 2
	n=$((n + 1))
	D=$TMP/$n
	mkdir -p "$D"
	nsrun sh "$SELF" __ns ns_run "$D/ref" "$NFT" "$@"
	if [ "$(cat "$D/ref.rc")" != "rc=$want" ]; then
		fail "$name: harness: nft gave $(cat "$D/ref.rc"), not rc=$want"
		sed 's/^/	/' "$D/ref.stderr"
		return
	fi
	for bin in $NFKIT_BINS; do
		tag="$name [$(tag_of "$bin")]"
		nsrun sh "$SELF" __ns ns_run "$D/got" "$bin" "$@"
		norm_prog <"$D/got.stderr" >"$D/got.stderr.n"
		check "$tag: exit code" "$D/ref.rc" "$D/got.rc"
		check "$tag: stderr" "$D/ref.stderr" "$D/got.stderr.n"
		check "$tag: stdout" "$D/ref.stdout" "$D/got.stdout"
		check "$tag: ruleset after" "$D/ref.after" "$D/got.after"
	done
}

# Commands that work, as separate words.
while read -r line; do
	case $line in '' | '#'*) continue ;; esac
	# shellcheck disable=SC2086 # the words are meant to be split
	one_case "'$line'" 0 $line
done <<'EOF'
add ct timeout ip ctobj t2 { protocol tcp; policy = { established:100, established: 7 }; policy = { close: 3 }; }
add ct timeout ip ctobj t3 { policy = { unreplied: 4 }; protocol udp; comment "late protocol"; }
create ct timeout inet ctobj6 t4 { protocol udp; policy = { replied:14 } ; l3proto ip6; }
add ct timeout ip ctobj t5 { protocol tcp; policy = { syn_sent2: 3, established: 4294967296 }; }
add ct expectation ip ctobj e2 { protocol tcp; dport 65537; timeout 1d2h3m4s5ms; size 257; }
add ct expectation ip ctobj e3 { protocol udp; dport 53; timeout 30s; size 1; comment "dns"; }
add synproxy ip ctobj s3 mss 1400 wscale 3
add synproxy ip ctobj s4 mss 1400 wscale 3 sack-perm
create synproxy inet ctobj6 s5 mss 1460 wscale 7 timestamp sack-perm
add synproxy ip ctobj s6 { mss 1460; wscale 7; timestamp; comment "split" }
add synproxy ip ctobj s7 { }
delete ct timeout ip ctobj cttime3
delete ct expectation inet ctobj6 e6
delete synproxy inet ctobj6 bare
EOF

# Commands that fail, as separate words.
while read -r line; do
	case $line in '' | '#'*) continue ;; esac
	# shellcheck disable=SC2086 # the words are meant to be split
	one_case "'$line'" 1 $line
done <<'EOF'
add ct timeout ip ctobj x { protocol tcp; policy = { estalbished:100 }; }
add ct timeout ip ctobj x { protocol udp; policy = { syn_sent:122 } ;}
add ct timeout ip ctobj x { policy = { established:100 } ;}
add ct timeout ip ctobj x { protocol icmp; policy = { established:122 } ;}
add ct timeout ip ctobj x { protocol tcp; policy = { established: 1 established: 2 }; }
add ct timeout ip ctobj x { protocol tcp; policy = { established:1m }; }
add ct timeout ip ctobj x { protocol tcp }
add ct timeout ip ctobj x { protocol tcp; comment "a"; comment "b"; }
add ct timeout ip ctobj x
add ct expectation ip ctobj x { protocol udp; }
add ct expectation ip ctobj ctexpect2 { protocol tcp; dport 4321; timeout 2m; }
add ct expectation ip ctobj x { protocol tcp; dport 1; timeout foo; size 2; }
add ct expectation ip ctobj x { protocol tcp; dport 1; timeout 1234; size 2; }
add ct expectation ip ctobj x { protocol tcp; dport ssh; timeout 1s; size 3; }
add ct expectation ip ctobj x { protocol tcp; dport 1; timeout 1s; size 2; l3proto arp; }
add ct expectation inet ctobj6 x { protocol tcp; dport 1; timeout 1s; size 2; }
add synproxy ip ctobj x
add synproxy ip ctobj x mss 1460
add synproxy ip ctobj x wscale 7
add synproxy ip ctobj x { mss 1460 wscale 7; timestamp }
add synproxy ip ctobj x { mss x wscale 7 }
create synproxy ip ctobj x { mss 1460 wscale 7 }
add ct foo ip ctobj x
delete ct timeout ip ctobj nosuch
delete ct helper ip ctobj ftp-standard
list ct helpers
EOF

# Bad declarations in a file (table blocks), one file per case.
F=0
bad_file() {
	F=$((F + 1))
	cat >"$TMP/bad$F.nft"
	one_case "bad file $F" 1 -f "$TMP/bad$F.nft"
}
bad_file <<'EOF'
table ip ctobj {
	ct timeout z {
		protocol tcp
		policy = { established: 2, bogus: 4 }
		l3proto ip
	}
	ct expectation e {
		protocol tcp
		dport 21
	}
	ct timeout w {
		protocol udp; policy = { established: 2 }
	}
}
EOF
bad_file <<'EOF'
table ip ctobj {
	ct timeout z {
		protocol icmp
		policy = { established: 2 }
	}
}
EOF
bad_file <<'EOF'
table inet ctobj6 {
	ct timeout y {
		protocol udp
		policy = { replied: 5, bogus: 3 }
	}
	ct timeout z { protocol tcp; policy = { close: 1 }; l3proto ip6; comment "tcp"; }
	ct expectation e { protocol tcp; dport 21; timeout 1s; size 0; }
	synproxy s3 { mss 1 wscale 2; }
}
EOF
bad_file <<'EOF'
table bridge ctobj {
	ct timeout yyy { protocol tcp; policy = { unack: 5 }; }
}
EOF

summary
