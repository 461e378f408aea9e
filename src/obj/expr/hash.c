// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field hash_fields[] = {
	F(NFTA_HASH_SREG, "sreg", NFK_BE32),
	F(NFTA_HASH_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_HASH_LEN, "len", NFK_BE32),
	F(NFTA_HASH_MODULUS, "modulus", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_HASH_SEED, "seed", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_HASH_OFFSET, "offset", NFK_BE32),
	F(NFTA_HASH_TYPE, "type", NFK_BE32),
	F(NFTA_HASH_SET_NAME, "set_name", NFK_STR, .maxlen = 256),
	F(NFTA_HASH_SET_ID, "set_id", NFK_BE32),
};
static const struct nfk_schema hash_schema = NFK_SCHEMA("hash", hash_fields);

static void hash_print(FILE *f, const struct nfk_expr *e)
{
	uint32_t offset = nfk_e_u32(e, NFTA_HASH_OFFSET);

	fprintf(f, "hash reg %u = ", nfk_e_u32(e, NFTA_HASH_DREG));
	if (nfk_e_u32(e, NFTA_HASH_TYPE) == NFT_HASH_SYM)
		fputs("symhash()", f);
	else
		fprintf(f, "jhash(reg %u, %u, 0x%x)", nfk_e_u32(e, NFTA_HASH_SREG),
			nfk_e_u32(e, NFTA_HASH_LEN), nfk_e_u32(e, NFTA_HASH_SEED));
	fprintf(f, " %% mod %u", nfk_e_u32(e, NFTA_HASH_MODULUS));
	/* nft always sends the offset; libnftnl shows it only when non-zero. */
	if (offset)
		fprintf(f, " offset %u", offset);
}

const struct nfk_expr_type nfk_expr_hash = { .name = "hash", .schema = &hash_schema, .print = hash_print };
