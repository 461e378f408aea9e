// SPDX-License-Identifier: MIT
#include "expr.h"

/* Linux 6.2 uapi; older headers lack it. */
#ifndef NFTA_INNER_MAX
enum {
	NFTA_INNER_UNSPEC, NFTA_INNER_NUM, NFTA_INNER_TYPE, NFTA_INNER_FLAGS,
	NFTA_INNER_HDRSIZE, NFTA_INNER_EXPR,
};
#endif

static const struct nfk_field inner_fields[] = {
	F(NFTA_INNER_NUM, "num", NFK_BE32),
	F(NFTA_INNER_TYPE, "type", NFK_BE32),
	F(NFTA_INNER_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_INNER_HDRSIZE, "hdrsize", NFK_BE32),
	F(NFTA_INNER_EXPR, "expr", NFK_EXPR),
};
static const struct nfk_schema inner_schema = NFK_SCHEMA("inner", inner_fields);

/* libnftnl 1.2.4 predates inner; this follows the later libnftnl shape. */
static void inner_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "inner type %u hdrsize %u flags %x ", nfk_e_u32(e, NFTA_INNER_TYPE),
		nfk_e_u32(e, NFTA_INNER_HDRSIZE), nfk_e_u32(e, NFTA_INNER_FLAGS));
	nfk_expr_print_nested(f, e->tb[NFTA_INNER_EXPR]);
}

const struct nfk_expr_type nfk_expr_inner = { .name = "inner", .schema = &inner_schema, .print = inner_print };
