// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field rt_fields[] = {
	F(NFTA_RT_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_RT_KEY, "key", NFK_BE32, .flags = NFK_F_REQUIRED),
};
static const struct nfk_schema rt_schema = NFK_SCHEMA("rt", rt_fields);

static const char *const rt_keys[] = {
	[NFT_RT_CLASSID] = "classid", [NFT_RT_NEXTHOP4] = "nexthop4",
	[NFT_RT_NEXTHOP6] = "nexthop6", [NFT_RT_TCPMSS] = "tcpmss", [NFT_RT_XFRM] = "ipsec",
};

static void rt_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "rt load %s => reg %u", NFK_NAME(rt_keys, nfk_e_u32(e, NFTA_RT_KEY), "unknown"),
		nfk_e_u32(e, NFTA_RT_DREG));
}

const struct nfk_expr_type nfk_expr_rt = { .name = "rt", .schema = &rt_schema, .print = rt_print };
