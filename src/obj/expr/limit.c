// SPDX-License-Identifier: MIT
#include <inttypes.h>

#include "expr.h"

static const struct nfk_field limit_fields[] = {
	F(NFTA_LIMIT_RATE, "rate", NFK_BE64, .flags = NFK_F_REQUIRED),
	F(NFTA_LIMIT_UNIT, "unit", NFK_BE64, .flags = NFK_F_REQUIRED),
	F(NFTA_LIMIT_BURST, "burst", NFK_BE32),
	F(NFTA_LIMIT_TYPE, "type", NFK_BE32),
	F(NFTA_LIMIT_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_LIMIT_PAD, "pad", NFK_BIN),
};
static const struct nfk_schema limit_schema = NFK_SCHEMA("limit", limit_fields);

static const char *const limit_types[] = {
	[NFT_LIMIT_PKTS] = "packets", [NFT_LIMIT_PKT_BYTES] = "bytes",
};

/* The unit is a period in seconds; libnftnl names only these. */
static const char *limit_unit(uint64_t secs)
{
	static const struct { uint64_t secs; const char *name; } units[] = {
		{ 1, "second" }, { 60, "minute" }, { 3600, "hour" },
		{ 86400, "day" }, { 604800, "week" },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].secs == secs)
			return units[i].name;
	return "error";
}

static void limit_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "limit rate %" PRIu64 "/%s burst %u type %s flags 0x%x",
		nfk_e_u64(e, NFTA_LIMIT_RATE), limit_unit(nfk_e_u64(e, NFTA_LIMIT_UNIT)),
		nfk_e_u32(e, NFTA_LIMIT_BURST),
		NFK_NAME(limit_types, nfk_e_u32(e, NFTA_LIMIT_TYPE), "unknown"),
		nfk_e_u32(e, NFTA_LIMIT_FLAGS));
}

const struct nfk_expr_type nfk_expr_limit = { .name = "limit", .schema = &limit_schema, .print = limit_print };
