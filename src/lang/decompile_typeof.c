// SPDX-License-Identifier: MIT
/*
 * `typeof` of sets and maps: nft keeps the expressions a set was declared
 * with in the set's userdata (NFTA_SET_USERDATA, KEY_TYPEOF/DATA_TYPEOF),
 * as nested TLVs: attribute 0 is nft's expression kind, attribute 1 its
 * description (payload: protocol and field numbers, meta: key, ...).
 * Observed facts, recorded here as tables: nft numbers its expression
 * kinds and protocol descriptions as below, and a payload's field number
 * is its 1-based position in the header (the order of proto.c's tables).
 */
#include <string.h>

#include "decompile.h"

/* nft's expression kinds as stored in the userdata */
enum {
	TY_VERDICT = 1, TY_PAYLOAD = 7, TY_EXTHDR = 8, TY_META = 9, TY_SOCKET = 10,
	TY_OSF = 11, TY_CT = 12, TY_CONCAT = 13, TY_NUMGEN = 23, TY_RT = 25, TY_XFRM = 27,
};

/* nft's protocol description numbers -> header names */
static const char *const proto_ids[] = {
	[1] = "ah", [2] = "esp", [3] = "comp", [4] = "icmp", [5] = "igmp", [6] = "udp",
	[7] = "udplite", [8] = "tcp", [9] = "dccp", [10] = "sctp", [11] = "th", [12] = "ip",
	[13] = "ip6", [14] = "icmpv6", [15] = "arp", [16] = "vlan", [17] = "ether",
};

