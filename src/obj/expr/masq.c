// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field masq_fields[] = {
	F(NFTA_MASQ_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_MASQ_REG_PROTO_MIN, "reg_proto_min", NFK_BE32),
	F(NFTA_MASQ_REG_PROTO_MAX, "reg_proto_max", NFK_BE32),
};
static const struct nfk_schema masq_schema = NFK_SCHEMA("masq", masq_fields);

static void masq_print(FILE *f, const struct nfk_expr *e)
{
	fputs("masq", f);
	if (nfk_e_has(e, NFTA_MASQ_REG_PROTO_MIN))
		fprintf(f, " proto_min reg %u", nfk_e_u32(e, NFTA_MASQ_REG_PROTO_MIN));
	if (nfk_e_has(e, NFTA_MASQ_REG_PROTO_MAX))
		fprintf(f, " proto_max reg %u", nfk_e_u32(e, NFTA_MASQ_REG_PROTO_MAX));
	if (nfk_e_has(e, NFTA_MASQ_FLAGS))
		fprintf(f, " flags 0x%x", nfk_e_u32(e, NFTA_MASQ_FLAGS));
}

const struct nfk_expr_type nfk_expr_masq = { .name = "masq", .schema = &masq_schema, .print = masq_print };
