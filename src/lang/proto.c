/* SPDX-License-Identifier: MIT */
/*
 * Protocol headers nft 1.0.6 can match on, one field per line: offsets and
 * lengths in bits from the start of the header, as `man nft` (PAYLOAD
 * EXPRESSIONS) and `nft describe` give them.
 */
#include <string.h>

#include "types.h"

#define DT(ID) (&nfk_dtypes[NFK_TYPE_##ID])
#define F(name, off, bits, ID) { name, off, bits, DT(ID), NFK_BO_BIG }
#define FEND { NULL, 0, 0, NULL, NFK_BO_INVALID }

static const struct nfk_hdr_field ether_fields[] = {
	F("daddr", 0, 48, ETHERADDR),
	F("saddr", 48, 48, ETHERADDR),
	F("type", 96, 16, ETHERTYPE),
	FEND,
};

static const struct nfk_hdr_field vlan_fields[] = {
	F("pcp", 0, 3, INTEGER),
	F("dei", 3, 1, INTEGER),
	F("cfi", 3, 1, INTEGER),
	F("id", 4, 12, INTEGER),
	F("type", 16, 16, ETHERTYPE),
	FEND,
};

static const struct nfk_hdr_field arp_fields[] = {
	F("htype", 0, 16, INTEGER),
	F("ptype", 16, 16, ETHERTYPE),
	F("hlen", 32, 8, INTEGER),
	F("plen", 40, 8, INTEGER),
	F("operation", 48, 16, ARPOP),
	/* the Ethernet/IPv4 layout nft assumes */
	F("saddr ether", 64, 48, ETHERADDR),
	F("saddr ip", 112, 32, IPADDR),
	F("daddr ether", 144, 48, ETHERADDR),
	F("daddr ip", 192, 32, IPADDR),
	FEND,
};

static const struct nfk_hdr_field ip_fields[] = {
	F("version", 0, 4, INTEGER),
	F("hdrlength", 4, 4, INTEGER),
	F("dscp", 8, 6, DSCP),
	F("ecn", 14, 2, ECN),
	F("length", 16, 16, INTEGER),
	F("id", 32, 16, INTEGER),
	F("frag-off", 48, 16, INTEGER),
	F("ttl", 64, 8, INTEGER),
	F("protocol", 72, 8, INET_PROTOCOL),
	F("checksum", 80, 16, INTEGER),
	F("saddr", 96, 32, IPADDR),
	F("daddr", 128, 32, IPADDR),
	FEND,
};

static const struct nfk_hdr_field icmp_fields[] = {
	F("type", 0, 8, ICMP_TYPE),
	F("code", 8, 8, ICMP_CODE),
	F("checksum", 16, 16, INTEGER),
	F("id", 32, 16, INTEGER),
	F("sequence", 48, 16, INTEGER),
	F("gateway", 32, 32, INTEGER),
	F("mtu", 48, 16, INTEGER),
	FEND,
};

static const struct nfk_hdr_field igmp_fields[] = {
	F("type", 0, 8, IGMP_TYPE),
	F("mrt", 8, 8, INTEGER),
	F("checksum", 16, 16, INTEGER),
	F("group", 32, 32, INTEGER),
	FEND,
};

static const struct nfk_hdr_field ip6_fields[] = {
	F("version", 0, 4, INTEGER),
	F("dscp", 4, 6, DSCP),
	F("ecn", 10, 2, ECN),
	F("flowlabel", 12, 20, INTEGER),
	F("length", 32, 16, INTEGER),
	F("nexthdr", 48, 8, INET_PROTOCOL),
	F("hoplimit", 56, 8, INTEGER),
	F("saddr", 64, 128, IP6ADDR),
	F("daddr", 192, 128, IP6ADDR),
	FEND,
};

