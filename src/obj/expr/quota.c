// SPDX-License-Identifier: MIT
#include <inttypes.h>

#include "expr.h"

static const struct nfk_field quota_fields[] = {
	F(NFTA_QUOTA_BYTES, "bytes", NFK_BE64, .flags = NFK_F_REQUIRED),
	F(NFTA_QUOTA_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_QUOTA_PAD, "pad", NFK_BIN),
	F(NFTA_QUOTA_CONSUMED, "consumed", NFK_BE64),
};
static const struct nfk_schema quota_schema = NFK_SCHEMA("quota", quota_fields);

static void quota_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "quota bytes %" PRIu64 " consumed %" PRIu64 " flags %u",
		nfk_e_u64(e, NFTA_QUOTA_BYTES), nfk_e_u64(e, NFTA_QUOTA_CONSUMED),
		nfk_e_u32(e, NFTA_QUOTA_FLAGS));
}

const struct nfk_expr_type nfk_expr_quota = { .name = "quota", .schema = &quota_schema, .print = quota_print };
