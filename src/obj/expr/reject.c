// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field reject_fields[] = {
	F(NFTA_REJECT_TYPE, "type", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_REJECT_ICMP_CODE, "icmp_code", NFK_U8),
};
static const struct nfk_schema reject_schema = NFK_SCHEMA("reject", reject_fields);

static void reject_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "reject type %u code %u", nfk_e_u32(e, NFTA_REJECT_TYPE),
		nfk_e_u32(e, NFTA_REJECT_ICMP_CODE));
}

const struct nfk_expr_type nfk_expr_reject = { .name = "reject", .schema = &reject_schema, .print = reject_print };
