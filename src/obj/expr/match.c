// SPDX-License-Identifier: MIT
#include <linux/netfilter/nf_tables_compat.h>

#include "expr.h"

/* xtables compat: the info blob is the xt module's own struct. */
static const struct nfk_field match_fields[] = {
	F(NFTA_MATCH_NAME, "name", NFK_STR, .flags = NFK_F_REQUIRED, .maxlen = 32),
	F(NFTA_MATCH_REV, "rev", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_MATCH_INFO, "info", NFK_BIN),
};
static const struct nfk_schema match_schema = NFK_SCHEMA("match", match_fields);

static void match_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "match name %s rev %u", nfk_e_str(e, NFTA_MATCH_NAME), nfk_e_u32(e, NFTA_MATCH_REV));
}

const struct nfk_expr_type nfk_expr_match = { .name = "match", .schema = &match_schema, .print = match_print };
