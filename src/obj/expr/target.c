// SPDX-License-Identifier: MIT
#include <linux/netfilter/nf_tables_compat.h>

#include "expr.h"

static const struct nfk_field target_fields[] = {
	F(NFTA_TARGET_NAME, "name", NFK_STR, .flags = NFK_F_REQUIRED, .maxlen = 32),
	F(NFTA_TARGET_REV, "rev", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_TARGET_INFO, "info", NFK_BIN),
};
static const struct nfk_schema target_schema = NFK_SCHEMA("target", target_fields);

static void target_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "target name %s rev %u", nfk_e_str(e, NFTA_TARGET_NAME),
		nfk_e_u32(e, NFTA_TARGET_REV));
}

const struct nfk_expr_type nfk_expr_target = { .name = "target", .schema = &target_schema, .print = target_print };