static const struct nfk_hdr_field icmp6_fields[] = {
	F("type", 0, 8, ICMP6_TYPE),
	F("code", 8, 8, ICMPV6_CODE),
	F("checksum", 16, 16, INTEGER),
	F("parameter-problem", 32, 32, INTEGER),
	F("packet-too-big", 32, 32, INTEGER),
	F("id", 32, 16, INTEGER),
	F("sequence", 48, 16, INTEGER),
	F("max-delay", 32, 16, INTEGER),
	F("mtu", 32, 32, INTEGER),
	FEND,
};

static const struct nfk_hdr_field tcp_fields[] = {
	F("sport", 0, 16, INET_SERVICE),
	F("dport", 16, 16, INET_SERVICE),
	F("sequence", 32, 32, INTEGER),
	F("ackseq", 64, 32, INTEGER),
	F("doff", 96, 4, INTEGER),
	F("reserved", 100, 4, INTEGER),
	F("flags", 104, 8, TCP_FLAG),
	F("window", 112, 16, INTEGER),
	F("checksum", 128, 16, INTEGER),
	F("urgptr", 144, 16, INTEGER),
	FEND,
};

static const struct nfk_hdr_field udp_fields[] = {
	F("sport", 0, 16, INET_SERVICE),
	F("dport", 16, 16, INET_SERVICE),
	F("length", 32, 16, INTEGER),
	F("checksum", 48, 16, INTEGER),
	FEND,
};

static const struct nfk_hdr_field udplite_fields[] = {
	F("sport", 0, 16, INET_SERVICE),
	F("dport", 16, 16, INET_SERVICE),
	F("csumcov", 32, 16, INTEGER),
	F("checksum", 48, 16, INTEGER),
	FEND,
};

static const struct nfk_hdr_field sctp_fields[] = {
	F("sport", 0, 16, INET_SERVICE),
	F("dport", 16, 16, INET_SERVICE),
	F("vtag", 32, 32, INTEGER),
	F("checksum", 64, 32, INTEGER),
	FEND,
};

static const struct nfk_hdr_field dccp_fields[] = {
	F("sport", 0, 16, INET_SERVICE),
	F("dport", 16, 16, INET_SERVICE),
	F("type", 67, 4, DCCP_PKTTYPE),
	FEND,
};

static const struct nfk_hdr_field ah_fields[] = {
	F("nexthdr", 0, 8, INET_PROTOCOL),
	F("hdrlength", 8, 8, INTEGER),
	F("reserved", 16, 16, INTEGER),
	F("spi", 32, 32, INTEGER),
	F("sequence", 64, 32, INTEGER),
	FEND,
};

static const struct nfk_hdr_field esp_fields[] = {
	F("spi", 0, 32, INTEGER),
	F("sequence", 32, 32, INTEGER),
	FEND,
};

static const struct nfk_hdr_field comp_fields[] = {
	F("nexthdr", 0, 8, INET_PROTOCOL),
	F("flags", 8, 8, BITMASK),
	F("cpi", 16, 16, INTEGER),
	FEND,
};

static const struct nfk_hdr_field th_fields[] = {
	F("sport", 0, 16, INET_SERVICE),
	F("dport", 16, 16, INET_SERVICE),
	FEND,
};

/* NFPROTO_* values, spelled out to keep this file free of kernel headers. */
enum { NFP_ARP = 3, NFP_IPV4 = 2, NFP_IPV6 = 10 };

/* name, base, fields, l4num, ethertype, nfproto, header bits.  For a
 * transport header nfproto is the network layer it implies (icmp: IPv4),
 * 0 when any will do. */
