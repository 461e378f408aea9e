// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field range_fields[] = {
	F(NFTA_RANGE_SREG, "sreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_RANGE_OP, "op", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_RANGE_FROM_DATA, "from", NFK_DATA, .flags = NFK_F_REQUIRED),
	F(NFTA_RANGE_TO_DATA, "to", NFK_DATA, .flags = NFK_F_REQUIRED),
};
static const struct nfk_schema range_schema = NFK_SCHEMA("range", range_fields);

static const char *const range_ops[] = { [NFT_RANGE_EQ] = "eq", [NFT_RANGE_NEQ] = "neq" };

static void range_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "range %s reg %u ", NFK_NAME(range_ops, nfk_e_u32(e, NFTA_RANGE_OP), "unknown"),
		nfk_e_u32(e, NFTA_RANGE_SREG));
	nfk_print_data(f, e->tb[NFTA_RANGE_FROM_DATA]);
	fputc(' ', f);
	nfk_print_data(f, e->tb[NFTA_RANGE_TO_DATA]);
}

const struct nfk_expr_type nfk_expr_range = { .name = "range", .schema = &range_schema, .print = range_print };
