/* SPDX-License-Identifier: MIT */
/*
 * nft's datatypes as one table indexed by type id: name, size, byte order,
 * base type, symbols, and the parse/print functions of the few types that
 * are not "symbols over an integer".  Symbol values and names were taken
 * from `nft describe` of nftables 1.0.6.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "types.h"
#include "types_int.h"

#define S(n, v) { n, v }
#define SEND { NULL, 0 }

static const struct nfk_sym verdict_syms[] = {
	S("drop", 0), S("accept", 1), S("stolen", 2), S("queue", 3), S("repeat", 4),
	S("stop", 5),
	S("continue", 0xffffffffu), S("break", 0xfffffffeu), S("jump", 0xfffffffdu),
	S("goto", 0xfffffffcu), S("return", 0xfffffffbu), SEND,
};

static const struct nfk_sym nfproto_syms[] = {
	S("ipv4", 2), S("ipv6", 10), SEND,
};

static const struct nfk_sym ethertype_syms[] = {
	S("ip", 0x0800), S("arp", 0x0806), S("ip6", 0x86dd), S("8021q", 0x8100),
	S("8021ad", 0x88a8), S("vlan", 0x8100), SEND,
};

static const struct nfk_sym arpop_syms[] = {
	S("request", 1), S("reply", 2), S("rrequest", 3), S("rreply", 4),
	S("inrequest", 8), S("inreply", 9), S("nak", 10), SEND,
};

/* nft resolves these through /etc/protocols; this is Debian's netbase copy,
 * so listings do not depend on the machine. */
static const struct nfk_sym inet_proto_syms[] = {
	S("ip", 0), S("icmp", 1), S("igmp", 2), S("ggp", 3), S("ipencap", 4), S("st", 5),
	S("tcp", 6), S("egp", 8), S("igp", 9), S("pup", 12), S("udp", 17), S("hmp", 20),
	S("xns-idp", 22), S("rdp", 27), S("iso-tp4", 29), S("dccp", 33), S("xtp", 36),
	S("ddp", 37), S("idpr-cmtp", 38), S("ipv6", 41), S("ipv6-route", 43),
	S("ipv6-frag", 44), S("idrp", 45), S("rsvp", 46), S("gre", 47), S("esp", 50),
	S("ah", 51), S("skip", 57), S("ipv6-icmp", 58), S("ipv6-nonxt", 59),
	S("ipv6-opts", 60), S("rspf", 73), S("vmtp", 81), S("eigrp", 88), S("ospf", 89),
	S("ax.25", 93), S("ipip", 94), S("etherip", 97), S("encap", 98), S("pim", 103),
	S("ipcomp", 108), S("vrrp", 112), S("l2tp", 115), S("isis", 124), S("sctp", 132),
	S("fc", 133), S("mobility-header", 135), S("udplite", 136), S("mpls-in-ip", 137),
	S("manet", 138), S("hip", 139), S("shim6", 140), S("wesp", 141), S("rohc", 142),
	S("ethernet", 143), SEND,
};

static const struct nfk_sym icmp_type_syms[] = {
	S("echo-reply", 0), S("destination-unreachable", 3), S("source-quench", 4),
	S("redirect", 5), S("echo-request", 8), S("router-advertisement", 9),
	S("router-solicitation", 10), S("time-exceeded", 11), S("parameter-problem", 12),
	S("timestamp-request", 13), S("timestamp-reply", 14), S("info-request", 15),
	S("info-reply", 16), S("address-mask-request", 17), S("address-mask-reply", 18),
	SEND,
};

static const struct nfk_sym tcp_flag_syms[] = {
	S("fin", 0x01), S("syn", 0x02), S("rst", 0x04), S("psh", 0x08), S("ack", 0x10),
	S("urg", 0x20), S("ecn", 0x40), S("cwr", 0x80), SEND,
};

static const struct nfk_sym dccp_pkttype_syms[] = {
	S("request", 0), S("response", 1), S("data", 2), S("ack", 3), S("dataack", 4),
	S("closereq", 5), S("close", 6), S("reset", 7), S("sync", 8), S("syncack", 9),
	SEND,
};

static const struct nfk_sym mh_type_syms[] = {
	S("binding-refresh-request", 0), S("home-test-init", 1), S("careof-test-init", 2),
	S("home-test", 3), S("careof-test", 4), S("binding-update", 5),
	S("binding-acknowledgement", 6), S("binding-error", 7),
	S("fast-binding-update", 8), S("fast-binding-acknowledgement", 9),
	S("fast-binding-advertisement", 10), S("experimental-mobility-header", 11),
	S("home-agent-switch-message", 12), SEND,
};

