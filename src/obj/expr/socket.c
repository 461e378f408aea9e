// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field socket_fields[] = {
	F(NFTA_SOCKET_KEY, "key", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_SOCKET_DREG, "dreg", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_SOCKET_LEVEL, "level", NFK_BE32),
};
static const struct nfk_schema socket_schema = NFK_SCHEMA("socket", socket_fields);

static const char *const socket_keys[] = {
	[NFT_SOCKET_TRANSPARENT] = "transparent", [NFT_SOCKET_MARK] = "mark",
	[NFT_SOCKET_WILDCARD] = "wildcard", [NFT_SOCKET_CGROUPV2] = "cgroupv2",
};

/* The cgroupv2 level is not shown by libnftnl 1.2.4. */
static void socket_print(FILE *f, const struct nfk_expr *e)
{
	fprintf(f, "socket load %s => reg %u",
		NFK_NAME(socket_keys, nfk_e_u32(e, NFTA_SOCKET_KEY), "unknown"),
		nfk_e_u32(e, NFTA_SOCKET_DREG));
}

const struct nfk_expr_type nfk_expr_socket = { .name = "socket", .schema = &socket_schema, .print = socket_print };
