// SPDX-License-Identifier: MIT
/* Offline decompiler tests: hand-built expression lists -> nft rule text. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"

static unsigned pass, fail;

static struct nfk_buf *B;

static void expr_begin(const char *name, struct nlattr **el, struct nlattr **data)
{
	*el = nfk_nest_start(B, NFTA_LIST_ELEM);
	nfk_attr_put_str(B, NFTA_EXPR_NAME, name);
	*data = nfk_nest_start(B, NFTA_EXPR_DATA);
}

static void expr_end(struct nlattr *el, struct nlattr *data)
{
	nfk_nest_end(B, data);
	nfk_nest_end(B, el);
}

static void put_value(uint16_t type, const void *v, size_t len)
{
	struct nlattr *n = nfk_nest_start(B, type);

	nfk_attr_put(B, NFTA_DATA_VALUE, v, len);
	nfk_nest_end(B, n);
}

static void meta(uint32_t key, uint32_t dreg)
{
	struct nlattr *el, *d;

	expr_begin("meta", &el, &d);
	nfk_attr_put_be32(B, NFTA_META_KEY, key);
	nfk_attr_put_be32(B, NFTA_META_DREG, dreg);
	expr_end(el, d);
}

static void payload(uint32_t base, uint32_t off, uint32_t len, uint32_t dreg)
{
	struct nlattr *el, *d;

	expr_begin("payload", &el, &d);
	nfk_attr_put_be32(B, NFTA_PAYLOAD_DREG, dreg);
	nfk_attr_put_be32(B, NFTA_PAYLOAD_BASE, base);
	nfk_attr_put_be32(B, NFTA_PAYLOAD_OFFSET, off);
	nfk_attr_put_be32(B, NFTA_PAYLOAD_LEN, len);
	expr_end(el, d);
}

static void cmp(uint32_t op, const void *v, size_t len)
{
	struct nlattr *el, *d;

	expr_begin("cmp", &el, &d);
	nfk_attr_put_be32(B, NFTA_CMP_SREG, NFT_REG_1);
	nfk_attr_put_be32(B, NFTA_CMP_OP, op);
	put_value(NFTA_CMP_DATA, v, len);
	expr_end(el, d);
}

static void verdict(int32_t code)
{
	struct nlattr *el, *d, *n, *v;

	expr_begin("immediate", &el, &d);
	nfk_attr_put_be32(B, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	n = nfk_nest_start(B, NFTA_IMMEDIATE_DATA);
	v = nfk_nest_start(B, NFTA_DATA_VERDICT);
	nfk_attr_put_be32(B, NFTA_VERDICT_CODE, (uint32_t)code);
	nfk_nest_end(B, v);
	nfk_nest_end(B, n);
	expr_end(el, d);
}

static void counter(void)
{
	struct nlattr *el, *d;

	expr_begin("counter", &el, &d);
	nfk_attr_put_be64(B, NFTA_COUNTER_BYTES, 0);
	nfk_attr_put_be64(B, NFTA_COUNTER_PACKETS, 0);
	expr_end(el, d);
}

static void exthdr(uint32_t op, uint8_t type, uint32_t off, uint32_t len, uint32_t flags)
{
	struct nlattr *el, *d;

	expr_begin("exthdr", &el, &d);
	nfk_attr_put_be32(B, NFTA_EXTHDR_DREG, NFT_REG_1);
	nfk_attr_put(B, NFTA_EXTHDR_TYPE, &type, 1);
	nfk_attr_put_be32(B, NFTA_EXTHDR_OFFSET, off);
	nfk_attr_put_be32(B, NFTA_EXTHDR_LEN, len);
	if (flags)
		nfk_attr_put_be32(B, NFTA_EXTHDR_FLAGS, flags);
	nfk_attr_put_be32(B, NFTA_EXTHDR_OP, op);
	expr_end(el, d);
}

static void bitwise(const void *mask, const void *xor, size_t len)
{
	struct nlattr *el, *d;

	expr_begin("bitwise", &el, &d);
	nfk_attr_put_be32(B, NFTA_BITWISE_SREG, NFT_REG_1);
	nfk_attr_put_be32(B, NFTA_BITWISE_DREG, NFT_REG_1);
	nfk_attr_put_be32(B, NFTA_BITWISE_LEN, (uint32_t)len);
	put_value(NFTA_BITWISE_MASK, mask, len);
	put_value(NFTA_BITWISE_XOR, xor, len);
	expr_end(el, d);
}

/* An expression with only 32-bit attributes: name, then (type, value)
 * pairs ending at type 0. */
static void expr_u32(const char *name, ...)
{
	struct nlattr *el, *d;
	va_list ap;
	unsigned t;

	expr_begin(name, &el, &d);
	va_start(ap, name);
	while ((t = va_arg(ap, unsigned)))
		nfk_attr_put_be32(B, (uint16_t)t, va_arg(ap, uint32_t));
	va_end(ap);
	expr_end(el, d);
}

static void check(const char *name, int family, bool stateless, const char *want)
{
	struct nfk_list_opts o = { .stateless = stateless };
	char *got = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&got, &len);

	nfk_rule_decompile(f, NULL, family, "t", B->data, B->len, &o);
	fclose(f);
	if (got && strcmp(got, want) == 0) {
		pass++;
	} else {
		fail++;
		printf("FAIL %s: got \"%s\", want \"%s\"\n", name, got ? got : "", want);
	}
	free(got);
	B->len = 0;
}