static const struct nfk_sym arphrd_syms[] = {
	S("ether", 1), S("ppp", 512), S("ipip", 768), S("ipip6", 769), S("loopback", 772),
	S("sit", 776), S("ipgre", 778), SEND,
};

/* /etc/iproute2/rt_realms and group as shipped; nft quotes these names. */
static const struct nfk_sym realm_syms[] = {
	S("cosmos", 0), SEND,
};

static const struct nfk_sym devgroup_syms[] = {
	S("default", 0), SEND,
};

static const struct nfk_sym ct_state_syms[] = {
	S("invalid", 1), S("new", 8), S("established", 2), S("related", 4),
	S("untracked", 64), SEND,
};

static const struct nfk_sym ct_dir_syms[] = {
	S("original", 0), S("reply", 1), SEND,
};

static const struct nfk_sym ct_status_syms[] = {
	S("expected", 0x1), S("seen-reply", 0x2), S("assured", 0x4), S("confirmed", 0x8),
	S("snat", 0x10), S("dnat", 0x20), S("dying", 0x200), SEND,
};

static const struct nfk_sym icmp6_type_syms[] = {
	S("destination-unreachable", 1), S("packet-too-big", 2), S("time-exceeded", 3),
	S("parameter-problem", 4), S("echo-request", 128), S("echo-reply", 129),
	S("mld-listener-query", 130), S("mld-listener-report", 131),
	S("mld-listener-done", 132), S("mld-listener-reduction", 132),
	S("nd-router-solicit", 133), S("nd-router-advert", 134),
	S("nd-neighbor-solicit", 135), S("nd-neighbor-advert", 136), S("nd-redirect", 137),
	S("router-renumbering", 138), S("ind-neighbor-solicit", 141),
	S("ind-neighbor-advert", 142), S("mld2-listener-report", 143), SEND,
};

static const struct nfk_sym pkttype_syms[] = {
	S("host", 0), S("unicast", 0), S("broadcast", 1), S("multicast", 2), S("other", 3),
	SEND,
};

static const struct nfk_sym icmp_code_syms[] = {
	S("net-unreachable", 0), S("host-unreachable", 1), S("prot-unreachable", 2),
	S("port-unreachable", 3), S("net-prohibited", 9), S("host-prohibited", 10),
	S("admin-prohibited", 13), S("frag-needed", 4), SEND,
};

static const struct nfk_sym icmpv6_code_syms[] = {
	S("no-route", 0), S("admin-prohibited", 1), S("addr-unreachable", 3),
	S("port-unreachable", 4), S("policy-fail", 5), S("reject-route", 6), SEND,
};

static const struct nfk_sym icmpx_code_syms[] = {
	S("port-unreachable", 1), S("admin-prohibited", 3), S("no-route", 0),
	S("host-unreachable", 2), SEND,
};

static const struct nfk_sym dscp_syms[] = {
	S("cs0", 0x00), S("cs1", 0x08), S("cs2", 0x10), S("cs3", 0x18), S("cs4", 0x20),
	S("cs5", 0x28), S("cs6", 0x30), S("cs7", 0x38), S("df", 0x00), S("be", 0x00),
	S("lephb", 0x01), S("af11", 0x0a), S("af12", 0x0c), S("af13", 0x0e),
	S("af21", 0x12), S("af22", 0x14), S("af23", 0x16), S("af31", 0x1a),
	S("af32", 0x1c), S("af33", 0x1e), S("af41", 0x22), S("af42", 0x24),
	S("af43", 0x26), S("va", 0x2c), S("ef", 0x2e), SEND,
};

static const struct nfk_sym ecn_syms[] = {
	S("not-ect", 0), S("ect1", 1), S("ect0", 2), S("ce", 3), SEND,
};

static const struct nfk_sym fib_addr_syms[] = {
	S("unspec", 0), S("unicast", 1), S("local", 2), S("broadcast", 3), S("anycast", 4),
	S("multicast", 5), S("blackhole", 6), S("unreachable", 7), S("prohibit", 8), SEND,
};

static const struct nfk_sym boolean_syms[] = {
	S("exists", 1), S("missing", 0), SEND,
};

