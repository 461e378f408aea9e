// SPDX-License-Identifier: MIT
#include <linux/xfrm.h>

#include "expr.h"

static const struct nfk_field xfrm_fields[] = {
	F(NFTA_XFRM_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_XFRM_KEY, "key", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_XFRM_DIR, "dir", NFK_U8),
	F(NFTA_XFRM_SPNUM, "spnum", NFK_BE32),
};
static const struct nfk_schema xfrm_schema = NFK_SCHEMA("xfrm", xfrm_fields);

static const char *const xfrm_keys[] = {
	[NFT_XFRM_KEY_DADDR_IP4] = "daddr4", [NFT_XFRM_KEY_DADDR_IP6] = "daddr6",
	[NFT_XFRM_KEY_SADDR_IP4] = "saddr4", [NFT_XFRM_KEY_SADDR_IP6] = "saddr6",
	[NFT_XFRM_KEY_REQID] = "reqid", [NFT_XFRM_KEY_SPI] = "spi",
};
static const char *const xfrm_dirs[] = { [XFRM_POLICY_IN] = "in", [XFRM_POLICY_OUT] = "out" };

static void xfrm_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "xfrm load %s %u %s => reg %u",
		NFK_NAME(xfrm_dirs, nfk_e_u32(e, NFTA_XFRM_DIR), "unknown"),
		nfk_e_u32(e, NFTA_XFRM_SPNUM),
		NFK_NAME(xfrm_keys, nfk_e_u32(e, NFTA_XFRM_KEY), "unknown"),
		nfk_e_u32(e, NFTA_XFRM_DREG));
}

const struct nfk_expr_type nfk_expr_xfrm = { .name = "xfrm", .schema = &xfrm_schema, .print = xfrm_print };
