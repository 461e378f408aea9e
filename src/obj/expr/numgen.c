// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field numgen_fields[] = {
	F(NFTA_NG_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_NG_MODULUS, "modulus", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_NG_TYPE, "type", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_NG_OFFSET, "offset", NFK_BE32),
	F(NFTA_NG_SET_NAME, "set_name", NFK_STR, .maxlen = 256),
	F(NFTA_NG_SET_ID, "set_id", NFK_BE32),
};
static const struct nfk_schema numgen_schema = NFK_SCHEMA("numgen", numgen_fields);

static const char *const numgen_types[] = { [NFT_NG_INCREMENTAL] = "inc", [NFT_NG_RANDOM] = "random" };

static void numgen_print(FILE *f, const struct nfk_expr *e)
{
	uint32_t offset = nfk_e_u32(e, NFTA_NG_OFFSET);

	fprintf(f, "numgen reg %u = %s mod %u", nfk_e_u32(e, NFTA_NG_DREG),
		NFK_NAME(numgen_types, nfk_e_u32(e, NFTA_NG_TYPE), "unknown"),
		nfk_e_u32(e, NFTA_NG_MODULUS));
	if (offset)
		fprintf(f, " offset %u", offset);
}

const struct nfk_expr_type nfk_expr_numgen = { .name = "numgen", .schema = &numgen_schema, .print = numgen_print };
