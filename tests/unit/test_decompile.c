// SPDX-License-Identifier: MIT
/* Offline decompiler tests: hand-built expression lists -> nft rule text. */
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

	/* Garbage must not crash: an element that is not an expression. */
	nfk_attr_put(&b, NFTA_LIST_ELEM, garbage, sizeof(garbage));
	verdict(NF_ACCEPT);
	check("garbage", NFPROTO_IPV4, false, "unknown malformed accept");

	printf("%u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