int main(void)
{
	static uint8_t mem[4096];
	struct nfk_buf b;
	uint8_t tcp = 6, ip4 = NFPROTO_IPV4;
	uint8_t port22[2] = { 0, 22 }, net10[1] = { 10 }, addr[4] = { 10, 0, 0, 2 };
	uint8_t garbage[] = { 0x08, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x05 };

	nfk_buf_init(&b, mem, sizeof(mem));
	B = &b;

	meta(NFT_META_L4PROTO, NFT_REG_1);
	cmp(NFT_CMP_EQ, &tcp, 1);
	payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1);
	cmp(NFT_CMP_EQ, port22, 2);
	verdict(NF_ACCEPT);
	check("tcp dport", NFPROTO_INET, false, "tcp dport 22 accept");

	meta(NFT_META_NFPROTO, NFT_REG_1);
	cmp(NFT_CMP_EQ, &ip4, 1);
	payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 1, NFT_REG_1);
	cmp(NFT_CMP_EQ, net10, 1);
	counter();
	verdict(NF_DROP);
	check("ip saddr prefix", NFPROTO_INET, false, "ip saddr 10.0.0.0/8 counter packets 0 bytes 0 drop");

	payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, NFT_REG_1);
	cmp(NFT_CMP_NEQ, addr, 4);
	counter();
	check("ip daddr !=, stateless", NFPROTO_IPV4, true, "ip daddr != 10.0.0.2 counter");

	meta(NFT_META_L4PROTO, NFT_REG_1);
	cmp(NFT_CMP_EQ, &tcp, 1);
	check("dependency alone stays", NFPROTO_INET, false, "meta l4proto tcp");

	{
		uint8_t one = 1, mss[2] = { 0x05, 0x50 };

		meta(NFT_META_L4PROTO, NFT_REG_1);
		cmp(NFT_CMP_EQ, &tcp, 1);
		exthdr(NFT_EXTHDR_OP_TCPOPT, 2, 0, 1, NFT_EXTHDR_F_PRESENT);
		cmp(NFT_CMP_EQ, &one, 1);
		check("tcp option exists", NFPROTO_INET, false, "tcp option maxseg exists");

		exthdr(NFT_EXTHDR_OP_TCPOPT, 2, 2, 2, 0);
		cmp(NFT_CMP_EQ, mss, 2);
		check("tcp option field", NFPROTO_IPV4, false, "tcp option maxseg size 1360");

		exthdr(NFT_EXTHDR_OP_TCPOPT, 255, 1, 1, 0);
		cmp(NFT_CMP_EQ, &one, 1);
		check("tcp option raw", NFPROTO_IPV4, false, "tcp option @255,8,8 1");

		exthdr(NFT_EXTHDR_OP_IPV6, 44, 4, 4, 0);
		cmp(NFT_CMP_EQ, "\0\0\0\1", 4);
		check("ipv6 frag id", NFPROTO_IPV6, false, "frag id 1");

		/* a length no register holds is refused, not trusted */
		exthdr(NFT_EXTHDR_OP_TCPOPT, 2, 0, 4000, 0);
		cmp(NFT_CMP_EQ, &one, 1);
		check("exthdr too long", NFPROTO_IPV4, false, "unknown cmp");
	}
	{
		uint8_t m[1] = { 0xfc }, x[1] = { 0 }, cs1[1] = { 8 << 2 };

		payload(NFT_PAYLOAD_NETWORK_HEADER, 1, 1, NFT_REG_1);
		bitwise(m, x, 1);
		cmp(NFT_CMP_EQ, cs1, 1);
		check("ip dscp", NFPROTO_IPV4, false, "ip dscp cs1");
	}
	{
		uint32_t m = 0xfffffffc, x = 3, v = 1;

		meta(NFT_META_MARK, NFT_REG_1);
		bitwise(&m, &x, 4);
		cmp(NFT_CMP_EQ, &v, 4);
		check("meta mark or", NFPROTO_IPV4, false, "meta mark | 0x00000003 == 0x00000001");
	}
	{
		uint32_t local = 2;

		expr_u32("fib", NFTA_FIB_DREG, NFT_REG_1, NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE,
			 NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR, 0);
		cmp(NFT_CMP_EQ, &local, 4);
		check("fib", NFPROTO_INET, false, "fib daddr type local");

		expr_u32("connlimit", NFTA_CONNLIMIT_COUNT, 3, NFTA_CONNLIMIT_FLAGS,
			 NFT_CONNLIMIT_F_INV, 0);
		check("ct count", NFPROTO_IPV4, false, "ct count over 3");

		expr_u32("numgen", NFTA_NG_DREG, NFT_REG_1, NFTA_NG_MODULUS, 2, NFTA_NG_TYPE,
			 NFT_NG_INCREMENTAL, 0);
		expr_u32("meta", NFTA_META_KEY, NFT_META_MARK, NFTA_META_SREG, NFT_REG_1, 0);
		check("numgen", NFPROTO_IPV4, false, "meta mark set numgen inc mod 2");

		/* an unknown key leaves the register unknown, not stale */
		meta(NFT_META_NFPROTO, NFT_REG_1);
		expr_u32("rt", NFTA_RT_DREG, NFT_REG_1, NFTA_RT_KEY, 99, 0);
		cmp(NFT_CMP_EQ, &ip4, 1);
		check("rt unknown key", NFPROTO_INET, false, "unknown rt unknown cmp");
	}

	/* Garbage must not crash: an element that is not an expression. */
	nfk_attr_put(&b, NFTA_LIST_ELEM, garbage, sizeof(garbage));
	verdict(NF_ACCEPT);
	check("garbage", NFPROTO_IPV4, false, "unknown malformed accept");

	printf("%u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
