// SPDX-License-Identifier: MIT
/*
 * IPv6 extension headers, TCP options, IPv4 options and SCTP chunks as nft
 * names them (`man nft`, EXTENSION HEADER EXPRESSIONS): one line per
 * field, offsets and lengths in bits from the start of the header.
 */
#include <string.h>
#include <linux/netfilter/nf_tables.h>

#include "types.h"

#define DT(ID) (&nfk_dtypes[NFK_TYPE_##ID])
#define F(name, off, bits, ID) { name, off, bits, DT(ID), NFK_BO_BIG }
#define FEND { NULL, 0, 0, NULL, NFK_BO_INVALID }

/* ---- IPv6 extension headers ---- */
static const struct nfk_hdr_field hbh_fields[] = {
	F("nexthdr", 0, 8, INET_PROTOCOL), F("hdrlength", 8, 8, INTEGER), FEND,
};
static const struct nfk_hdr_field rt_fields[] = {
	F("nexthdr", 0, 8, INET_PROTOCOL), F("hdrlength", 8, 8, INTEGER),
	F("type", 16, 8, INTEGER), F("seg-left", 24, 8, INTEGER), FEND,
};
static const struct nfk_hdr_field frag_fields[] = {
	F("nexthdr", 0, 8, INET_PROTOCOL), F("reserved", 8, 8, INTEGER),
	F("frag-off", 16, 13, INTEGER), F("reserved2", 29, 2, INTEGER),
	F("more-fragments", 31, 1, INTEGER), F("id", 32, 32, INTEGER), FEND,
};
static const struct nfk_hdr_field mh_fields[] = {
	F("nexthdr", 0, 8, INET_PROTOCOL), F("hdrlength", 8, 8, INTEGER),
	F("type", 16, 8, MH_TYPE), F("reserved", 24, 8, INTEGER),
	F("checksum", 32, 16, INTEGER), FEND,
};

/* ---- TCP options ---- */
static const struct nfk_hdr_field opt_kind_fields[] = {
	F("kind", 0, 8, INTEGER), FEND,
};
static const struct nfk_hdr_field opt_len_fields[] = {
	F("kind", 0, 8, INTEGER), F("length", 8, 8, INTEGER), FEND,
};
static const struct nfk_hdr_field maxseg_fields[] = {
	F("kind", 0, 8, INTEGER), F("length", 8, 8, INTEGER), F("size", 16, 16, INTEGER), FEND,
};
static const struct nfk_hdr_field window_fields[] = {
	F("kind", 0, 8, INTEGER), F("length", 8, 8, INTEGER), F("count", 16, 8, INTEGER), FEND,
};
#define SACK_FIELDS(n) \
	static const struct nfk_hdr_field sack##n##_fields[] = { \
		F("kind", 0, 8, INTEGER), F("length", 8, 8, INTEGER), \
		F("left", 16 + 64 * n, 32, INTEGER), F("right", 48 + 64 * n, 32, INTEGER), FEND, \
	};
SACK_FIELDS(0)
SACK_FIELDS(1)
SACK_FIELDS(2)
SACK_FIELDS(3)
static const struct nfk_hdr_field ts_fields[] = {
	F("kind", 0, 8, INTEGER), F("length", 8, 8, INTEGER),
	F("tsval", 16, 32, INTEGER), F("tsecr", 48, 32, INTEGER), FEND,
};
static const struct nfk_hdr_field mptcp_fields[] = {
	F("kind", 0, 8, INTEGER), F("length", 8, 8, INTEGER), F("subtype", 16, 4, INTEGER), FEND,
};

/* ---- IPv4 options ---- */
static const struct nfk_hdr_field ipopt_rr_fields[] = {
	F("type", 0, 8, INTEGER), F("length", 8, 8, INTEGER), F("ptr", 16, 8, INTEGER),
	F("addr", 24, 32, IPADDR), FEND,
};
static const struct nfk_hdr_field ipopt_ra_fields[] = {
	F("type", 0, 8, INTEGER), F("length", 8, 8, INTEGER), F("value", 16, 16, INTEGER), FEND,
};

