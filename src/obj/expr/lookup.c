// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field lookup_fields[] = {
	F(NFTA_LOOKUP_SET, "set", NFK_STR, .flags = NFK_F_REQUIRED, .maxlen = 256),
	F(NFTA_LOOKUP_SREG, "sreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_LOOKUP_DREG, "dreg", NFK_BE32),
	F(NFTA_LOOKUP_SET_ID, "set_id", NFK_BE32),
	F(NFTA_LOOKUP_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
};
static const struct nfk_schema lookup_schema = NFK_SCHEMA("lookup", lookup_fields);

static void lookup_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "lookup reg %u set %s", nfk_e_u32(e, NFTA_LOOKUP_SREG),
		nfk_e_str(e, NFTA_LOOKUP_SET));
	if (nfk_e_has(e, NFTA_LOOKUP_DREG))
		fprintf(f, " dreg %u", nfk_e_u32(e, NFTA_LOOKUP_DREG));
	/* nft sends flags only for inverted lookups ("0x1"). */
	if (nfk_e_has(e, NFTA_LOOKUP_FLAGS))
		fprintf(f, " 0x%x", nfk_e_u32(e, NFTA_LOOKUP_FLAGS));
}

const struct nfk_expr_type nfk_expr_lookup = { .name = "lookup", .schema = &lookup_schema, .print = lookup_print };
