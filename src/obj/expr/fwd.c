// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field fwd_fields[] = {
	F(NFTA_FWD_SREG_DEV, "sreg_dev", NFK_BE32),
	F(NFTA_FWD_SREG_ADDR, "sreg_addr", NFK_BE32),
	F(NFTA_FWD_NFPROTO, "nfproto", NFK_BE32),
};
static const struct nfk_schema fwd_schema = NFK_SCHEMA("fwd", fwd_fields);

static void fwd_print(FILE *f, const struct nfk_expr *e)
{
	fputs("fwd", f);
	if (nfk_e_has(e, NFTA_FWD_SREG_DEV))
		fprintf(f, " sreg_dev %u", nfk_e_u32(e, NFTA_FWD_SREG_DEV));
	if (nfk_e_has(e, NFTA_FWD_SREG_ADDR))
		fprintf(f, " sreg_addr %u", nfk_e_u32(e, NFTA_FWD_SREG_ADDR));
	if (nfk_e_has(e, NFTA_FWD_NFPROTO))
		fprintf(f, " nfproto %u", nfk_e_u32(e, NFTA_FWD_NFPROTO));
}

const struct nfk_expr_type nfk_expr_fwd = { .name = "fwd", .schema = &fwd_schema, .print = fwd_print };
