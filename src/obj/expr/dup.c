// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field dup_fields[] = {
	F(NFTA_DUP_SREG_ADDR, "sreg_addr", NFK_BE32),
	F(NFTA_DUP_SREG_DEV, "sreg_dev", NFK_BE32),
};
static const struct nfk_schema dup_schema = NFK_SCHEMA("dup", dup_fields);

static void dup_print(FILE *f, const struct nfk_expr *e)
{
	fputs("dup", f);
	if (nfk_e_has(e, NFTA_DUP_SREG_ADDR))
		fprintf(f, " sreg_addr %u", nfk_e_u32(e, NFTA_DUP_SREG_ADDR));
	if (nfk_e_has(e, NFTA_DUP_SREG_DEV))
		fprintf(f, " sreg_dev %u", nfk_e_u32(e, NFTA_DUP_SREG_DEV));
}

const struct nfk_expr_type nfk_expr_dup = { .name = "dup", .schema = &dup_schema, .print = dup_print };
