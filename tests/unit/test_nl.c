// SPDX-License-Identifier: MIT
/*
 * Unit tests of the netlink layer (no kernel): attribute encoding and
 * parsing, nests, full buffers, truncated and garbage input, ack parsing,
 * batch building across chunks, and schema validation of garbage.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl/nl.h"
#include "nl/nl_sock.h"
#include "obj/objects.h"
#include "obj/schema.h"

static int passed, failed;

#define CHECK(cond, ...)                                            \
	do {                                                        \
		if (cond) {                                         \
			passed++;                                   \
		} else {                                            \
			failed++;                                   \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                        \
			putchar('\n');                              \
		}                                                   \
	} while (0)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Aligned scratch memory for encoders. */
static uint32_t mem32[1 << 16];
#define MEM ((uint8_t *)mem32)

static void test_roundtrip(void)
{
	static const uint8_t bin[5] = { 1, 2, 3, 4, 5 };
	const struct nlattr *tb[16];
	struct nfk_buf b;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	bool ok;

	memset(MEM, 0xaa, 512);
	nfk_buf_init(&b, MEM, 512);
	ok = nfk_attr_put_u8(&b, 1, 0x7f) && nfk_attr_put_u32(&b, 2, 0x01020304) &&
	     nfk_attr_put_be16(&b, 3, 0xbeef) && nfk_attr_put_be32(&b, 4, 0xdeadbeef) &&
	     nfk_attr_put_be64(&b, 5, 0x0102030405060708ull) && nfk_attr_put_str(&b, 6, "hello") &&
	     nfk_attr_put(&b, 7, bin, sizeof(bin)) && nfk_attr_put(&b, 8, NULL, 0);
	CHECK(ok, "all puts fit");
	/* 8 + 8 + 8 + 8 + 12 + 12 + 12 + 4 */
	CHECK(b.len == 72, "encoded length %zu", b.len);
	CHECK(MEM[4] == 0x7f && MEM[5] == 0 && MEM[6] == 0 && MEM[7] == 0, "u8 padding zeroed");
	CHECK(memcmp(MEM + 24 + 4, "\xde\xad\xbe\xef", 4) == 0, "be32 is big endian on the wire");
	CHECK(MEM[16 + 4] == 0xbe && MEM[16 + 5] == 0xef, "be16 is big endian on the wire");
	CHECK(nfk_attr_validate_stream(MEM, b.len) == 0, "stream valid");
	CHECK(nfk_attr_index(MEM, b.len, tb, 15) == 0, "index");
	CHECK(nfk_attr_get_u8(tb[1], &u8) && u8 == 0x7f, "u8");
	CHECK(nfk_attr_get_u32(tb[2], &u32) && u32 == 0x01020304, "u32");
	CHECK(nfk_attr_get_be16(tb[3], &u16) && u16 == 0xbeef, "be16");
	CHECK(nfk_attr_get_be32(tb[4], &u32) && u32 == 0xdeadbeef, "be32");
	CHECK(nfk_attr_get_be64(tb[5], &u64) && u64 == 0x0102030405060708ull, "be64");
	CHECK(nfk_attr_get_str(tb[6]) && strcmp(nfk_attr_get_str(tb[6]), "hello") == 0, "str");
	CHECK(nfk_attr_len(tb[7]) == 5 && memcmp(nfk_attr_data(tb[7]), bin, 5) == 0, "bin");
	CHECK(tb[8] && nfk_attr_len(tb[8]) == 0, "empty attribute");
	CHECK(!tb[0] && !tb[9] && !tb[15], "absent types stay NULL");
	/* Wrong sizes are refused, not misread. */
	CHECK(!nfk_attr_get_u32(tb[1], &u32) && !nfk_attr_get_be64(tb[4], &u64) &&
	      !nfk_attr_get_u8(tb[2], &u8) && !nfk_attr_get_be16(tb[6], &u16), "size checks");
	CHECK(!nfk_attr_get_str(tb[7]), "unterminated string is NULL");
	CHECK(!nfk_attr_get_str(tb[8]), "empty string attribute is NULL");
	CHECK(!nfk_attr_get_u32(NULL, &u32) && !nfk_attr_get_str(NULL), "NULL attributes");
	CHECK(nfk_tb_be32(tb, 4, 9) == 0xdeadbeef && nfk_tb_be32(tb, 9, 9) == 9 &&
	      nfk_tb_be64(tb, 5, 0) == 0x0102030405060708ull && nfk_tb_be64(tb, 4, 7) == 7 &&
	      strcmp(nfk_tb_str(tb, 6, "x"), "hello") == 0 && strcmp(nfk_tb_str(tb, 7, "x"), "x") == 0,
	      "tb helpers");
	CHECK(nfk_attr_find(MEM, b.len, 5) == tb[5] && !nfk_attr_find(MEM, b.len, 12), "find");
	/* Types above max are ignored; later duplicates win. */
	CHECK(nfk_attr_index(MEM, b.len, tb, 3) == 0 && tb[3] && nfk_attr_get_u8(tb[1], &u8),
	      "index with a small max");
	nfk_attr_put_u32(&b, 2, 42);
	CHECK(nfk_attr_index(MEM, b.len, tb, 15) == 0 && nfk_attr_get_u32(tb[2], &u32) && u32 == 42,
	      "later duplicate wins");
}