const struct nfk_proto nfk_protos[] = {
	{ "ether", NFK_BASE_LL, ether_fields, 0, 0, 0, 112 },
	{ "vlan", NFK_BASE_LL, vlan_fields, 0, 0x8100, 0, 32 },
	{ "arp", NFK_BASE_NETWORK, arp_fields, 0, 0x0806, NFP_ARP, 224 },
	{ "ip", NFK_BASE_NETWORK, ip_fields, 0, 0x0800, NFP_IPV4, 160 },
	{ "ip6", NFK_BASE_NETWORK, ip6_fields, 0, 0x86dd, NFP_IPV6, 320 },
	{ "icmp", NFK_BASE_TRANSPORT, icmp_fields, 1, 0, NFP_IPV4, 64 },
	{ "igmp", NFK_BASE_TRANSPORT, igmp_fields, 2, 0, NFP_IPV4, 64 },
	{ "icmpv6", NFK_BASE_TRANSPORT, icmp6_fields, 58, 0, NFP_IPV6, 64 },
	{ "tcp", NFK_BASE_TRANSPORT, tcp_fields, 6, 0, 0, 160 },
	{ "udp", NFK_BASE_TRANSPORT, udp_fields, 17, 0, 0, 64 },
	{ "udplite", NFK_BASE_TRANSPORT, udplite_fields, 136, 0, 0, 64 },
	{ "sctp", NFK_BASE_TRANSPORT, sctp_fields, 132, 0, 0, 96 },
	{ "dccp", NFK_BASE_TRANSPORT, dccp_fields, 33, 0, 0, 128 },
	{ "ah", NFK_BASE_TRANSPORT, ah_fields, 51, 0, 0, 96 },
	{ "esp", NFK_BASE_TRANSPORT, esp_fields, 50, 0, 0, 64 },
	{ "comp", NFK_BASE_TRANSPORT, comp_fields, 108, 0, 0, 32 },
	/* any transport header with ports: no protocol dependency */
	{ "th", NFK_BASE_TRANSPORT, th_fields, 0, 0, 0, 32 },
	{ NULL, 0, NULL, 0, 0, 0, 0 },
};

const struct nfk_proto *nfk_proto_by_name(const char *name)
{
	for (const struct nfk_proto *p = nfk_protos; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

const struct nfk_hdr_field *nfk_proto_field(const struct nfk_proto *p, const char *name)
{
	/* The compiler asks for every field of every rule: a first-character
	 * check skips most strcmp calls. */
	for (const struct nfk_hdr_field *f = p->fields; f->name; f++)
		if (f->name[0] == name[0] && !strcmp(f->name, name))
			return f;
	return NULL;
}

const struct nfk_hdr_field *nfk_proto_field_at(const struct nfk_proto *p, unsigned offset,
					       unsigned bits)
{
	for (const struct nfk_hdr_field *f = p->fields; f->name; f++)
		if (f->offset == offset && f->bits == bits)
			return f;
	return NULL;
}

const struct nfk_proto *nfk_proto_by_l4num(unsigned l4num)
{
	for (const struct nfk_proto *p = nfk_protos; p->name; p++)
		if (p->base == NFK_BASE_TRANSPORT && p->l4num == l4num && l4num)
			return p;
	return NULL;
}

const struct nfk_proto *nfk_proto_by_ethertype(unsigned ethertype)
{
	for (const struct nfk_proto *p = nfk_protos; p->name; p++)
		if (p->ethertype == ethertype && ethertype)
			return p;
	return NULL;
}

const struct nfk_proto *nfk_proto_at(enum nfk_base base, unsigned l3_nfproto, unsigned l4num,
				     unsigned ll_ethertype)
{
	const struct nfk_proto *p;

	switch (base) {
	case NFK_BASE_LL:
		return nfk_proto_by_name("ether");
	case NFK_BASE_NETWORK:
		for (p = nfk_protos; p->name; p++)
			if (p->base == NFK_BASE_NETWORK && l3_nfproto && p->nfproto == l3_nfproto)
				return p;
		p = nfk_proto_by_ethertype(ll_ethertype);
		return p && p->base == NFK_BASE_NETWORK ? p : NULL;
	case NFK_BASE_TRANSPORT:
		p = nfk_proto_by_l4num(l4num);
		return p ? p : nfk_proto_by_name("th");
	default:
		return NULL;
	}
}
