// SPDX-License-Identifier: MIT
/* Expression printers against lines of the conformance corpus and of
 * `nft --debug=netlink` (nft 1.0.6 / libnftnl 1.2.4). */
#include <linux/netfilter/nf_tables_compat.h>

#include "test_build.h"
#include "obj/schema.h"
#include "obj/expr/expr.h"

struct pcase {
	const char *want;            /* the text between "[ " and " ]" */
	struct texpr ex;
};

#define E(n, ...) { .name = (n), .attrs = (const struct tattr[]){ __VA_ARGS__, T_END } }
#define E0(n) { .name = (n), .attrs = (const struct tattr[]){ T_END } }

static const struct texpr dyn_counter = E("counter", T_BE64(NFTA_COUNTER_BYTES, 0), T_BE64(NFTA_COUNTER_PACKETS, 0));

static const struct pcase cases[] = {
	{ "payload load 2b @ network header + 12 => reg 1",
	  E("payload", T_BE32(NFTA_PAYLOAD_DREG, 1), T_BE32(NFTA_PAYLOAD_BASE, 1),
	    T_BE32(NFTA_PAYLOAD_OFFSET, 12), T_BE32(NFTA_PAYLOAD_LEN, 2)) },
	{ "payload load 6b @ link header + 6 => reg 1",
	  E("payload", T_BE32(NFTA_PAYLOAD_DREG, 1), T_BE32(NFTA_PAYLOAD_BASE, 0),
	    T_BE32(NFTA_PAYLOAD_OFFSET, 6), T_BE32(NFTA_PAYLOAD_LEN, 6)) },
	{ "payload load 1b @ unknown header + 0 => reg 1",
	  E("payload", T_BE32(NFTA_PAYLOAD_DREG, 1), T_BE32(NFTA_PAYLOAD_BASE, 9),
	    T_BE32(NFTA_PAYLOAD_OFFSET, 0), T_BE32(NFTA_PAYLOAD_LEN, 1)) },
	{ "payload write reg 1 => 2b @ network header + 10 csum_type 1 csum_off 10 csum_flags 0x0",
	  E("payload", T_BE32(NFTA_PAYLOAD_SREG, 1), T_BE32(NFTA_PAYLOAD_BASE, 1),
	    T_BE32(NFTA_PAYLOAD_OFFSET, 10), T_BE32(NFTA_PAYLOAD_LEN, 2),
	    T_BE32(NFTA_PAYLOAD_CSUM_TYPE, 1), T_BE32(NFTA_PAYLOAD_CSUM_OFFSET, 10),
	    T_BE32(NFTA_PAYLOAD_CSUM_FLAGS, 0)) },
	{ "bitwise reg 1 = ( reg 1 & 0x0000ffff ) ^ 0x00000000",
	  E("bitwise", T_BE32(NFTA_BITWISE_SREG, 1), T_BE32(NFTA_BITWISE_DREG, 1),
	    T_BE32(NFTA_BITWISE_LEN, 4), T_DATA(NFTA_BITWISE_MASK, 0xff, 0xff, 0, 0),
	    T_DATA(NFTA_BITWISE_XOR, 0, 0, 0, 0)) },
	{ "bitwise reg 1 = ( reg 1 << 0x00000008 )",
	  E("bitwise", T_BE32(NFTA_BITWISE_SREG, 1), T_BE32(NFTA_BITWISE_DREG, 1),
	    T_BE32(NFTA_BITWISE_LEN, 4), T_BE32(NFTA_BITWISE_OP, NFT_BITWISE_LSHIFT),
	    T_DATA(NFTA_BITWISE_DATA, 8, 0, 0, 0)) },
	{ "bitwise reg 1 = ( reg 1 >> 0x00000008 )",
	  E("bitwise", T_BE32(NFTA_BITWISE_SREG, 1), T_BE32(NFTA_BITWISE_DREG, 1),
	    T_BE32(NFTA_BITWISE_LEN, 4), T_BE32(NFTA_BITWISE_OP, NFT_BITWISE_RSHIFT),
	    T_DATA(NFTA_BITWISE_DATA, 8, 0, 0, 0)) },
	{ "byteorder reg 1 = hton(reg 1, 4, 4)",
	  E("byteorder", T_BE32(NFTA_BYTEORDER_SREG, 1), T_BE32(NFTA_BYTEORDER_DREG, 1),
	    T_BE32(NFTA_BYTEORDER_OP, NFT_BYTEORDER_HTON), T_BE32(NFTA_BYTEORDER_LEN, 4),
	    T_BE32(NFTA_BYTEORDER_SIZE, 4)) },
	{ "cmp eq reg 1 0x6d6d7564 0x00000079",
	  E("cmp", T_BE32(NFTA_CMP_SREG, 1), T_BE32(NFTA_CMP_OP, NFT_CMP_EQ),
	    T_DATA(NFTA_CMP_DATA, 'd', 'u', 'm', 'm', 'y')) },
	{ "cmp gte reg 1 0x32000000",
	  E("cmp", T_BE32(NFTA_CMP_SREG, 1), T_BE32(NFTA_CMP_OP, NFT_CMP_GTE),
	    T_DATA(NFTA_CMP_DATA, 0, 0, 0, 0x32)) },
	{ "cmp unknown reg 1 0x00000001",
	  E("cmp", T_BE32(NFTA_CMP_SREG, 1), T_BE32(NFTA_CMP_OP, 42), T_DATA(NFTA_CMP_DATA, 1)) },
	{ "meta load l4proto => reg 1",
	  E("meta", T_BE32(NFTA_META_DREG, 1), T_BE32(NFTA_META_KEY, NFT_META_L4PROTO)) },
	{ "meta load bri_iifvproto => reg 1",
	  E("meta", T_BE32(NFTA_META_DREG, 1), T_BE32(NFTA_META_KEY, NFT_META_BRI_IIFVPROTO)) },
	{ "meta set mark with reg 1",
	  E("meta", T_BE32(NFTA_META_SREG, 1), T_BE32(NFTA_META_KEY, NFT_META_MARK)) },
	{ "meta load unknown => reg 1",
	  E("meta", T_BE32(NFTA_META_DREG, 1), T_BE32(NFTA_META_KEY, 200)) },
	{ "ct load state => reg 1",
	  E("ct", T_BE32(NFTA_CT_DREG, 1), T_BE32(NFTA_CT_KEY, NFT_CT_STATE)) },
	{ "ct load src_ip => reg 1 , dir original",
	  E("ct", T_BE32(NFTA_CT_DREG, 1), T_BE32(NFTA_CT_KEY, NFT_CT_SRC_IP), T_U8(NFTA_CT_DIRECTION, 0)) },
	{ "ct set zone with reg 1 , dir reply",
	  E("ct", T_BE32(NFTA_CT_SREG, 1), T_BE32(NFTA_CT_KEY, NFT_CT_ZONE), T_U8(NFTA_CT_DIRECTION, 1)) },
	{ "ct load unknown => reg 1",
	  E("ct", T_BE32(NFTA_CT_DREG, 1), T_BE32(NFTA_CT_KEY, NFT_CT_ID)) },
	{ "lookup reg 1 set __set%d 0x1",
	  E("lookup", T_STR(NFTA_LOOKUP_SET, "__set%d"), T_BE32(NFTA_LOOKUP_SREG, 1),
	    T_BE32(NFTA_LOOKUP_SET_ID, 1), T_BE32(NFTA_LOOKUP_FLAGS, 1)) },
	{ "lookup reg 1 set __map%d dreg 0",
	  E("lookup", T_STR(NFTA_LOOKUP_SET, "__map%d"), T_BE32(NFTA_LOOKUP_SREG, 1),
	    T_BE32(NFTA_LOOKUP_DREG, 0)) },
	{ "immediate reg 0 jump -> ssh",
	  E("immediate", T_BE32(NFTA_IMMEDIATE_DREG, 0), T_VERDICT(NFTA_IMMEDIATE_DATA, NFT_JUMP, "ssh")) },
	{ "immediate reg 0 accept",
	  E("immediate", T_BE32(NFTA_IMMEDIATE_DREG, 0), T_VERDICT(NFTA_IMMEDIATE_DATA, NF_ACCEPT, NULL)) },
	{ "immediate reg 1 0x00001320",
	  E("immediate", T_BE32(NFTA_IMMEDIATE_DREG, 1), T_DATA(NFTA_IMMEDIATE_DATA, 0x20, 0x13, 0, 0)) },
	{ "counter pkts 0 bytes 0",
	  E("counter", T_BE64(NFTA_COUNTER_BYTES, 0), T_BE64(NFTA_COUNTER_PACKETS, 0)) },
	{ "limit rate 10/second burst 5 type packets flags 0x0",
	  E("limit", T_BE64(NFTA_LIMIT_RATE, 10), T_BE64(NFTA_LIMIT_UNIT, 1),
	    T_BE32(NFTA_LIMIT_BURST, 5), T_BE32(NFTA_LIMIT_TYPE, 0), T_BE32(NFTA_LIMIT_FLAGS, 0)) },
	{ "limit rate 1024/second burst 1000 type bytes flags 0x1",
	  E("limit", T_BE64(NFTA_LIMIT_RATE, 1024), T_BE64(NFTA_LIMIT_UNIT, 1),
	    T_BE32(NFTA_LIMIT_BURST, 1000), T_BE32(NFTA_LIMIT_TYPE, 1), T_BE32(NFTA_LIMIT_FLAGS, 1)) },
	{ "limit rate 10/minute burst 3 type packets flags 0x1",
	  E("limit", T_BE64(NFTA_LIMIT_RATE, 10), T_BE64(NFTA_LIMIT_UNIT, 60),
	    T_BE32(NFTA_LIMIT_BURST, 3), T_BE32(NFTA_LIMIT_TYPE, 0), T_BE32(NFTA_LIMIT_FLAGS, 1)) },
	{ "log", E0("log") },
	{ "log prefix foo level 4",
	  E("log", T_STR(NFTA_LOG_PREFIX, "foo"), T_BE32(NFTA_LOG_LEVEL, 4)) },
	{ "log prefix x group 2 snaplen 100 qthreshold 3",
	  E("log", T_BE16(NFTA_LOG_GROUP, 2), T_STR(NFTA_LOG_PREFIX, "x"),
	    T_BE32(NFTA_LOG_SNAPLEN, 100), T_BE16(NFTA_LOG_QTHRESHOLD, 3)) },
	{ "log tcpseq tcpopt ipopt uid macdecode", E("log", T_BE32(NFTA_LOG_FLAGS, 0x2f)) },
	{ "log level 7 tcpseq", E("log", T_BE32(NFTA_LOG_LEVEL, 7), T_BE32(NFTA_LOG_FLAGS, 1)) },
	{ "reject type 0 code 4",
	  E("reject", T_BE32(NFTA_REJECT_TYPE, 0), T_U8(NFTA_REJECT_ICMP_CODE, 4)) },
	{ "nat snat ip addr_min reg 1 proto_min reg 2 proto_max reg 3 flags 0xa",
	  E("nat", T_BE32(NFTA_NAT_TYPE, NFT_NAT_SNAT), T_BE32(NFTA_NAT_FAMILY, NFPROTO_IPV4),
	    T_BE32(NFTA_NAT_REG_ADDR_MIN, 1), T_BE32(NFTA_NAT_REG_PROTO_MIN, 2),
	    T_BE32(NFTA_NAT_REG_PROTO_MAX, 3), T_BE32(NFTA_NAT_FLAGS, 0xa)) },
	{ "nat dnat ip6 addr_min reg 1 addr_max reg 2",
	  E("nat", T_BE32(NFTA_NAT_TYPE, NFT_NAT_DNAT), T_BE32(NFTA_NAT_FAMILY, NFPROTO_IPV6),
	    T_BE32(NFTA_NAT_REG_ADDR_MIN, 1), T_BE32(NFTA_NAT_REG_ADDR_MAX, 2)) },
	{ "masq", E0("masq") },
	{ "masq flags 0x4", E("masq", T_BE32(NFTA_MASQ_FLAGS, 4)) },
	{ "masq proto_min reg 1 proto_max reg 2 flags 0x2",
	  E("masq", T_BE32(NFTA_MASQ_FLAGS, 2), T_BE32(NFTA_MASQ_REG_PROTO_MIN, 1),
	    T_BE32(NFTA_MASQ_REG_PROTO_MAX, 2)) },
	{ "redir proto_min reg 1 flags 0x2",
	  E("redir", T_BE32(NFTA_REDIR_REG_PROTO_MIN, 1), T_BE32(NFTA_REDIR_FLAGS, 2)) },
	{ "objref type 1 name cnt2",
	  E("objref", T_BE32(NFTA_OBJREF_IMM_TYPE, 1), T_RAW(NFTA_OBJREF_IMM_NAME, "cnt2")) },
	{ "objref sreg 1 set __objmap%d",
	  E("objref", T_BE32(NFTA_OBJREF_SET_SREG, 1), T_RAW(NFTA_OBJREF_SET_NAME, "__objmap%d"),
	    T_BE32(NFTA_OBJREF_SET_ID, 3)) },
	{ "range neq reg 1 0x32000000 0x45000000",
	  E("range", T_BE32(NFTA_RANGE_SREG, 1), T_BE32(NFTA_RANGE_OP, NFT_RANGE_NEQ),
	    T_DATA(NFTA_RANGE_FROM_DATA, 0, 0, 0, 0x32), T_DATA(NFTA_RANGE_TO_DATA, 0, 0, 0, 0x45)) },
	{ "exthdr load ipv6 1b @ 60 + 0 => reg 1",
	  E("exthdr", T_BE32(NFTA_EXTHDR_DREG, 1), T_U8(NFTA_EXTHDR_TYPE, 60),
	    T_BE32(NFTA_EXTHDR_OFFSET, 0), T_BE32(NFTA_EXTHDR_LEN, 1), T_BE32(NFTA_EXTHDR_OP, 0)) },
	{ "exthdr load tcpopt 1b @ 0 + 0 present => reg 1",
	  E("exthdr", T_BE32(NFTA_EXTHDR_DREG, 1), T_U8(NFTA_EXTHDR_TYPE, 0),
	    T_BE32(NFTA_EXTHDR_OFFSET, 0), T_BE32(NFTA_EXTHDR_LEN, 1),
	    T_BE32(NFTA_EXTHDR_FLAGS, NFT_EXTHDR_F_PRESENT), T_BE32(NFTA_EXTHDR_OP, 1)) },
	{ "exthdr load 4b @ 1 + 16 => reg 1",
	  E("exthdr", T_BE32(NFTA_EXTHDR_DREG, 1), T_U8(NFTA_EXTHDR_TYPE, 1),
	    T_BE32(NFTA_EXTHDR_OFFSET, 16), T_BE32(NFTA_EXTHDR_LEN, 4),
	    T_BE32(NFTA_EXTHDR_OP, NFT_EXTHDR_OP_SCTP)) },
	{ "exthdr load ipv4 1b @ 7 + 0 present => reg 1",
	  E("exthdr", T_BE32(NFTA_EXTHDR_DREG, 1), T_U8(NFTA_EXTHDR_TYPE, 7),
	    T_BE32(NFTA_EXTHDR_OFFSET, 0), T_BE32(NFTA_EXTHDR_LEN, 1),
	    T_BE32(NFTA_EXTHDR_FLAGS, 1), T_BE32(NFTA_EXTHDR_OP, NFT_EXTHDR_OP_IPV4)) },
	{ "exthdr write tcpopt reg 1 => 2b @ 2 + 2",
	  E("exthdr", T_BE32(NFTA_EXTHDR_SREG, 1), T_U8(NFTA_EXTHDR_TYPE, 2),
	    T_BE32(NFTA_EXTHDR_OFFSET, 2), T_BE32(NFTA_EXTHDR_LEN, 2), T_BE32(NFTA_EXTHDR_OP, 1)) },
	{ "exthdr reset tcpopt 30",
	  E("exthdr", T_U8(NFTA_EXTHDR_TYPE, 30), T_BE32(NFTA_EXTHDR_OP, 1)) },
	{ "dynset update reg_key 1 set acct_out timeout 600000ms expr [ counter pkts 0 bytes 0 ]",
	  E("dynset", T_STR(NFTA_DYNSET_SET_NAME, "acct_out"), T_BE32(NFTA_DYNSET_OP, NFT_DYNSET_OP_UPDATE),
	    T_BE32(NFTA_DYNSET_SREG_KEY, 1), T_BE64(NFTA_DYNSET_TIMEOUT, 600000),
	    T_EXPR(NFTA_DYNSET_EXPR, &dyn_counter)) },
	{ "dynset add reg_key 1 set set5",
	  E("dynset", T_STR(NFTA_DYNSET_SET_NAME, "set5"), T_BE32(NFTA_DYNSET_OP, NFT_DYNSET_OP_ADD),
	    T_BE32(NFTA_DYNSET_SREG_KEY, 1)) },
	{ "quota bytes 100 consumed 0 flags 0",
	  E("quota", T_BE64(NFTA_QUOTA_BYTES, 100), T_BE32(NFTA_QUOTA_FLAGS, 0),
	    T_BE64(NFTA_QUOTA_CONSUMED, 0)) },
	{ "queue num 3 bypass",
	  E("queue", T_BE16(NFTA_QUEUE_NUM, 3), T_BE16(NFTA_QUEUE_TOTAL, 1), T_BE16(NFTA_QUEUE_FLAGS, 1)) },
	{ "queue num 1-4 fanout",
	  E("queue", T_BE16(NFTA_QUEUE_NUM, 1), T_BE16(NFTA_QUEUE_TOTAL, 4), T_BE16(NFTA_QUEUE_FLAGS, 2)) },
	{ "queue sreg_qnum 1", E("queue", T_BE32(NFTA_QUEUE_SREG_QNUM, 1)) },
	{ "fib saddr . iif oif present => reg 1",
	  E("fib", T_BE32(NFTA_FIB_DREG, 1), T_BE32(NFTA_FIB_RESULT, NFT_FIB_RESULT_OIF),
	    T_BE32(NFTA_FIB_FLAGS, NFTA_FIB_F_SADDR | NFTA_FIB_F_IIF | NFTA_FIB_F_PRESENT)) },
	{ "fib daddr type => reg 1",
	  E("fib", T_BE32(NFTA_FIB_DREG, 1), T_BE32(NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE),
	    T_BE32(NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR)) },
	{ "rt load nexthop4 => reg 1",
	  E("rt", T_BE32(NFTA_RT_DREG, 1), T_BE32(NFTA_RT_KEY, NFT_RT_NEXTHOP4)) },
	{ "hash reg 1 = jhash(reg 2, 4, 0xdead) % mod 10 offset 2",
	  E("hash", T_BE32(NFTA_HASH_SREG, 2), T_BE32(NFTA_HASH_DREG, 1), T_BE32(NFTA_HASH_LEN, 4),
	    T_BE32(NFTA_HASH_MODULUS, 10), T_BE32(NFTA_HASH_SEED, 0xdead),
	    T_BE32(NFTA_HASH_OFFSET, 2), T_BE32(NFTA_HASH_TYPE, NFT_HASH_JENKINS)) },
	{ "hash reg 1 = symhash() % mod 2",
	  E("hash", T_BE32(NFTA_HASH_DREG, 1), T_BE32(NFTA_HASH_MODULUS, 2),
	    T_BE32(NFTA_HASH_OFFSET, 0), T_BE32(NFTA_HASH_TYPE, NFT_HASH_SYM)) },
	{ "numgen reg 1 = inc mod 10 offset 5",
	  E("numgen", T_BE32(NFTA_NG_DREG, 1), T_BE32(NFTA_NG_MODULUS, 10),
	    T_BE32(NFTA_NG_TYPE, NFT_NG_INCREMENTAL), T_BE32(NFTA_NG_OFFSET, 5)) },
	{ "numgen reg 1 = random mod 2",
	  E("numgen", T_BE32(NFTA_NG_DREG, 1), T_BE32(NFTA_NG_MODULUS, 2),
	    T_BE32(NFTA_NG_TYPE, NFT_NG_RANDOM), T_BE32(NFTA_NG_OFFSET, 0)) },
	{ "socket load transparent => reg 1",
	  E("socket", T_BE32(NFTA_SOCKET_KEY, NFT_SOCKET_TRANSPARENT), T_BE32(NFTA_SOCKET_DREG, 1)) },
	{ "osf dreg 1", E("osf", T_BE32(NFTA_OSF_DREG, 1), T_U8(NFTA_OSF_TTL, 1)) },
	{ "tproxy ip6 addr reg 1 port reg 2",
	  E("tproxy", T_BE32(NFTA_TPROXY_FAMILY, NFPROTO_IPV6), T_BE32(NFTA_TPROXY_REG_ADDR, 1),
	    T_BE32(NFTA_TPROXY_REG_PORT, 2)) },
	{ "tproxy port reg 1", E("tproxy", T_BE32(NFTA_TPROXY_REG_PORT, 1)) },
	{ "synproxy mss 1460 wscale 7",
	  E("synproxy", T_BE16(NFTA_SYNPROXY_MSS, 1460), T_U8(NFTA_SYNPROXY_WSCALE, 7),
	    T_BE32(NFTA_SYNPROXY_FLAGS, 3)) },
	{ "xfrm load in 0 reqid => reg 1",
	  E("xfrm", T_BE32(NFTA_XFRM_DREG, 1), T_BE32(NFTA_XFRM_KEY, NFT_XFRM_KEY_REQID),
	    T_U8(NFTA_XFRM_DIR, 0), T_BE32(NFTA_XFRM_SPNUM, 0)) },
	{ "xfrm load out 0 daddr4 => reg 1",
	  E("xfrm", T_BE32(NFTA_XFRM_DREG, 1), T_BE32(NFTA_XFRM_KEY, NFT_XFRM_KEY_DADDR_IP4),
	    T_U8(NFTA_XFRM_DIR, 1), T_BE32(NFTA_XFRM_SPNUM, 0)) },
	{ "dup sreg_addr 1 sreg_dev 2",
	  E("dup", T_BE32(NFTA_DUP_SREG_ADDR, 1), T_BE32(NFTA_DUP_SREG_DEV, 2)) },
	{ "fwd sreg_dev 1", E("fwd", T_BE32(NFTA_FWD_SREG_DEV, 1)) },
	{ "connlimit count 3 flags 1",
	  E("connlimit", T_BE32(NFTA_CONNLIMIT_COUNT, 3), T_BE32(NFTA_CONNLIMIT_FLAGS, 1)) },
	{ "notrack", E0("notrack") },
	{ "flow_offload flowtable ft", E("flow_offload", T_STR(NFTA_FLOW_TABLE_NAME, "ft")) },
	{ "match name conntrack rev 3",
	  E("match", T_STR(NFTA_MATCH_NAME, "conntrack"), T_BE32(NFTA_MATCH_REV, 3)) },
	/* Unknown to this build: shown raw, never dropped. */
	{ "bogus 1=0x00000005", E("bogus", T_BE32(1, 5)) },
	/* A known name with a malformed attribute falls back to the raw form. */
	{ "meta 2=0x0001", E("meta", T_BE16(NFTA_META_KEY, 1)) },
};

