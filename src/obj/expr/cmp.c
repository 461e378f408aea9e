// SPDX-License-Identifier: MIT
#include "expr.h"

static const char *const cmp_ops[] = {
	[NFT_CMP_EQ] = "eq", [NFT_CMP_NEQ] = "neq", [NFT_CMP_LT] = "lt",
	[NFT_CMP_LTE] = "lte", [NFT_CMP_GT] = "gt", [NFT_CMP_GTE] = "gte",
};

static const struct nfk_field cmp_fields[] = {
	F(NFTA_CMP_SREG, "sreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_CMP_OP, "op", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_CMP_DATA, "data", NFK_DATA, .flags = NFK_F_REQUIRED),
};
static const struct nfk_schema cmp_schema = NFK_SCHEMA("cmp", cmp_fields);

static void cmp_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "cmp %s reg %u ", NFK_NAME(cmp_ops, nfk_e_u32(e, NFTA_CMP_OP), "unknown"),
		nfk_e_u32(e, NFTA_CMP_SREG));
	nfk_print_data(f, e->tb[NFTA_CMP_DATA]);
}

const struct nfk_expr_type nfk_expr_cmp = { .name = "cmp", .schema = &cmp_schema, .print = cmp_print };
