// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field tproxy_fields[] = {
	F(NFTA_TPROXY_FAMILY, "family", NFK_BE32),
	F(NFTA_TPROXY_REG_ADDR, "reg_addr", NFK_BE32),
	F(NFTA_TPROXY_REG_PORT, "reg_port", NFK_BE32),
};
static const struct nfk_schema tproxy_schema = NFK_SCHEMA("tproxy", tproxy_fields);

static void tproxy_print(FILE *f, const struct nfk_expr *e)
{
	const char *sep = "";

	fputs("tproxy ", f);
	/* inet rules leave the family unspecified: nothing is printed then. */
	if (nfk_e_u32(e, NFTA_TPROXY_FAMILY)) {
		fprintf(f, "%s", nfk_family_str(nfk_e_u32(e, NFTA_TPROXY_FAMILY)));
		sep = " ";
	}
	if (nfk_e_has(e, NFTA_TPROXY_REG_ADDR)) {
		fprintf(f, "%saddr reg %u", sep, nfk_e_u32(e, NFTA_TPROXY_REG_ADDR));
		sep = " ";
	}
	if (nfk_e_has(e, NFTA_TPROXY_REG_PORT))
		fprintf(f, "%sport reg %u", sep, nfk_e_u32(e, NFTA_TPROXY_REG_PORT));
}

const struct nfk_expr_type nfk_expr_tproxy = { .name = "tproxy", .schema = &tproxy_schema, .print = tproxy_print };