/* ---- SCTP chunks ---- */
#define CHUNK_COMMON F("type", 0, 8, INTEGER), F("flags", 8, 8, INTEGER), F("length", 16, 16, INTEGER)
static const struct nfk_hdr_field chunk_fields[] = { CHUNK_COMMON, FEND };
static const struct nfk_hdr_field chunk_data_fields[] = {
	CHUNK_COMMON, F("tsn", 32, 32, INTEGER), F("stream", 64, 16, INTEGER),
	F("ssn", 80, 16, INTEGER), F("ppid", 96, 32, INTEGER), FEND,
};
static const struct nfk_hdr_field chunk_init_fields[] = {
	CHUNK_COMMON, F("init-tag", 32, 32, INTEGER), F("a-rwnd", 64, 32, INTEGER),
	F("num-outbound-streams", 96, 16, INTEGER), F("num-inbound-streams", 112, 16, INTEGER),
	F("initial-tsn", 128, 32, INTEGER), FEND,
};
static const struct nfk_hdr_field chunk_sack_fields[] = {
	CHUNK_COMMON, F("cum-tsn-ack", 32, 32, INTEGER), F("a-rwnd", 64, 32, INTEGER),
	F("num-gap-ack-blocks", 96, 16, INTEGER), F("num-dup-tsns", 112, 16, INTEGER), FEND,
};
static const struct nfk_hdr_field chunk_shutdown_fields[] = {
	CHUNK_COMMON, F("cum-tsn-ack", 32, 32, INTEGER), FEND,
};
static const struct nfk_hdr_field chunk_tsn_fields[] = {
	CHUNK_COMMON, F("lowest-tsn", 32, 32, INTEGER), FEND,
};
static const struct nfk_hdr_field chunk_seqno_fields[] = {
	CHUNK_COMMON, F("seqno", 32, 32, INTEGER), FEND,
};
static const struct nfk_hdr_field chunk_fwd_fields[] = {
	CHUNK_COMMON, F("new-cum-tsn", 32, 32, INTEGER), FEND,
};

#define V6 NFT_EXTHDR_OP_IPV6
#define TO NFT_EXTHDR_OP_TCPOPT
#define V4 NFT_EXTHDR_OP_IPV4
#define SC NFT_EXTHDR_OP_SCTP

static const struct nfk_exthdr exthdrs[] = {
	{ "hbh", V6, 0, hbh_fields }, { "rt", V6, 43, rt_fields },
	{ "frag", V6, 44, frag_fields }, { "dst", V6, 60, hbh_fields },
	{ "mh", V6, 135, mh_fields },

	{ "eol", TO, 0, opt_kind_fields }, { "nop", TO, 1, opt_kind_fields },
	{ "maxseg", TO, 2, maxseg_fields }, { "window", TO, 3, window_fields },
	{ "sack-perm", TO, 4, opt_len_fields }, { "sack", TO, 5, sack0_fields },
	{ "sack0", TO, 5, sack0_fields }, { "sack1", TO, 5, sack1_fields },
	{ "sack2", TO, 5, sack2_fields }, { "sack3", TO, 5, sack3_fields },
	{ "timestamp", TO, 8, ts_fields }, { "md5sig", TO, 19, opt_len_fields },
	{ "mptcp", TO, 30, mptcp_fields }, { "fastopen", TO, 34, opt_len_fields },

	{ "lsrr", V4, 131, ipopt_rr_fields }, { "rr", V4, 7, ipopt_rr_fields },
	{ "ssrr", V4, 137, ipopt_rr_fields }, { "ra", V4, 148, ipopt_ra_fields },

	{ "data", SC, 0, chunk_data_fields }, { "init", SC, 1, chunk_init_fields },
	{ "init-ack", SC, 2, chunk_init_fields }, { "sack", SC, 3, chunk_sack_fields },
	{ "heartbeat", SC, 4, chunk_fields }, { "heartbeat-ack", SC, 5, chunk_fields },
	{ "abort", SC, 6, chunk_fields }, { "shutdown", SC, 7, chunk_shutdown_fields },
	{ "shutdown-ack", SC, 8, chunk_fields }, { "error", SC, 9, chunk_fields },
	{ "cookie-echo", SC, 10, chunk_fields }, { "cookie-ack", SC, 11, chunk_fields },
	{ "ecne", SC, 12, chunk_tsn_fields }, { "cwr", SC, 13, chunk_tsn_fields },
	{ "shutdown-complete", SC, 14, chunk_fields }, { "asconf-ack", SC, 128, chunk_seqno_fields },
	{ "forward-tsn", SC, 192, chunk_fwd_fields }, { "asconf", SC, 193, chunk_seqno_fields },
	{ NULL, 0, 0, NULL },
};

const struct nfk_exthdr *nfk_exthdr_by_name(unsigned op, const char *name)
{
	for (const struct nfk_exthdr *x = exthdrs; x->name; x++)
		if (x->op == op && !strcmp(x->name, name))
			return x;
	return NULL;
}

const struct nfk_exthdr *nfk_exthdr_by_type(unsigned op, unsigned type)
{
	for (const struct nfk_exthdr *x = exthdrs; x->name; x++)
		if (x->op == op && x->type == type)
			return x;
	return NULL;
}

const struct nfk_exthdr *nfk_exthdr_field_at(unsigned op, unsigned type, unsigned offset,
					     unsigned bits, const struct nfk_hdr_field **field)
{
	for (const struct nfk_exthdr *x = exthdrs; x->name; x++) {
		if (x->op != op || x->type != type)
			continue;
		for (const struct nfk_hdr_field *f = x->fields; f->name; f++)
			if (f->offset == offset && f->bits == bits) {
				*field = f;
				return x;
			}
	}
	return NULL;
}
