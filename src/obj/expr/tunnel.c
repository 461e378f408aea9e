// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field tunnel_fields[] = {
	F(NFTA_TUNNEL_KEY, "key", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_TUNNEL_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_TUNNEL_MODE, "mode", NFK_BE32),
};
static const struct nfk_schema tunnel_schema = NFK_SCHEMA("tunnel", tunnel_fields);

static const char *const tunnel_keys[] = { [NFT_TUNNEL_PATH] = "path", [NFT_TUNNEL_ID] = "id" };

static void tunnel_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "tunnel load %s => reg %u",
		NFK_NAME(tunnel_keys, nfk_e_u32(e, NFTA_TUNNEL_KEY), "unknown"),
		nfk_e_u32(e, NFTA_TUNNEL_DREG));
}

const struct nfk_expr_type nfk_expr_tunnel = { .name = "tunnel", .schema = &tunnel_schema, .print = tunnel_print };
