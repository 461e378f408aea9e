/* SPDX-License-Identifier: MIT */
/* The expression registry.  Each expression lives in expr/<name>.c and
 * defines `const struct nfk_expr_type nfk_expr_<name>`: its schema, its
 * libnftnl-format printer and (later) its evaluation.  Adding an
 * expression is one line here plus its file. */
#ifndef NFK_EXPR_H
#define NFK_EXPR_H

#include <string.h>

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

/* Name of an enum value from a table indexed by that enum, or dflt when the
 * value is out of range or unnamed (libnftnl prints "unknown" there). */
#define NFK_NAME(tbl, v, dflt) \
	((size_t)(v) < sizeof(tbl) / sizeof((tbl)[0]) && (tbl)[(v)] ? (tbl)[(v)] : (dflt))

/* 64-bit variant of nfk_e_u32(): any integer kind, 0 if absent. */
static inline uint64_t nfk_e_u64(const struct nfk_expr *e, unsigned type)
{
	uint64_t v;

	if (type > NFK_EXPR_MAXATTR || !e->type ||
	    !nfk_schema_get_uint(e->type->schema, e->tb[type], &v))
		return 0;
	return v;
}

/* Prints a nested expression (an NFTA_EXPR_* nest) as libnftnl does inside
 * dynset/inner: "expr [ <body> ]". */
/* Prints a nested expression (dynset, inner) as "expr [ ... ]". */
void nfk_expr_print_nested(FILE *f, const struct nlattr *nest);

/* A string attribute that may lack its NUL (NLA_STRING): its bytes and the
 * length up to the first NUL, for "%.*s".  "" and 0 when absent. */
static inline const char *nfk_e_str_raw(const struct nfk_expr *e, unsigned type)
{
	return type <= NFK_EXPR_MAXATTR && e->tb[type] ? (const char *)nfk_attr_data(e->tb[type]) : "";
}

static inline int nfk_e_strn(const struct nfk_expr *e, unsigned type)
{
	const struct nlattr *a = type <= NFK_EXPR_MAXATTR ? e->tb[type] : NULL;

	return a ? (int)strnlen(nfk_attr_data(a), nfk_attr_len(a)) : 0;
}

/* libnftnl's family names (nat, tproxy, chains...): "unknown" otherwise. */
const char *nfk_family_str(unsigned family);
/* libnftnl's hook names for a family (chains, flowtables). */
const char *nfk_hook_str(unsigned family, unsigned hooknum);

#endif