static char *print_one(const void *attrs, size_t len)
{
	struct nfk_expr e;
	char *out = NULL;
	size_t olen = 0;
	FILE *f;

	if (nfk_expr_parse(&e, attrs, len) < 0)
		return strdup("<parse error>");
	f = open_memstream(&out, &olen);
	nfk_expr_print(f, &e);
	fclose(f);
	return out;
}

static void test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t mem[2048];
		struct nfk_buf b;
		char want[512], *got;

		nfk_buf_init(&b, mem, sizeof(mem));
		if (!tb_expr(&b, &cases[i].ex)) {
			CHECK(0, "build %s", cases[i].want);
			continue;
		}
		snprintf(want, sizeof(want), "  [ %s ]\n", cases[i].want);
		got = print_one(b.data, b.len);
		CHECK(strcmp(got, want) == 0, "want \"%s\" got \"%.*s\"", cases[i].want,
		      (int)strcspn(got, "\n"), got);
		free(got);
	}
}

/* Every registered expression type has a schema and a printer, and its
 * printer survives an empty attribute set (all values absent). */
static void test_registry(void)
{
	static const char *const names[] = {
#define N(n) #n,
		NFK_EXPR_TYPES(N)
#undef N
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct nfk_expr_type *t = nfk_expr_type_find(names[i]);
		struct nfk_expr e = { .name = names[i], .type = t };
		char *out = NULL;
		size_t olen = 0;
		FILE *f;

		CHECK(t && t->schema && t->print, "type %s incomplete", names[i]);
		if (!t)
			continue;
		f = open_memstream(&out, &olen);
		t->print(f, &e);
		fclose(f);
		CHECK(strncmp(out, names[i], strlen(names[i])) == 0, "%s prints \"%s\"", names[i], out);
		free(out);
	}
}