/* IPv6 extension header description numbers -> names */
static const char *const ip6x_ids[] = {
	[1] = "hbh", [2] = "rt", [6] = "frag", [7] = "dst", [8] = "mh",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define UD_MAX 16

/* Indexes the TLVs of a nested udata value; false when malformed. */
static bool ud_index(const uint8_t *p, size_t len, const uint8_t **v, uint8_t *l)
{
	memset(v, 0, UD_MAX * sizeof(*v));
	while (len) {
		if (len < 2 || (size_t)p[1] + 2 > len)
			return false;
		if (p[0] < UD_MAX) {
			v[p[0]] = p + 2;
			l[p[0]] = p[1];
		}
		len -= (size_t)p[1] + 2;
		p += p[1] + 2;
	}
	return true;
}

static bool ud_u32(const uint8_t *const *v, const uint8_t *l, unsigned i, uint32_t *out)
{
	if (!v[i] || l[i] != 4)
		return false;
	memcpy(out, v[i], 4);
	return true;
}

static bool print_one(FILE *f, const uint8_t *p, size_t len, unsigned depth);

/* Where nft numbers a header's fields differently from proto.c's order. */
static const struct {
	const char *proto;
	unsigned field;
	const char *name;
} field_renames[] = {
	{ "igmp", 2, "checksum" }, { "igmp", 3, "mrt" }, { "icmpv6", 5, "mtu" },
};

static bool print_payload(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	uint32_t desc, field;
	const struct nfk_proto *pr;
	unsigned n = 0;

	if (!ud_u32(v, l, 0, &desc) || !ud_u32(v, l, 1, &field) || desc >= NELEM(proto_ids) ||
	    !proto_ids[desc] || !(pr = nfk_proto_by_name(proto_ids[desc])) || !field)
		return false;
	for (size_t i = 0; i < NELEM(field_renames); i++) {
		if (field_renames[i].field == field && !strcmp(field_renames[i].proto, pr->name)) {
			fprintf(f, "%s %s", pr->name, field_renames[i].name);
			return true;
		}
	}
	while (pr->fields[n].name && n + 1 < field)
		n++;
	if (!pr->fields[n].name || n + 1 != field)
		return false;
	fprintf(f, "%s %s", pr->name, pr->fields[n].name);
	return true;
}

static const char *const xprefix[] = {
	[NFT_EXTHDR_OP_TCPOPT] = "tcp option ", [NFT_EXTHDR_OP_IPV4] = "ip option ",
	[NFT_EXTHDR_OP_SCTP] = "sctp chunk ",
};

static bool print_exthdr(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	uint32_t desc, field, op = NFT_EXTHDR_OP_IPV6;
	const struct nfk_exthdr *x;
	unsigned n = 0;

	if (!ud_u32(v, l, 0, &desc) || !ud_u32(v, l, 1, &field))
		return false;
	ud_u32(v, l, 2, &op);
	if (op == NFT_EXTHDR_OP_IPV6) {
		/* the IPv6 tables start with an unused field 0 */
		if (desc >= NELEM(ip6x_ids) || !ip6x_ids[desc] || !field ||
		    !(x = nfk_exthdr_by_name(op, ip6x_ids[desc])))
			return false;
		field--;
	} else if (op < NELEM(xprefix) && xprefix[op]) {
		/* options and chunks: their type, and a 0-based field */
		if (!(x = nfk_exthdr_by_type(op, desc)))
			return false;
	} else {
		return false;
	}
	if (op == NFT_EXTHDR_OP_IPV4) {
		/* ip options number their fields across all options */
		static const char *const ipopt_fields[] = {
			[1] = "type", [2] = "length", [3] = "value", [4] = "ptr", [5] = "addr",
		};

		if (field >= NELEM(ipopt_fields) || !ipopt_fields[field])
			return false;
		fprintf(f, "ip option %s %s", x->name, ipopt_fields[field]);
		return true;
	}
	if (op == NFT_EXTHDR_OP_TCPOPT && desc == 5 && field >= 2) {
		/* the sack blocks' edges follow each other: left, right, left1... */
		unsigned blk = (field - 2) / 2;

		if (blk > 3)
			return false;
		if (blk)
			fprintf(f, "tcp option sack%u %s", blk, field % 2 ? "right" : "left");
		else
			fprintf(f, "tcp option sack %s", field % 2 ? "right" : "left");
		return true;
	}
	while (x->fields[n].name && n < field)
		n++;
	if (!x->fields[n].name)
		return false;
	fprintf(f, "%s%s %s", op < NELEM(xprefix) && xprefix[op] ? xprefix[op] : "", x->name,
		x->fields[n].name);
	return true;
}

static bool print_meta(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	uint32_t key;
	const struct nfk_key *k;

	if (!ud_u32(v, l, 0, &key) || !(k = nfk_meta_key_by_num(key)))
		return false;
	fprintf(f, "%s%s", k->flags & NFK_KEY_PRINT_BARE ? "" : "meta ", k->name);
	return true;
}

static bool print_ct(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	uint32_t key, dir = UINT32_MAX;
	const struct nfk_key *k;

	if (!ud_u32(v, l, 0, &key) || !(k = nfk_ct_key_by_num(key)))
		return false;
	ud_u32(v, l, 1, &dir);
	fprintf(f, "ct %s%s", dir == 0 ? "original " : dir == 1 ? "reply " : "", k->name);
	return true;
}

static bool print_osf(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	(void)l;
	(void)v;
	fputs("osf name", f);
	return true;
}

static bool print_numgen(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	uint32_t type, mod, off = 0;

	if (!ud_u32(v, l, 0, &type) || !ud_u32(v, l, 1, &mod))
		return false;
	ud_u32(v, l, 2, &off);
	fprintf(f, "numgen %s mod %u", type == NFT_NG_RANDOM ? "random" : "inc", mod);
	if (off)
		fprintf(f, " offset %u", off);
	return true;
}

static bool print_rt(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	static const char *const keys[] = {
		[NFT_RT_CLASSID] = "classid", [NFT_RT_NEXTHOP4] = "ip nexthop",
		[NFT_RT_NEXTHOP6] = "ip6 nexthop", [NFT_RT_TCPMSS] = "mtu", [NFT_RT_XFRM] = "ipsec",
	};
	uint32_t key;

	if (!ud_u32(v, l, 0, &key) || key >= NELEM(keys) || !keys[key])
		return false;
	fprintf(f, "rt %s", keys[key]);
	return true;
}

static bool print_xfrm(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	static const char *const keys[] = {
		[NFT_XFRM_KEY_DADDR_IP4] = "ip daddr", [NFT_XFRM_KEY_DADDR_IP6] = "ip6 daddr",
		[NFT_XFRM_KEY_SADDR_IP4] = "ip saddr", [NFT_XFRM_KEY_SADDR_IP6] = "ip6 saddr",
		[NFT_XFRM_KEY_REQID] = "reqid", [NFT_XFRM_KEY_SPI] = "spi",
	};
	uint32_t key, spnum = 0, dir = 0;

	if (!ud_u32(v, l, 0, &key) || key >= NELEM(keys) || !keys[key])
		return false;
	ud_u32(v, l, 1, &spnum);
	ud_u32(v, l, 2, &dir);
	fprintf(f, "ipsec %s", dir ? "out" : "in");
	if (spnum)
		fprintf(f, " spnum %u", spnum);
	fprintf(f, " %s", keys[key]);
	return true;
}

static bool print_socket(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	static const char *const keys[] = {
		[NFT_SOCKET_TRANSPARENT] = "transparent", [NFT_SOCKET_MARK] = "mark",
		[NFT_SOCKET_WILDCARD] = "wildcard", [NFT_SOCKET_CGROUPV2] = "cgroupv2",
	};
	uint32_t key, level = 0;

	if (!ud_u32(v, l, 0, &key) || key >= NELEM(keys) || !keys[key])
		return false;
	fprintf(f, "socket %s", keys[key]);
	if (key == NFT_SOCKET_CGROUPV2 && ud_u32(v, l, 1, &level))
		fprintf(f, " level %u", level);
	return true;
}

static bool print_verdict(FILE *f, const uint8_t *const *v, const uint8_t *l)
{
	(void)l;
	(void)v;
	fputs("verdict", f);
	return true;
}

static const struct {
	unsigned type;
	bool (*fn)(FILE *f, const uint8_t *const *v, const uint8_t *l);
} kinds[] = {
	{ TY_PAYLOAD, print_payload }, { TY_EXTHDR, print_exthdr }, { TY_META, print_meta },
	{ TY_CT, print_ct }, { TY_OSF, print_osf }, { TY_NUMGEN, print_numgen },
	{ TY_RT, print_rt }, { TY_XFRM, print_xfrm }, { TY_SOCKET, print_socket },
	{ TY_VERDICT, print_verdict },
};

/* One expression: attribute 0 its kind, attribute 1 its description. */
static bool print_one(FILE *f, const uint8_t *p, size_t len, unsigned depth)
{
	const uint8_t *v[UD_MAX], *d[UD_MAX];
	uint8_t l[UD_MAX], dl[UD_MAX];
	uint32_t type;

	if (depth > 2 || !ud_index(p, len, v, l) || !ud_u32(v, l, 0, &type))
		return false;
	if (!ud_index(v[1] ? v[1] : p, v[1] ? l[1] : 0, d, dl))
		return false;
	if (type == TY_CONCAT) {
		/* the members, attributes 0, 1, ... of the description */
		for (unsigned i = 0; i < UD_MAX && d[i]; i++) {
			if (i)
				fputs(" . ", f);
			if (!print_one(f, d[i], dl[i], depth + 1))
				return false;
		}
		return d[0] != NULL;
	}
	for (size_t i = 0; i < NELEM(kinds); i++)
		if (kinds[i].type == type)
			return kinds[i].fn(f, d, dl);
	return false;
}

bool ks_print_typeof(FILE *f, const uint8_t *udata, size_t ulen, bool data)
{
	size_t len;
	const uint8_t *p = ks_udata_get(udata, ulen, data ? KS_UDATA_SET_DATA_TYPEOF :
					KS_UDATA_SET_KEY_TYPEOF, &len);
	char buf[512];
	FILE *m;
	bool ok;

	if (!p)
		return false;
	/* render aside: nothing is printed unless all of it is understood */
	m = fmemopen(buf, sizeof(buf), "w");
	if (!m)
		return false;
	ok = print_one(m, p, len, 0);
	fputc(0, m);
	fclose(m);
	buf[sizeof(buf) - 1] = 0;
	if (ok)
		fputs(buf, f);
	return ok;
}

bool ks_typeof_raw(const uint8_t *udata, size_t ulen)
{
	const uint8_t *v[UD_MAX], *d[UD_MAX];
	uint8_t l[UD_MAX], dl[UD_MAX];
	uint32_t type, desc;
	size_t len;
	const uint8_t *p = ks_udata_get(udata, ulen, KS_UDATA_SET_KEY_TYPEOF, &len);

	if (!p || !ud_index(p, len, v, l) || !ud_u32(v, l, 0, &type) || type != TY_PAYLOAD ||
	    !v[1] || !ud_index(v[1], l[1], d, dl) || !ud_u32(d, dl, 0, &desc))
		return false;
	return desc == 0;
}
