// SPDX-License-Identifier: MIT
#include <inttypes.h>

#include "expr.h"

static const struct nfk_field last_fields[] = {
	F(NFTA_LAST_SET, "set", NFK_BE32),
	F(NFTA_LAST_MSECS, "msecs", NFK_BE64),
	F(NFTA_LAST_PAD, "pad", NFK_BIN),
};
static const struct nfk_schema last_schema = NFK_SCHEMA("last", last_fields);

static void last_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "last %" PRIu64 " %u", nfk_e_u64(e, NFTA_LAST_MSECS), nfk_e_u32(e, NFTA_LAST_SET));
}

const struct nfk_expr_type nfk_expr_last = { .name = "last", .schema = &last_schema, .print = last_print };
