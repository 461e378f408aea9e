// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field synproxy_fields[] = {
	F(NFTA_SYNPROXY_MSS, "mss", NFK_BE16),
	F(NFTA_SYNPROXY_WSCALE, "wscale", NFK_U8),
	F(NFTA_SYNPROXY_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
};
static const struct nfk_schema synproxy_schema = NFK_SCHEMA("synproxy", synproxy_fields);

static void synproxy_print(FILE *f, const struct nfk_expr *e)
{
	fputs("synproxy", f);
	if (nfk_e_has(e, NFTA_SYNPROXY_MSS))
		fprintf(f, " mss %u", nfk_e_u32(e, NFTA_SYNPROXY_MSS));
	if (nfk_e_has(e, NFTA_SYNPROXY_WSCALE))
		fprintf(f, " wscale %u", nfk_e_u32(e, NFTA_SYNPROXY_WSCALE));
}

const struct nfk_expr_type nfk_expr_synproxy = { .name = "synproxy", .schema = &synproxy_schema, .print = synproxy_print };