static void test_nests(void)
{
	struct nlattr *n1, *n2, *n3;
	struct nfk_buf b;
	size_t outer = 0, inner = 0;
	uint32_t v;

	nfk_buf_init(&b, MEM, 1024);
	n1 = nfk_nest_start(&b, 1);
	nfk_attr_put_be32(&b, 1, 11);
	n2 = nfk_nest_start(&b, 2);
	for (uint32_t i = 0; i < 3; i++) {
		n3 = nfk_nest_start(&b, NFTA_LIST_ELEM);
		nfk_attr_put_be32(&b, 1, i);
		nfk_attr_put_str(&b, 2, "abc");
		CHECK(nfk_nest_end(&b, n3), "inner nest end");
	}
	CHECK(nfk_nest_end(&b, n2), "middle nest end");
	CHECK(nfk_nest_end(&b, n1), "outer nest end");
	CHECK(n1->nla_type == (1 | NLA_F_NESTED) && nfk_attr_type(n1) == 1, "nested flag, masked type");
	CHECK(n1->nla_len == b.len, "outer length covers everything");
	CHECK(nfk_attr_validate_stream(MEM, b.len) == 0, "nested stream valid");
	nfk_attr_for_each(a, rem, nfk_attr_data(n1), nfk_attr_len(n1)) {
		outer++;
		if (nfk_attr_type(a) != 2)
			continue;
		nfk_attr_for_each(el, rem2, nfk_attr_data(a), nfk_attr_len(a)) {
			const struct nlattr *tb[3];

			CHECK(nfk_attr_index(nfk_attr_data(el), nfk_attr_len(el), tb, 2) == 0 &&
			      nfk_attr_get_be32(tb[1], &v) && v == inner &&
			      strcmp(nfk_tb_str(tb, 2, ""), "abc") == 0, "element %zu", inner);
			inner++;
		}
	}
	CHECK(outer == 2 && inner == 3, "walked %zu/%zu", outer, inner);

	/* Cancelling a nest drops everything from it on. */
	{
		size_t before = b.len;
		struct nlattr *n = nfk_nest_start(&b, 5);

		nfk_attr_put_be32(&b, 1, 1);
		nfk_nest_cancel(&b, n);
		CHECK(b.len == before, "nest cancel");
	}

	/* A nest past 64 KiB cannot be expressed: nest_end says so. */
	nfk_buf_init(&b, MEM, sizeof(mem32));
	n1 = nfk_nest_start(&b, 1);
	while (b.len < 70000)
		nfk_attr_put(&b, 1, MEM + 200000, 1000);
	CHECK(!nfk_nest_end(&b, n1), "oversized nest refused");
	CHECK(nfk_attr_validate_stream(MEM, b.len) < 0, "oversized nest is not a valid stream");
}

