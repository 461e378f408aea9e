/* SPDX-License-Identifier: MIT */
/* The expression registry.  Each expression lives in expr/<name>.c and
 * defines `const struct nfk_expr_type nfk_expr_<name>`: its schema, its
 * libnftnl-format printer and (later) its evaluation.  Adding an
 * expression is one line here plus its file. */
#ifndef NFK_EXPR_H
#define NFK_EXPR_H

#include "../schema.h"

#define NFK_EXPR_TYPES(X) \
	X(bitwise)    \
	X(byteorder)  \
	X(cmp)        \
	X(connlimit)  \
	X(counter)    \
	X(ct)         \
	X(dup)        \
	X(dynset)     \
	X(exthdr)     \
	X(fib)        \
	X(flow_offload) \
	X(fwd)        \
	X(hash)       \
	X(immediate)  \
	X(inner)      \
	X(last)       \
	X(limit)      \
	X(log)        \
	X(lookup)     \
	X(masq)       \
	X(match)      \
	X(meta)       \
	X(nat)        \
	X(notrack)    \
	X(numgen)     \
	X(objref)     \
	X(osf)        \
	X(payload)    \
	X(queue)      \
	X(quota)      \
	X(range)      \
	X(redir)      \
	X(reject)     \
	X(rt)         \
	X(socket)     \
	X(synproxy)   \
	X(target)     \
	X(tproxy)     \
	X(tunnel)     \
	X(xfrm)

#define NFK_EXPR_DECLARE(n) extern const struct nfk_expr_type nfk_expr_##n;
NFK_EXPR_TYPES(NFK_EXPR_DECLARE)
#undef NFK_EXPR_DECLARE

/* Shorthand for schema tables: one line per attribute. */
#define F(attr, fname, fkind, ...) [attr] = { .name = fname, .kind = fkind, __VA_ARGS__ }

#endif
