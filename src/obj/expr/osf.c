// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field osf_fields[] = {
	F(NFTA_OSF_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_OSF_TTL, "ttl", NFK_U8),
	F(NFTA_OSF_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
};
static const struct nfk_schema osf_schema = NFK_SCHEMA("osf", osf_fields);

/* libnftnl shows only the register, whatever ttl and flags say. */
static void osf_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "osf dreg %u", nfk_e_u32(e, NFTA_OSF_DREG));
}

const struct nfk_expr_type nfk_expr_osf = { .name = "osf", .schema = &osf_schema, .print = osf_print };
