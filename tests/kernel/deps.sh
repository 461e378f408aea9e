#!/bin/sh
# Dependencies: the dynamic build/nfkit needs libc only (plus the vDSO and
# the loader), the static build needs nothing, and build/libnfkit.so exports
# nfk_* symbols only, every NFK_API function of nfkit.h among them.  The
# sanitizer build links its runtimes, so the normal build is checked
# whatever BUILD is; a file that is not built is skipped (a failure under
# CI=true).
#
#   sh tests/kernel/deps.sh          DEPS_BIN, DEPS_LIB, NFKIT_STATIC to override
. "$(dirname "$0")/../lib.sh"

BIN=${DEPS_BIN:-build/nfkit}
LIB=${DEPS_LIB:-build/libnfkit.so}
STATIC=${NFKIT_STATIC:-build-static/nfkit}

# ldd lines: "libc.so.6 => /lib/.../libc.so.6 (0x...)", "linux-vdso.so.1 (0x...)",
# "/lib64/ld-linux-x86-64.so.2 (0x...)".  Anything else is a dependency too many.
libc_only() {
	ldd "$1" 2>&1 | awk '
		/statically linked/ { next }
		{ name = $1; sub(/.*\//, "", name) }
		name ~ /^(libc\.so\.[0-9]+|linux-vdso\.so\.[0-9]+|linux-gate\.so\.[0-9]+|ld-linux.*\.so\.[0-9]+|ld64\.so\.[0-9]+)$/ { next }
		{ print; bad = 1 }
		END { exit bad }'
}

if [ -f "$BIN" ]; then
	if extra=$(libc_only "$BIN"); then
		pass "ldd $BIN: libc only"
	else
		fail "ldd $BIN: more than libc:"
		echo "$extra" | sed 's/^/	/'
	fi
else
	skip_missing "$BIN not built"
fi

if [ -f "$STATIC" ]; then
	if ldd "$STATIC" 2>&1 | grep -q 'not a dynamic executable\|statically linked'; then
		pass "$STATIC is static"
	else
		fail "$STATIC is dynamic:"
		ldd "$STATIC" 2>&1 | sed 's/^/	/'
	fi
else
	skip_missing "$STATIC not built"
fi

if [ -f "$LIB" ]; then
	# Defined dynamic symbols; type A entries are version-script nodes (NFKIT_0).
	others=$(nm -D --defined-only "$LIB" | awk '$2 != "A" && $3 !~ /^nfk_/ { print $3 }')
	count=$(nm -D --defined-only "$LIB" | awk '$3 ~ /^nfk_/' | wc -l | tr -d ' ')
	if [ -n "$others" ]; then
		fail "$LIB exports non-nfk_ symbols: $(echo "$others" | tr '\n' ' ')"
	elif [ "$count" -eq 0 ]; then
		fail "$LIB exports no nfk_ symbol"
	else
		pass "$LIB exports only nfk_ symbols ($count)"
	fi
	# Every function nfkit.h declares NFK_API is exported (the version
	# script lists them by name, one node per release).
	api=$(grep -v '^#' include/nfkit/nfkit.h | grep -o 'NFK_API [^(]*(' | sed 's/($//; s/.*[ *]//' | sort -u)
	exported=$(nm -D --defined-only "$LIB" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u)
	missing=$(printf '%s\n' "$api" | while read -r f; do
		printf '%s\n' "$exported" | grep -qx "$f" || echo "$f"
	done)
	if [ -z "$api" ]; then
		fail "no NFK_API function found in include/nfkit/nfkit.h"
	elif [ -n "$missing" ]; then
		fail "$LIB does not export: $(echo "$missing" | tr '\n' ' ')(add them to src/libnfkit.map)"
	else
		pass "$LIB exports every NFK_API function of nfkit.h ($(echo "$api" | wc -l | tr -d ' '))"
	fi
	if extra=$(libc_only "$LIB"); then
		pass "ldd $LIB: libc only"
	else
		fail "ldd $LIB: more than libc:"
		echo "$extra" | sed 's/^/	/'
	fi
else
	skip_missing "$LIB not built"
fi

summary