static const struct nfk_sym ct_event_syms[] = {
	S("new", 0x1), S("related", 0x2), S("destroy", 0x4), S("reply", 0x8),
	S("assured", 0x10), S("protoinfo", 0x20), S("helper", 0x40), S("mark", 0x80),
	S("seqadj", 0x100), S("secmark", 0x200), S("label", 0x400), SEND,
};

static const struct nfk_sym igmp_type_syms[] = {
	S("membership-query", 17), S("membership-report-v1", 18),
	S("membership-report-v2", 22), S("membership-report-v3", 34),
	S("leave-group", 23), SEND,
};

static const struct nfk_sym day_syms[] = {
	S("Sunday", 0), S("Monday", 1), S("Tuesday", 2), S("Wednesday", 3),
	S("Thursday", 4), S("Friday", 5), S("Saturday", 6), SEND,
};

#define T(ID) NFK_TYPE_##ID
#define B(ID) (&nfk_dtypes[NFK_TYPE_##ID])
#define BE NFK_BO_BIG
#define HO NFK_BO_HOST
#define TY(ID, NAME, DESC, ...) \
	[T(ID)] = { .name = NAME, .desc = DESC, .id = T(ID), __VA_ARGS__ }

/*
 * One line per type.  .base chains end at integer or string; a type
 * without parse/print inherits the nearest base's.
 */
