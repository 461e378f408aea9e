// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field nat_fields[] = {
	F(NFTA_NAT_TYPE, "type", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_NAT_FAMILY, "family", NFK_BE32),
	F(NFTA_NAT_REG_ADDR_MIN, "reg_addr_min", NFK_BE32),
	F(NFTA_NAT_REG_ADDR_MAX, "reg_addr_max", NFK_BE32),
	F(NFTA_NAT_REG_PROTO_MIN, "reg_proto_min", NFK_BE32),
	F(NFTA_NAT_REG_PROTO_MAX, "reg_proto_max", NFK_BE32),
	F(NFTA_NAT_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
};
static const struct nfk_schema nat_schema = NFK_SCHEMA("nat", nat_fields);

static const char *const nat_types[] = { [NFT_NAT_SNAT] = "snat", [NFT_NAT_DNAT] = "dnat" };

/* Register operands in print order. */
static const struct { unsigned attr; const char *name; } nat_regs[] = {
	{ NFTA_NAT_REG_ADDR_MIN, "addr_min" }, { NFTA_NAT_REG_ADDR_MAX, "addr_max" },
	{ NFTA_NAT_REG_PROTO_MIN, "proto_min" }, { NFTA_NAT_REG_PROTO_MAX, "proto_max" },
};

static void nat_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "nat %s %s", NFK_NAME(nat_types, nfk_e_u32(e, NFTA_NAT_TYPE), "unknown"),
		nfk_family_str(nfk_e_u32(e, NFTA_NAT_FAMILY)));
	for (size_t i = 0; i < sizeof(nat_regs) / sizeof(nat_regs[0]); i++)
		if (nfk_e_has(e, nat_regs[i].attr))
			fprintf(f, " %s reg %u", nat_regs[i].name, nfk_e_u32(e, nat_regs[i].attr));
	if (nfk_e_has(e, NFTA_NAT_FLAGS))
		fprintf(f, " flags 0x%x", nfk_e_u32(e, NFTA_NAT_FLAGS));
}

const struct nfk_expr_type nfk_expr_nat = { .name = "nat", .schema = &nat_schema, .print = nat_print };
