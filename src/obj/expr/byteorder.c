// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field byteorder_fields[] = {
	F(NFTA_BYTEORDER_SREG, "sreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_BYTEORDER_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_BYTEORDER_OP, "op", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_BYTEORDER_LEN, "len", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_BYTEORDER_SIZE, "size", NFK_BE32, .flags = NFK_F_REQUIRED),
};
static const struct nfk_schema byteorder_schema = NFK_SCHEMA("byteorder", byteorder_fields);

static const char *const byteorder_ops[] = {
	[NFT_BYTEORDER_NTOH] = "ntoh", [NFT_BYTEORDER_HTON] = "hton",
};

static void byteorder_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "byteorder reg %u = %s(reg %u, %u, %u)", nfk_e_u32(e, NFTA_BYTEORDER_DREG),
		NFK_NAME(byteorder_ops, nfk_e_u32(e, NFTA_BYTEORDER_OP), "unknown"),
		nfk_e_u32(e, NFTA_BYTEORDER_SREG), nfk_e_u32(e, NFTA_BYTEORDER_SIZE),
		nfk_e_u32(e, NFTA_BYTEORDER_LEN));
}

const struct nfk_expr_type nfk_expr_byteorder = { .name = "byteorder", .schema = &byteorder_schema, .print = byteorder_print };