/* Every put either writes the whole attribute or nothing. */
static void test_full(void)
{
	static const char *const names[] = { "u8", "u32", "be16", "be32", "be64", "str", "bin", "nest", "msg" };
	struct nfk_buf b;

	for (unsigned kind = 0; kind < 9; kind++) {
		for (size_t cap = 0; cap <= 40; cap++) {
			const void *ret = NULL;
			bool ok = false;

			memset(MEM, 0x55, 64);
			nfk_buf_init(&b, MEM, cap);
			switch (kind) {
			case 0: ok = nfk_attr_put_u8(&b, 1, 1); break;
			case 1: ok = nfk_attr_put_u32(&b, 1, 1); break;
			case 2: ok = nfk_attr_put_be16(&b, 1, 1); break;
			case 3: ok = nfk_attr_put_be32(&b, 1, 1); break;
			case 4: ok = nfk_attr_put_be64(&b, 1, 1); break;
			case 5: ok = nfk_attr_put_str(&b, 1, "0123456789"); break;
			case 6: ok = nfk_attr_put(&b, 1, MEM + 1000, 21); break;
			case 7: ok = (ret = nfk_nest_start(&b, 1)) != NULL; break;
			case 8: ok = (ret = nfk_msg_put(&b, 0x0a00, 1, 2, 3, 4)) != NULL; break;
			}
			if (!ok) {
				bool untouched = b.len == 0;

				for (size_t i = 0; i < 64; i++)
					untouched &= MEM[i] == 0x55;
				CHECK(untouched, "%s with cap %zu: failed put wrote something", names[kind], cap);
			} else {
				CHECK(b.len <= cap && b.len % 4 == 0, "%s with cap %zu: len %zu", names[kind],
				      cap, b.len);
				for (size_t i = b.len; i < 64; i++)
					if (MEM[i] != 0x55) {
						CHECK(false, "%s wrote past its length", names[kind]);
						break;
					}
			}
		}
	}
	/* A value that cannot fit a 16-bit length is refused outright. */
	nfk_buf_init(&b, MEM, sizeof(mem32));
	CHECK(!nfk_attr_put(&b, 1, MEM + 100000, 65535) && b.len == 0, "65535-byte payload refused");
	CHECK(nfk_attr_put(&b, 1, MEM + 100000, 65531) && b.len == 65536, "65531-byte payload fits");

	/* Messages: header, then cancel. */
	nfk_buf_init(&b, MEM, 256);
	{
		struct nlmsghdr *nlh = nfk_msg_put(&b, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE,
						   NLM_F_REQUEST, 77, NFPROTO_INET, 0x1234);
		const struct nfgenmsg *nfg = (const void *)(MEM + NLMSG_HDRLEN);
		const void *attrs;
		size_t len;

		nfk_attr_put_str(&b, NFTA_TABLE_NAME, "t");
		nfk_msg_end(&b, nlh);
		CHECK(nlh->nlmsg_len == b.len && nlh->nlmsg_seq == 77 && nfg->nfgen_family == NFPROTO_INET &&
		      be16toh(nfg->res_id) == 0x1234 && nfg->version == NFNETLINK_V0, "message header");
		attrs = nfk_msg_attrs(nlh, &len);
		CHECK(attrs && len == 8 && nfk_attr_find(attrs, len, NFTA_TABLE_NAME), "message attrs");
		nlh->nlmsg_len = 10;
		CHECK(!nfk_msg_attrs(nlh, &len) && len == 0, "short message has no attrs");
		nfk_msg_cancel(&b, nlh);
		CHECK(b.len == 0, "message cancel");
	}
}

static void test_truncated(void)
{
	struct nfk_buf b;
	struct nlattr *n;
	size_t full;
	int valid = 0;

	nfk_buf_init(&b, MEM, 1024);
	nfk_attr_put_str(&b, 1, "abcdefg");
	n = nfk_nest_start(&b, 2);
	nfk_attr_put_be32(&b, 1, 5);
	nfk_attr_put_u8(&b, 2, 5);
	nfk_nest_end(&b, n);
	nfk_attr_put_be64(&b, 3, 5);
	full = b.len;
	/* the netlink layout: "abcdefg" 4 + 8, the nest 4 + (4 + 4) + (4 + 1 + 3
	 * padding), the be64 4 + 8 */
	CHECK(full == 44, "stream of %zu bytes, 44 expected", full);
	/* Prefixes are valid exactly at attribute boundaries: 0, 12, 32, 44. */
	for (size_t len = 0; len <= full; len++) {
		const struct nlattr *tb[4];
		bool boundary = len == 0 || len == 12 || len == 32 || len == 44;
		int ret = nfk_attr_validate_stream(MEM, len);

		if (ret == 0)
			valid++;
		CHECK((ret == 0) == boundary, "validate at %zu: %d", len, ret);
		CHECK((nfk_attr_index(MEM, len, tb, 3) == 0) == boundary, "index at %zu", len);
	}
	CHECK(valid == 4, "%d valid prefixes (0, after each of 3 attributes)", valid);

	/* Broken lengths. */
	n = (struct nlattr *)MEM;
	n->nla_len = 3;
	CHECK(nfk_attr_validate_stream(MEM, full) < 0, "nla_len below the header");
	n->nla_len = (uint16_t)(full + 4);
	CHECK(nfk_attr_validate_stream(MEM, full) < 0, "nla_len past the end");
	n->nla_len = 0;
	CHECK(nfk_attr_validate_stream(MEM, full) < 0, "zero nla_len");
	CHECK(nfk_attr_validate_stream(MEM, 2) < 0 && nfk_attr_validate_stream(MEM, 0) == 0,
	      "2 bytes invalid, 0 bytes valid");
}

