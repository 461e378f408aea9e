// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field bitwise_fields[] = {
	F(NFTA_BITWISE_SREG, "sreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_BITWISE_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_BITWISE_LEN, "len", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_BITWISE_MASK, "mask", NFK_DATA),
	F(NFTA_BITWISE_XOR, "xor", NFK_DATA),
	F(NFTA_BITWISE_OP, "op", NFK_BE32),
	F(NFTA_BITWISE_DATA, "data", NFK_DATA),
};
static const struct nfk_schema bitwise_schema = NFK_SCHEMA("bitwise", bitwise_fields);

static const char *const shift_ops[] = {
	[NFT_BITWISE_LSHIFT] = "<<", [NFT_BITWISE_RSHIFT] = ">>",
};

static void bitwise_print(FILE *f, const struct nfk_expr *e)
{
	/* A missing op means mask-and-xor, the only kind older kernels know. */
	uint32_t op = nfk_e_u32(e, NFTA_BITWISE_OP);

	fprintf(f, "bitwise reg %u = ( reg %u ", nfk_e_u32(e, NFTA_BITWISE_DREG),
		nfk_e_u32(e, NFTA_BITWISE_SREG));
	if (op == NFT_BITWISE_MASK_XOR) {
		fputs("& ", f);
		nfk_print_data(f, e->tb[NFTA_BITWISE_MASK]);
		fputs(" ) ^ ", f);
		nfk_print_data(f, e->tb[NFTA_BITWISE_XOR]);
		return;
	}
	fprintf(f, "%s ", NFK_NAME(shift_ops, op, "unknown"));
	nfk_print_data(f, e->tb[NFTA_BITWISE_DATA]);
	fputs(" )", f);
}

const struct nfk_expr_type nfk_expr_bitwise = { .name = "bitwise", .schema = &bitwise_schema, .print = bitwise_print };
