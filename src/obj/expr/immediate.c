// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field immediate_fields[] = {
	F(NFTA_IMMEDIATE_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_IMMEDIATE_DATA, "data", NFK_DATA, .flags = NFK_F_REQUIRED),
};
static const struct nfk_schema immediate_schema = NFK_SCHEMA("immediate", immediate_fields);

static void immediate_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "immediate reg %u ", nfk_e_u32(e, NFTA_IMMEDIATE_DREG));
	nfk_print_data(f, e->tb[NFTA_IMMEDIATE_DATA]);
}

const struct nfk_expr_type nfk_expr_immediate = { .name = "immediate", .schema = &immediate_schema, .print = immediate_print };
