// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field ct_fields[] = {
	F(NFTA_CT_DREG, "dreg", NFK_BE32),
	F(NFTA_CT_KEY, "key", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_CT_DIRECTION, "direction", NFK_U8),
	F(NFTA_CT_SREG, "sreg", NFK_BE32),
};
static const struct nfk_schema ct_schema = NFK_SCHEMA("ct", ct_fields);

/* libnftnl 1.2.4 knows keys up to dst_ip6: "ct id" prints as unknown. */
static const char *const ct_keys[] = {
	[NFT_CT_STATE] = "state", [NFT_CT_DIRECTION] = "direction",
	[NFT_CT_STATUS] = "status", [NFT_CT_MARK] = "mark",
	[NFT_CT_SECMARK] = "secmark", [NFT_CT_EXPIRATION] = "expiration",
	[NFT_CT_HELPER] = "helper", [NFT_CT_L3PROTOCOL] = "l3protocol",
	[NFT_CT_SRC] = "src", [NFT_CT_DST] = "dst",
	[NFT_CT_PROTOCOL] = "protocol", [NFT_CT_PROTO_SRC] = "proto_src",
	[NFT_CT_PROTO_DST] = "proto_dst", [NFT_CT_LABELS] = "label",
	[NFT_CT_PKTS] = "packets", [NFT_CT_BYTES] = "bytes",
	[NFT_CT_AVGPKT] = "avgpkt", [NFT_CT_ZONE] = "zone",
	[NFT_CT_EVENTMASK] = "event", [NFT_CT_SRC_IP] = "src_ip",
	[NFT_CT_DST_IP] = "dst_ip", [NFT_CT_SRC_IP6] = "src_ip6",
	[NFT_CT_DST_IP6] = "dst_ip6",
};

/* Indexed by enum ip_conntrack_dir, which uapi does not export. */
static const char *const ct_dirs[] = { "original", "reply" };

static void ct_print(FILE *f, const struct nfk_expr *e)
{
	const char *key = NFK_NAME(ct_keys, nfk_e_u32(e, NFTA_CT_KEY), "unknown");

	if (nfk_e_has(e, NFTA_CT_SREG))
		fprintf(f, "ct set %s with reg %u", key, nfk_e_u32(e, NFTA_CT_SREG));
	else
		fprintf(f, "ct load %s => reg %u", key, nfk_e_u32(e, NFTA_CT_DREG));
	if (nfk_e_has(e, NFTA_CT_DIRECTION))
		fprintf(f, " , dir %s", NFK_NAME(ct_dirs, nfk_e_u32(e, NFTA_CT_DIRECTION), "unknown"));
}

const struct nfk_expr_type nfk_expr_ct = { .name = "ct", .schema = &ct_schema, .print = ct_print };