const struct nfk_dtype nfk_dtypes[NFK_TYPE_MAX] = {
	TY(INVALID, "invalid", "invalid",
	   .bits = 0, .bo = BE, .parse = nfk_invalid_parse, .print = nfk_invalid_print),
	TY(VERDICT, "verdict", "netfilter verdict",
	   .bits = 32, .bo = HO, .syms = verdict_syms, .parse = nfk_int_parse,
	   .print = nfk_int_print),
	TY(NFPROTO, "nf_proto", "netfilter protocol",
	   .bits = 8, .bo = HO, .base = B(INTEGER), .syms = nfproto_syms),
	TY(BITMASK, "bitmask", "bitmask",
	   .bits = 0, .bo = HO, .base = B(INTEGER), .bitmask = true, .fmt = NFK_FMT_HEXBITS),
	TY(INTEGER, "integer", "integer",
	   .bits = 0, .bo = NFK_BO_INVALID, .parse = nfk_int_parse, .print = nfk_int_print),
	TY(STRING, "string", "string",
	   .bits = 0, .bo = HO, .parse = nfk_string_parse, .print = nfk_string_print),
	TY(LLADDR, "ll_addr", "link layer address",
	   .bits = 0, .bo = BE, .base = B(INTEGER), .parse = nfk_lladdr_parse,
	   .print = nfk_lladdr_print),
	TY(IPADDR, "ipv4_addr", "IPv4 address",
	   .bits = 32, .bo = BE, .base = B(INTEGER), .parse = nfk_ip4_parse,
	   .print = nfk_ip4_print),
	TY(IP6ADDR, "ipv6_addr", "IPv6 address",
	   .bits = 128, .bo = BE, .base = B(INTEGER), .parse = nfk_ip6_parse,
	   .print = nfk_ip6_print),
	TY(ETHERADDR, "ether_addr", "Ethernet address",
	   .bits = 48, .bo = BE, .base = B(LLADDR)),
	TY(ETHERTYPE, "ether_type", "Ethernet protocol",
	   .bits = 16, .bo = BE, .base = B(INTEGER), .syms = ethertype_syms,
	   .fmt = NFK_FMT_HEX),
	TY(ARPOP, "arp_op", "ARP operation",
	   .bits = 16, .bo = BE, .base = B(INTEGER), .syms = arpop_syms),
	TY(INET_PROTOCOL, "inet_proto", "Internet protocol",
	   .bits = 8, .bo = BE, .base = B(INTEGER), .syms = inet_proto_syms,
	   .parse = nfk_inet_proto_parse),
	TY(INET_SERVICE, "inet_service", "internet network service",
	   .bits = 16, .bo = BE, .base = B(INTEGER), .parse = nfk_service_parse,
	   .print = nfk_service_print),
	TY(ICMP_TYPE, "icmp_type", "ICMP type",
	   .bits = 8, .bo = BE, .base = B(INTEGER), .syms = icmp_type_syms),
	TY(TCP_FLAG, "tcp_flag", "TCP flag",
	   .bits = 8, .bo = BE, .base = B(BITMASK), .syms = tcp_flag_syms, .bitmask = true,
	   .fmt = NFK_FMT_HEXBITS),
	TY(DCCP_PKTTYPE, "dccp_pkttype", "DCCP packet type",
	   .bits = 4, .bo = BE, .base = B(INTEGER), .syms = dccp_pkttype_syms),
	TY(MH_TYPE, "mh_type", "Mobility Header Type",
	   .bits = 8, .bo = BE, .base = B(INTEGER), .syms = mh_type_syms),
	TY(TIME, "time", "relative time",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .parse = nfk_reltime_parse,
	   .print = nfk_reltime_print),
	TY(MARK, "mark", "packet mark",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .fmt = NFK_FMT_HEX),
	TY(IFINDEX, "iface_index", "network interface index",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .parse = nfk_ifindex_parse,
	   .print = nfk_ifindex_print),
	TY(ARPHRD, "iface_type", "network interface type",
	   .bits = 16, .bo = HO, .base = B(INTEGER), .syms = arphrd_syms),
	TY(REALM, "realm", "routing realm",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .syms = realm_syms, .quoted = true),
	TY(CLASSID, "classid", "TC classid",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .parse = nfk_classid_parse,
	   .print = nfk_classid_print),
	TY(UID, "uid", "user ID",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .parse = nfk_uid_parse),
	TY(GID, "gid", "group ID",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .parse = nfk_gid_parse),
	TY(CT_STATE, "ct_state", "conntrack state",
	   .bits = 32, .bo = HO, .base = B(BITMASK), .syms = ct_state_syms, .bitmask = true,
	   .fmt = NFK_FMT_HEXBITS),
	TY(CT_DIR, "ct_dir", "conntrack direction",
	   .bits = 8, .bo = HO, .base = B(INTEGER), .syms = ct_dir_syms),
	TY(CT_STATUS, "ct_status", "conntrack status",
	   .bits = 32, .bo = HO, .base = B(BITMASK), .syms = ct_status_syms, .bitmask = true,
	   .fmt = NFK_FMT_HEXBITS),
	TY(ICMP6_TYPE, "icmpv6_type", "ICMPv6 type",
	   .bits = 8, .bo = BE, .base = B(INTEGER), .syms = icmp6_type_syms),
	TY(CT_LABEL, "ct_label", "conntrack label",
	   .bits = 128, .bo = HO, .base = B(BITMASK), .bitmask = true,
	   .parse = nfk_ct_label_parse, .print = nfk_ct_label_print),
	TY(PKTTYPE, "pkt_type", "packet type",
	   .bits = 8, .bo = HO, .base = B(INTEGER), .syms = pkttype_syms),
	TY(ICMP_CODE, "icmp_code", "icmp code",
	   .bits = 8, .bo = BE, .base = B(INTEGER), .syms = icmp_code_syms),
	TY(ICMPV6_CODE, "icmpv6_code", "icmpv6 code",
	   .bits = 8, .bo = BE, .base = B(INTEGER), .syms = icmpv6_code_syms),
	TY(ICMPX_CODE, "icmpx_code", "icmpx code",
	   .bits = 8, .bo = BE, .base = B(INTEGER), .syms = icmpx_code_syms),
	TY(DEVGROUP, "devgroup", "devgroup name",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .syms = devgroup_syms, .quoted = true),
	TY(DSCP, "dscp", "Differentiated Services Code Point",
	   .bits = 6, .bo = BE, .base = B(INTEGER), .syms = dscp_syms, .fmt = NFK_FMT_HEX),
	TY(ECN, "ecn", "Explicit Congestion Notification",
	   .bits = 2, .bo = BE, .base = B(INTEGER), .syms = ecn_syms, .fmt = NFK_FMT_HEX),
	TY(FIB_ADDR, "fib_addrtype", "fib address type",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .syms = fib_addr_syms),
	TY(BOOLEAN, "boolean", "boolean type",
	   .bits = 8, .bo = HO, .base = B(INTEGER), .syms = boolean_syms),
	TY(CT_EVENTBIT, "ct_event", "conntrack event bits",
	   .bits = 32, .bo = HO, .base = B(BITMASK), .syms = ct_event_syms, .bitmask = true,
	   .fmt = NFK_FMT_HEXBITS),
	TY(IFNAME, "ifname", "network interface name",
	   .bits = 128, .bo = HO, .base = B(STRING)),
	TY(IGMP_TYPE, "igmp_type", "IGMP type",
	   .bits = 8, .bo = BE, .base = B(INTEGER), .syms = igmp_type_syms),
	TY(TIME_DATE, "time", "Relative time of packet reception",
	   .bits = 64, .bo = HO, .base = B(INTEGER), .parse = nfk_date_parse,
	   .print = nfk_date_print),
	TY(TIME_HOUR, "hour", "Hour of day of packet reception",
	   .bits = 32, .bo = HO, .base = B(INTEGER), .parse = nfk_hour_parse,
	   .print = nfk_hour_print),
	TY(TIME_DAY, "day", "Day of week of packet reception",
	   .bits = 8, .bo = HO, .base = B(INTEGER), .syms = day_syms, .parse = nfk_day_parse,
	   .quoted = true),
	TY(CGROUPV2, "cgroupsv2", "cgroupsv2 path",
	   .bits = 64, .bo = HO, .base = B(INTEGER), .parse = nfk_cgroupv2_parse),
};