static void test_garbage(void)
{
	static uint32_t buf32[1024];
	uint8_t *buf = (uint8_t *)buf32;
	size_t valid = 0, disagree = 0, short_walk = 0;

	for (int iter = 0; iter < 200000; iter++) {
		const struct nlattr *tb[8];
		size_t len = rnd() % 96, walked = 0;
		int ret;

		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd();
		/* Bias lengths towards plausible values so that deeper paths run. */
		if (len >= 4 && rnd() % 2)
			((struct nlattr *)buf)->nla_len = (uint16_t)(4 + rnd() % len);
		ret = nfk_attr_validate_stream(buf, len);
		if (nfk_attr_index(buf, len, tb, 7) != ret)
			disagree++;
		nfk_attr_for_each(a, rem, buf, len) {
			uint64_t v;

			walked += NFK_ALIGN(a->nla_len);
			(void)nfk_attr_get_be64(a, &v);
			(void)nfk_attr_get_str(a);
			if (a->nla_type & NLA_F_NESTED)
				(void)nfk_attr_validate_stream(nfk_attr_data(a), nfk_attr_len(a));
		}
		if (ret == 0) {
			valid++;
			/* A valid stream is walked to its end. */
			if (walked < len)
				short_walk++;
		}
		(void)nfk_attr_find(buf, len, (uint16_t)(rnd() % 8));
	}
	CHECK(!disagree && !short_walk, "garbage: %zu index/validate disagreements, %zu short walks",
	      disagree, short_walk);
	CHECK(valid > 1000, "garbage produced %zu valid streams (enough coverage)", valid);
}

/* Acks as the kernel sends them, capped (NETLINK_CAP_ACK) and not. */
static size_t build_ack(uint8_t *out, int error, bool capped, bool tlvs, size_t echo_payload)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)out;
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	struct nfk_buf b;
	size_t off;

	memset(out, 0, 1024);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = (capped ? NLM_F_CAPPED : 0) | (tlvs ? NLM_F_ACK_TLVS : 0);
	e->error = error;
	e->msg.nlmsg_len = NLMSG_HDRLEN + (uint32_t)echo_payload;
	e->msg.nlmsg_seq = 5;
	off = NLMSG_HDRLEN + sizeof(*e) + (capped ? 0 : NLMSG_ALIGN(echo_payload));
	nfk_buf_init(&b, out, 1024);
	b.len = off;
	if (tlvs) {
		nfk_attr_put_str(&b, NLMSGERR_ATTR_MSG, "bad thing");
		nfk_attr_put_u32(&b, NLMSGERR_ATTR_OFFS, 36);
	}
	nlh->nlmsg_len = (uint32_t)b.len;
	return b.len;
}

static void test_acks(void)
{
	static uint32_t m32[256];
	uint8_t *m = (uint8_t *)m32;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m;
	struct nfk_nlerr e;
	size_t outside = 0;

	build_ack(m, 0, true, false, 0);
	CHECK(nfk_nlerr_parse(nlh, &e) == 0 && e.error == 0 && e.attr_off == -1 && !e.msg, "plain ack");
	build_ack(m, -ENOENT, true, true, 40);
	CHECK(nfk_nlerr_parse(nlh, &e) == 0 && e.error == -ENOENT && e.attr_off == 36 && e.msg &&
	      strcmp(e.msg, "bad thing") == 0, "capped ack with TLVs");
	build_ack(m, -EINVAL, false, true, 42);
	CHECK(nfk_nlerr_parse(nlh, &e) == 0 && e.error == -EINVAL && e.attr_off == 36 && e.msg &&
	      strcmp(e.msg, "bad thing") == 0, "uncapped ack: TLVs after the echoed request");
	build_ack(m, -EINVAL, false, false, 42);
	CHECK(nfk_nlerr_parse(nlh, &e) == 0 && e.error == -EINVAL && !e.msg, "uncapped, no TLVs");
	/* An echoed length pointing past the message. */
	build_ack(m, -EINVAL, false, true, 42);
	((struct nlmsgerr *)NLMSG_DATA(nlh))->msg.nlmsg_len = 5000;
	CHECK(nfk_nlerr_parse(nlh, &e) < 0, "echo length past the end");
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	CHECK(nfk_nlerr_parse(nlh, &e) < 0, "too short for the error code");
	for (int i = 0; i < 20000; i++) {
		size_t len = build_ack(m, -(int)(rnd() % 200), rnd() % 2, rnd() % 2, rnd() % 64);

		for (int k = rnd() % 6; k > 0; k--)
			m[NLMSG_HDRLEN + rnd() % (len - NLMSG_HDRLEN)] = (uint8_t)rnd();
		(void)nfk_nlerr_parse(nlh, &e);
		if (e.msg && (e.msg < (char *)m || e.msg >= (char *)m + len))
			outside++;
	}
	CHECK(!outside, "%zu parsed messages pointed outside the ack", outside);
}

