// SPDX-License-Identifier: MIT
#include "expr.h"

/* notrack has no attributes: every one is kept as unknown bytes. */
static const struct nfk_field notrack_fields[] = { [0] = { 0 } };
static const struct nfk_schema notrack_schema = NFK_SCHEMA("notrack", notrack_fields);

static void notrack_print(FILE *f, const struct nfk_expr *e)
{
	(void)e;
	fputs("notrack", f);
}

const struct nfk_expr_type nfk_expr_notrack = { .name = "notrack", .schema = &notrack_schema, .print = notrack_print };
