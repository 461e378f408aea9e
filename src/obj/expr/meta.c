// SPDX-License-Identifier: MIT
#include "expr.h"

static const struct nfk_field meta_fields[] = {
	F(NFTA_META_DREG, "dreg", NFK_BE32),
	F(NFTA_META_KEY, "key", NFK_BE32, .flags = NFK_F_REQUIRED),
	F(NFTA_META_SREG, "sreg", NFK_BE32),
};
static const struct nfk_schema meta_schema = NFK_SCHEMA("meta", meta_fields);

static const char *const meta_keys[] = {
	[NFT_META_LEN] = "len", [NFT_META_PROTOCOL] = "protocol",
	[NFT_META_PRIORITY] = "priority", [NFT_META_MARK] = "mark",
	[NFT_META_IIF] = "iif", [NFT_META_OIF] = "oif",
	[NFT_META_IIFNAME] = "iifname", [NFT_META_OIFNAME] = "oifname",
	[NFT_META_IIFTYPE] = "iiftype", [NFT_META_OIFTYPE] = "oiftype",
	[NFT_META_SKUID] = "skuid", [NFT_META_SKGID] = "skgid",
	[NFT_META_NFTRACE] = "nftrace", [NFT_META_RTCLASSID] = "rtclassid",
	[NFT_META_SECMARK] = "secmark", [NFT_META_NFPROTO] = "nfproto",
	[NFT_META_L4PROTO] = "l4proto", [NFT_META_BRI_IIFNAME] = "bri_iifname",
	[NFT_META_BRI_OIFNAME] = "bri_oifname", [NFT_META_PKTTYPE] = "pkttype",
	[NFT_META_CPU] = "cpu", [NFT_META_IIFGROUP] = "iifgroup",
	[NFT_META_OIFGROUP] = "oifgroup", [NFT_META_CGROUP] = "cgroup",
	[NFT_META_PRANDOM] = "prandom", [NFT_META_SECPATH] = "secpath",
	[NFT_META_IIFKIND] = "iifkind", [NFT_META_OIFKIND] = "oifkind",
	[NFT_META_BRI_IIFPVID] = "bri_iifpvid", [NFT_META_BRI_IIFVPROTO] = "bri_iifvproto",
	[NFT_META_TIME_NS] = "time", [NFT_META_TIME_DAY] = "day",
	[NFT_META_TIME_HOUR] = "hour", [NFT_META_SDIF] = "sdif",
	[NFT_META_SDIFNAME] = "sdifname",
};

static void meta_print(FILE *f, const struct nfk_expr *e)
{
	const char *key = NFK_NAME(meta_keys, nfk_e_u32(e, NFTA_META_KEY), "unknown");

	if (nfk_e_has(e, NFTA_META_SREG))
		fprintf(f, "meta set %s with reg %u", key, nfk_e_u32(e, NFTA_META_SREG));
	else
		fprintf(f, "meta load %s => reg %u", key, nfk_e_u32(e, NFTA_META_DREG));
}

const struct nfk_expr_type nfk_expr_meta = { .name = "meta", .schema = &meta_schema, .print = meta_print };