struct walk {
	size_t next;
	const size_t *cookies;
	const uint8_t *prev_end;
	size_t breaks;
	uint32_t prev_seq;
	bool ok;
};

static int walk_cb(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct walk *w = arg;
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];
	const void *attrs;
	size_t len;
	uint32_t v;

	attrs = nfk_msg_attrs(nlh, &len);
	if (index != w->next++ || cookie != &w->cookies[index] ||
	    nlh->nlmsg_type != (NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWSETELEM) ||
	    (nlh->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE)) !=
		    (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE) ||
	    nlh->nlmsg_len > NFK_BATCH_MSG_MAX || (index && nlh->nlmsg_seq != w->prev_seq + 1) ||
	    !attrs || nfk_attr_index(attrs, len, tb, NFTA_SET_ELEM_LIST_MAX) < 0 ||
	    !nfk_attr_get_be32(tb[NFTA_SET_ELEM_LIST_SET_ID], &v) || v != index ||
	    ((uintptr_t)nlh & 3)) {
		w->ok = false;
		return -1;
	}
	w->prev_seq = nlh->nlmsg_seq;
	if ((const uint8_t *)nlh != w->prev_end)
		w->breaks++;
	w->prev_end = (const uint8_t *)nlh + nlh->nlmsg_len;
	return 0;
}

static int stop_cb(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	(void)arg;
	(void)cookie;
	(void)nlh;
	return index == 3 ? 42 : 0;
}

static void test_batch(void)
{
	enum { N = 20000 };
	size_t *cookies = calloc(N, sizeof(*cookies));
	struct walk w = { .cookies = cookies, .ok = true };
	struct nfk_batch *b;
	size_t big = 0, total = 0, want = 0, badlen = 0;
	bool redo = false;

	CHECK(nfk_batch_new(&b) == 0, "batch_new");
	CHECK(nfk_batch_count(b) == 0 && nfk_batch_size(b) == 0, "empty batch");
	for (size_t i = 0; i < N; i++) {
		struct nfk_buf *buf;
		struct nlmsghdr *nlh;
		size_t payload;

		nlh = nfk_batch_msg(b, &buf, NFT_MSG_NEWSETELEM, NLM_F_CREATE, NFPROTO_IPV4, &cookies[i]);
		if (!nlh) {
			CHECK(false, "batch_msg %zu", i);
			break;
		}
		nfk_attr_put_be32(buf, NFTA_SET_ELEM_LIST_SET_ID, (uint32_t)i);
		/* Every 50th message is filled to the brim: puts must stop
		 * exactly at NFK_BATCH_MSG_MAX, never in the next message. */
		if (i % 50 == 7) {
			while (nfk_attr_put(buf, NFTA_SET_ELEM_LIST_ELEMENTS, MEM, 4000))
				;
			while (nfk_attr_put(buf, NFTA_SET_ELEM_LIST_ELEMENTS, MEM, 0))
				;
			payload = (size_t)((uint8_t *)buf->data + buf->len - (uint8_t *)nlh);
			CHECK(payload == NFK_BATCH_MSG_MAX, "full message is %zu bytes", payload);
			want = NFK_BATCH_MSG_MAX;
			big++;
		} else {
			size_t n = rnd() % 300;

			nfk_attr_put(buf, NFTA_SET_ELEM_LIST_ELEMENTS, MEM, n);
			/* nlmsghdr 16, nfgenmsg 4, the set id 8, the elements
			 * 4 + n padded to 4 */
			want = 16 + 4 + 8 + ((4 + n + 3) & ~(size_t)3);
		}
		/* Every 10th message is built twice: cancelled, then redone. */
		if (i % 10 == 3 && !redo) {
			nfk_batch_cancel_msg(b, nlh);
			redo = true;
			i--;
			continue;
		}
		redo = false;
		nfk_batch_end_msg(b, nlh);
		badlen += nlh->nlmsg_len != want;
		total += want;
	}
	CHECK(!badlen, "%zu messages not as long as what was put in them", badlen);
	CHECK(nfk_batch_count(b) == N, "count %zu", nfk_batch_count(b));
	CHECK(nfk_batch_size(b) == total, "size %zu vs %zu", nfk_batch_size(b), total);
	CHECK(nfk_batch_for_each(b, walk_cb, &w) == 0 && w.ok && w.next == N,
	      "walk: ok %d, %zu messages", w.ok, w.next);
	/* ~400 full messages of 66 KiB and small ones: ~27 MiB in ~27 chunks. */
	/* A chunk wastes less than one maximal message at its end. */
	CHECK(w.breaks >= total / (1 << 20) + 1 && w.breaks <= total / ((1 << 20) - NFK_BATCH_MSG_MAX) + 1,
	      "%zu chunk starts for %zu bytes", w.breaks, total);
	CHECK(nfk_batch_for_each(b, stop_cb, NULL) == 42, "for_each stops on non-zero");
	nfk_batch_free(b);
	nfk_batch_free(NULL);
	free(cookies);
	(void)big;
}