/* Truncated and garbage input: parsing fails or the expression is kept
 * unjudged; nothing reads out of bounds (run under ASan). */
static void test_garbage(void)
{
	const struct texpr ex = E("cmp", T_BE32(NFTA_CMP_SREG, 1), T_BE32(NFTA_CMP_OP, 0),
				  T_DATA(NFTA_CMP_DATA, 1, 2, 3, 4));
	uint8_t mem[512];
	struct nfk_buf b;
	struct nfk_expr e;

	nfk_buf_init(&b, mem, sizeof(mem));
	CHECK(tb_expr(&b, &ex), "build");
	for (size_t cut = 0; cut < b.len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		char *s;

		memcpy(copy, b.data, cut);
		s = print_one(copy, cut);
		CHECK(s != NULL, "cut %zu", cut);
		free(s);
		free(copy);
	}
	/* Flip every byte in turn. */
	for (size_t i = 0; i < b.len; i++) {
		uint8_t copy[512];
		char *s;

		memcpy(copy, b.data, b.len);
		copy[i] ^= 0xff;
		s = print_one(copy, b.len);
		free(s);
	}
	CHECK(nfk_expr_parse(&e, b.data, b.len) == 0 && e.type == &nfk_expr_cmp, "intact parse");
	CHECK(nfk_expr_parse(&e, b.data, b.len - 1) < 0, "truncated parse fails");
}

int main(void)
{
	test_cases();
	test_registry();
	test_garbage();
	return t_report();
}