const struct nfk_dtype *nfk_dtype_by_id(unsigned id)
{
	if (id >= NFK_TYPE_MAX || !nfk_dtypes[id].name)
		return NULL;
	return &nfk_dtypes[id];
}

uint32_t nfk_set_unknown_type(uint32_t flags, uint32_t key_type, uint32_t data_type)
{
	const struct nfk_dtype *m[16];

	if (nfk_dtype_members(key_type, m, 16) < 0)
		return key_type;
	/* NFT_SET_MAP, and the verdict pseudo type NFT_DATA_VERDICT */
	if ((flags & 0x8) && data_type != 0xffffff00 && nfk_dtype_members(data_type, m, 16) < 0)
		return data_type;
	return 0;
}

int nfk_dtype_members(uint32_t id, const struct nfk_dtype **out, unsigned max)
{
	unsigned ids[16], n = 0;

	/* below nft's TYPE_MAX a type of its own (0 is the invalid type),
	 * above it a concatenation, 6 bits a member, the first highest */
	if (id < NFK_TYPE_MAX) {
		if (!max || !(out[0] = nfk_dtype_by_id(id)))
			return -1;
		return 1;
	}
	while (id && n < 16) {
		ids[n++] = id & NFK_TYPE_MASK;
		id >>= NFK_TYPE_BITS;
	}
	if (n > max)
		return -1;
	for (unsigned i = 0; i < n; i++)
		if (!(out[i] = nfk_dtype_by_id(ids[n - 1 - i])) || !ids[n - 1 - i])
			return -1;
	return (int)n;
}

const struct nfk_dtype *nfk_dtype_by_name(const char *name)
{
	/* first match wins: "time" is the relative time type (id 18) */
	for (unsigned i = 0; i < NFK_TYPE_MAX; i++)
		if (nfk_dtypes[i].name && !strcmp(nfk_dtypes[i].name, name))
			return &nfk_dtypes[i];
	return NULL;
}

bool nfk_dtype_is(const struct nfk_dtype *t, const struct nfk_dtype *u)
{
	for (; t; t = t->base)
		if (t == u)
			return true;
	return false;
}

enum nfk_byteorder nfk_dtype_bo(const struct nfk_dtype *t)
{
	return t->bo == NFK_BO_INVALID ? NFK_BO_HOST : t->bo;
}

unsigned nfk_dtype_len(const struct nfk_dtype *t)
{
	return (t->bits + 7) / 8;
}

const char *nfk_dtype_sym_name(const struct nfk_dtype *t, uint64_t value)
{
	for (; t; t = t->base) {
		if (!t->syms)
			continue;
		for (const struct nfk_sym *s = t->syms; s->name; s++)
			if (s->value == value)
				return s->name;
	}
	return NULL;
}

int nfk_dtype_sym_value(const struct nfk_dtype *t, const char *name, uint64_t *value)
{
	for (; t; t = t->base) {
		if (!t->syms)
			continue;
		for (const struct nfk_sym *s = t->syms; s->name; s++)
			if (!strcmp(s->name, name)) {
				*value = s->value;
				return 0;
			}
	}
	return -ENOENT;
}

unsigned nfk_dtype_concat_id(const unsigned *ids, unsigned n)
{
	unsigned id = 0;

	for (unsigned i = 0; i < n; i++)
		id = (id << NFK_TYPE_BITS) | (ids[i] & NFK_TYPE_MASK);
	return id;
}
