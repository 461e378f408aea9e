// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field redir_fields[] = {
	F(NFTA_REDIR_REG_PROTO_MIN, "reg_proto_min", NFK_BE32),
	F(NFTA_REDIR_REG_PROTO_MAX, "reg_proto_max", NFK_BE32),
	F(NFTA_REDIR_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
};
static const struct nfk_schema redir_schema = NFK_SCHEMA("redir", redir_fields);

static void redir_print(FILE *f, const struct nfk_expr *e)
{
	fputs("redir", f);
	if (nfk_e_has(e, NFTA_REDIR_REG_PROTO_MIN))
		fprintf(f, " proto_min reg %u", nfk_e_u32(e, NFTA_REDIR_REG_PROTO_MIN));
	if (nfk_e_has(e, NFTA_REDIR_REG_PROTO_MAX))
		fprintf(f, " proto_max reg %u", nfk_e_u32(e, NFTA_REDIR_REG_PROTO_MAX));
	if (nfk_e_has(e, NFTA_REDIR_FLAGS))
		fprintf(f, " flags 0x%x", nfk_e_u32(e, NFTA_REDIR_FLAGS));
}

const struct nfk_expr_type nfk_expr_redir = { .name = "redir", .schema = &redir_schema, .print = redir_print };
