// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field exthdr_fields[] = {
	F(NFTA_EXTHDR_DREG, "dreg", NFK_BE32),
	F(NFTA_EXTHDR_TYPE, "type", NFK_U8),
	F(NFTA_EXTHDR_OFFSET, "offset", NFK_BE32),
	F(NFTA_EXTHDR_LEN, "len", NFK_BE32),
	F(NFTA_EXTHDR_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_EXTHDR_OP, "op", NFK_BE32),
	F(NFTA_EXTHDR_SREG, "sreg", NFK_BE32),
};
static const struct nfk_schema exthdr_schema = NFK_SCHEMA("exthdr", exthdr_fields);

/* SCTP and DCCP have no name in libnftnl 1.2.4: they print as "". */
static const char *const exthdr_ops[] = {
	[NFT_EXTHDR_OP_IPV6] = " ipv6", [NFT_EXTHDR_OP_TCPOPT] = " tcpopt",
	[NFT_EXTHDR_OP_IPV4] = " ipv4",
};

static void exthdr_print(FILE *f, const struct nfk_expr *e)
{
	const char *op = NFK_NAME(exthdr_ops, nfk_e_u32(e, NFTA_EXTHDR_OP), "");
	unsigned type = nfk_e_u32(e, NFTA_EXTHDR_TYPE);
	unsigned len = nfk_e_u32(e, NFTA_EXTHDR_LEN), off = nfk_e_u32(e, NFTA_EXTHDR_OFFSET);

	if (nfk_e_has(e, NFTA_EXTHDR_DREG))
		fprintf(f, "exthdr load%s %ub @ %u + %u%s => reg %u", op, len, type, off,
			(nfk_e_u32(e, NFTA_EXTHDR_FLAGS) & NFT_EXTHDR_F_PRESENT) ? " present" : "",
			nfk_e_u32(e, NFTA_EXTHDR_DREG));
	else if (nfk_e_has(e, NFTA_EXTHDR_SREG))
		fprintf(f, "exthdr write%s reg %u => %ub @ %u + %u", op,
			nfk_e_u32(e, NFTA_EXTHDR_SREG), len, type, off);
	else
		fprintf(f, "exthdr reset%s %u", op, type);
}

const struct nfk_expr_type nfk_expr_exthdr = { .name = "exthdr", .schema = &exthdr_schema, .print = exthdr_print };