/* Schemas must reject or accept garbage, never crash on it. */
static void test_schema_garbage(void)
{
	static const struct nfk_schema *const schemas[] = {
		&nfk_table_schema, &nfk_chain_schema, &nfk_rule_schema, &nfk_set_schema,
		&nfk_setelem_list_schema, &nfk_setelem_schema, &nfk_obj_schema,
		&nfk_expr_schema, &nfk_data_schema, &nfk_flowtable_schema,
	};
	static uint32_t buf32[512];
	static uint8_t src[64];
	uint8_t *buf = (uint8_t *)buf32;
	FILE *null = fopen("/dev/null", "w");
	size_t accepted = 0, no_diag = 0;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)rnd();
	for (int iter = 0; iter < 50000; iter++) {
		const struct nfk_schema *s = schemas[rnd() % (sizeof(schemas) / sizeof(schemas[0]))];
		struct nfk_buf b;
		struct nfk_verr err;
		size_t len;

		/* Structured garbage: random attributes, nests of them, and
		 * an expression or two, then random bit flips. */
		nfk_buf_init(&b, buf, 1024 + rnd() % 512);
		for (int k = rnd() % 8; k > 0; k--) {
			uint16_t type = (uint16_t)(rnd() % 20);

			if (rnd() % 4 == 0) {
				struct nlattr *n = nfk_nest_start(&b, type);
				struct nlattr *e;

				if (!n)
					break;
				e = nfk_nest_start(&b, NFTA_LIST_ELEM);
				if (e) {
					static const char *const names[] = { "cmp", "payload", "meta", "immediate", "lookup", "nope" };

					nfk_attr_put_str(&b, NFTA_EXPR_NAME, names[rnd() % 6]);
					nfk_attr_put(&b, rnd() % 4, src, rnd() % 24);
					nfk_nest_end(&b, e);
				}
				nfk_nest_end(&b, n);
			} else {
				nfk_attr_put(&b, type, src, rnd() % 12);
			}
		}
		len = b.len;
		for (int k = rnd() % 4; k > 0 && len; k--)
			buf[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
		if (rnd() % 8 == 0 && len)
			len -= rnd() % len;
		if (nfk_schema_validate(s, buf, len, &err) == 0)
			accepted++;
		else if (!err.msg[0] || err.offset > len)
			no_diag++;
		nfk_schema_print(null, s, buf, len);
		nfk_exprs_print(null, buf, len);
	}
	CHECK(!no_diag, "%zu rejections without a usable diagnostic", no_diag);
	CHECK(accepted > 100 && accepted < 50000, "%zu of 50000 accepted", accepted);
	fclose(null);
}

int main(void)
{
	test_roundtrip();
	test_nests();
	test_full();
	test_truncated();
	test_garbage();
	test_acks();
	test_batch();
	test_schema_garbage();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
