// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field payload_fields[] = {
	F(NFTA_PAYLOAD_DREG, "dreg", NFK_BE32),
	F(NFTA_PAYLOAD_BASE, "base", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_PAYLOAD_OFFSET, "offset", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_PAYLOAD_LEN, "len", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_PAYLOAD_SREG, "sreg", NFK_BE32),
	F(NFTA_PAYLOAD_CSUM_TYPE, "csum_type", NFK_BE32),
	F(NFTA_PAYLOAD_CSUM_OFFSET, "csum_offset", NFK_BE32),
	F(NFTA_PAYLOAD_CSUM_FLAGS, "csum_flags", NFK_BE32, .flags = NFK_F_HEX),
};
static const struct nfk_schema payload_schema = NFK_SCHEMA("payload", payload_fields);

static const char *const payload_bases[] = {
	[NFT_PAYLOAD_LL_HEADER] = "link", [NFT_PAYLOAD_NETWORK_HEADER] = "network",
	[NFT_PAYLOAD_TRANSPORT_HEADER] = "transport", [NFT_PAYLOAD_INNER_HEADER] = "inner",
};

static void payload_print(FILE *f, const struct nfk_expr *e)
{
	const char *base = NFK_NAME(payload_bases, nfk_e_u32(e, NFTA_PAYLOAD_BASE), "unknown");
	unsigned len = nfk_e_u32(e, NFTA_PAYLOAD_LEN), off = nfk_e_u32(e, NFTA_PAYLOAD_OFFSET);

	if (nfk_e_has(e, NFTA_PAYLOAD_SREG))
		fprintf(f, "payload write reg %u => %ub @ %s header + %u csum_type %u csum_off %u csum_flags 0x%x",
			nfk_e_u32(e, NFTA_PAYLOAD_SREG), len, base, off,
			nfk_e_u32(e, NFTA_PAYLOAD_CSUM_TYPE), nfk_e_u32(e, NFTA_PAYLOAD_CSUM_OFFSET),
			nfk_e_u32(e, NFTA_PAYLOAD_CSUM_FLAGS));
	else
		fprintf(f, "payload load %ub @ %s header + %u => reg %u", len, base, off,
			nfk_e_u32(e, NFTA_PAYLOAD_DREG));
}

const struct nfk_expr_type nfk_expr_payload = { .name = "payload", .schema = &payload_schema, .print = payload_print };
