// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field connlimit_fields[] = {
	F(NFTA_CONNLIMIT_COUNT, "count", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_CONNLIMIT_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
};
static const struct nfk_schema connlimit_schema = NFK_SCHEMA("connlimit", connlimit_fields);

static void connlimit_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "connlimit count %u flags %x", nfk_e_u32(e, NFTA_CONNLIMIT_COUNT),
		nfk_e_u32(e, NFTA_CONNLIMIT_FLAGS));
}

const struct nfk_expr_type nfk_expr_connlimit = { .name = "connlimit", .schema = &connlimit_schema, .print = connlimit_print };
