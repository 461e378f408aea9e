// SPDX-License-Identifier: MIT
/*
 * Kernel test (run as root inside `unshare -n`): one batch of 1,000,000
 * set elements commits as one transaction, a dump sees all of them, and a
 * batch that fails in the middle names the right message and changes
 * nothing.  Messages are built by hand with the nl.h encoders.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nl/nl.h"
#include "nl/nl_sock.h"   /* to force a sequence wrap */

#define KEY_BASE 0x0a000000u        /* 10.0.0.0 */
#define FAIL_BASE 0x0b000000u       /* 11.0.0.0: keys of the failing batch */
#define TABLE "bigt"
#define SET "bigs"

/* 1,000,000 unless argv[1] says otherwise (quicker runs while debugging). */
static uint32_t NELEM = 1000000;
#define NSMALL 200000u
static int passed, failed;

#define CHECK(cond, ...)                                         \
	do {                                                     \
		if (cond) {                                      \
			passed++;                                \
		} else {                                         \
			failed++;                                \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                     \
			putchar('\n');                           \
		}                                                \
	} while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_errs(const char *what, int ret, const struct nfk_batch_err *errs, size_t nerrs)
{
	printf("  %s: ret %d (%s), %zu error(s)\n", what, ret, strerror(-ret), nerrs);
	for (size_t i = 0; i < nerrs && i < 4; i++)
		printf("    msg #%zu seq %u cookie %p: %s, attr_off %d, \"%s\"\n",
		       errs[i].index, errs[i].seq, errs[i].cookie, strerror(-errs[i].error),
		       errs[i].attr_off, errs[i].msg);
}

static int add_table_and_set(struct nfk_batch *b)
{
	struct nfk_buf *buf;
	struct nlmsghdr *nlh;

	nlh = nfk_batch_msg(b, &buf, NFT_MSG_NEWTABLE, NLM_F_CREATE, NFPROTO_IPV4, "table");
	if (!nlh || !nfk_attr_put_str(buf, NFTA_TABLE_NAME, TABLE))
		return -ENOMEM;
	nfk_batch_end_msg(b, nlh);

	nlh = nfk_batch_msg(b, &buf, NFT_MSG_NEWSET, NLM_F_CREATE, NFPROTO_IPV4, "set");
	if (!nlh || !nfk_attr_put_str(buf, NFTA_SET_TABLE, TABLE) ||
	    !nfk_attr_put_str(buf, NFTA_SET_NAME, SET) ||
	    !nfk_attr_put_be32(buf, NFTA_SET_KEY_TYPE, 7) ||
	    !nfk_attr_put_be32(buf, NFTA_SET_KEY_LEN, 4) ||
	    !nfk_attr_put_be32(buf, NFTA_SET_ID, 1))
		return -ENOMEM;
	nfk_batch_end_msg(b, nlh);
	return 0;
}

/* Appends NEWSETELEM messages for keys [first, first + n) to set, each
 * packed until its element nest would outgrow 16 bits.  *nmsgs counts
 * the messages added. */
static int add_elems(struct nfk_batch *b, const char *set, uint32_t first, uint32_t n,
		     const void *cookie, size_t *nmsgs)
{
	uint32_t i = 0;

	while (i < n) {
		struct nfk_buf *buf;
		struct nlmsghdr *nlh;
		struct nlattr *list;

		nlh = nfk_batch_msg(b, &buf, NFT_MSG_NEWSETELEM, NLM_F_CREATE, NFPROTO_IPV4, cookie);
		if (!nlh || !nfk_attr_put_str(buf, NFTA_SET_ELEM_LIST_TABLE, TABLE) ||
		    !nfk_attr_put_str(buf, NFTA_SET_ELEM_LIST_SET, set))
			return -ENOMEM;
		list = nfk_nest_start(buf, NFTA_SET_ELEM_LIST_ELEMENTS);
		if (!list)
			return -ENOMEM;
		for (; i < n; i++) {
			size_t mark = buf->len;
			uint32_t key = htonl(first + i);
			struct nlattr *el, *k;
			bool ok;

			el = nfk_nest_start(buf, NFTA_LIST_ELEM);
			k = el ? nfk_nest_start(buf, NFTA_SET_ELEM_KEY) : NULL;
			ok = k && nfk_attr_put(buf, NFTA_DATA_VALUE, &key, sizeof(key));
			if (ok) {
				nfk_nest_end(buf, k);
				nfk_nest_end(buf, el);
				ok = nfk_nest_end(buf, list);
			}
			if (!ok) {
				buf->len = mark;   /* this element goes to the next message */
				break;
			}
		}
		if (!nfk_nest_end(buf, list))
			return -EMSGSIZE;
		nfk_batch_end_msg(b, nlh);
		(*nmsgs)++;
	}
	return 0;
}

struct count {
	size_t elems;
	uint64_t keysum;
	size_t distinct;     /* keys of [KEY_BASE, KEY_BASE + NELEM) seen once */
	uint8_t *seen;       /* bitmap over that range */
};

static int count_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];
	struct count *c = arg;
	const void *attrs;
	size_t len;

	attrs = nfk_msg_attrs(nlh, &len);
	if (!attrs || nfk_attr_index(attrs, len, tb, NFTA_SET_ELEM_LIST_MAX) < 0 ||
	    !tb[NFTA_SET_ELEM_LIST_ELEMENTS])
		return -EBADMSG;
	nfk_attr_for_each(el, rem, nfk_attr_data(tb[NFTA_SET_ELEM_LIST_ELEMENTS]),
			  nfk_attr_len(tb[NFTA_SET_ELEM_LIST_ELEMENTS])) {
		const struct nlattr *key, *val;
		uint32_t k;

		key = nfk_attr_find(nfk_attr_data(el), nfk_attr_len(el), NFTA_SET_ELEM_KEY);
		val = key ? nfk_attr_find(nfk_attr_data(key), nfk_attr_len(key), NFTA_DATA_VALUE) : NULL;
		if (!val || nfk_attr_len(val) != 4)
			return -EBADMSG;
		memcpy(&k, nfk_attr_data(val), 4);
		c->elems++;
		k = ntohl(k);
		c->keysum += k;
		if (k - KEY_BASE < NELEM && !(c->seen[(k - KEY_BASE) / 8] & 1u << (k % 8))) {
			c->seen[(k - KEY_BASE) / 8] |= 1u << (k % 8);
			c->distinct++;
		}
	}
	return 0;
}

static int get_elem_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	((struct count *)arg)->elems++;
	return 0;
}

static int dump_elems(struct nfk_sock *s, struct count *c)
{
	static uint8_t mem[512];
	struct nfk_buf buf;
	struct nlmsghdr *nlh;
	int ret;

	for (int tries = 0; tries < 5; tries++) {
		c->elems = c->distinct = 0;
		c->keysum = 0;
		memset(c->seen, 0, NELEM / 8 + 1);
		nfk_buf_init(&buf, mem, sizeof(mem));
		nlh = nfk_msg_put(&buf, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETSETELEM,
				  NLM_F_REQUEST | NLM_F_DUMP, nfk_sock_seq(s), NFPROTO_IPV4, 0);
		if (!nfk_attr_put_str(&buf, NFTA_SET_ELEM_LIST_TABLE, TABLE) ||
		    !nfk_attr_put_str(&buf, NFTA_SET_ELEM_LIST_SET, SET))
			return -ENOMEM;
		nfk_msg_end(&buf, nlh);
		ret = nfk_sock_request(s, nlh, count_cb, c);
		/* Right after a big insert the kernel may still be resizing
		 * the hash table in the background; a dump walking it then
		 * repeats and misses elements without flagging
		 * NLM_F_DUMP_INTR.  Duplicates give that away. */
		if (ret == 0 && c->distinct == c->elems)
			return 0;
		if (ret && ret != -EINTR)
			return ret;
		printf("  dump inconsistent (%zu elements, %zu distinct, ret %d): retrying\n",
		       c->elems, c->distinct, ret);
		nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
	}
	return ret ? ret : -EAGAIN;
}

/* GETSETELEM for one key: 0 when the set holds it, else -errno. */
static int get_elem(struct nfk_sock *s, uint32_t key)
{
	static uint8_t mem[512];
	struct nfk_buf buf;
	struct nlmsghdr *nlh;
	struct nlattr *list, *el, *k;
	struct count c = { 0 };
	uint32_t nkey = htonl(key);
	int ret;

	nfk_buf_init(&buf, mem, sizeof(mem));
	nlh = nfk_msg_put(&buf, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETSETELEM,
			  NLM_F_REQUEST | NLM_F_ACK, nfk_sock_seq(s), NFPROTO_IPV4, 0);
	nfk_attr_put_str(&buf, NFTA_SET_ELEM_LIST_TABLE, TABLE);
	nfk_attr_put_str(&buf, NFTA_SET_ELEM_LIST_SET, SET);
	list = nfk_nest_start(&buf, NFTA_SET_ELEM_LIST_ELEMENTS);
	el = nfk_nest_start(&buf, NFTA_LIST_ELEM);
	k = nfk_nest_start(&buf, NFTA_SET_ELEM_KEY);
	nfk_attr_put(&buf, NFTA_DATA_VALUE, &nkey, sizeof(nkey));
	nfk_nest_end(&buf, k);
	nfk_nest_end(&buf, el);
	nfk_nest_end(&buf, list);
	nfk_msg_end(&buf, nlh);
	ret = nfk_sock_request(s, nlh, get_elem_cb, &c);
	if (ret == 0 && c.elems != 1)
		return -EPROTO;
	return ret;
}

static int count_tables_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
	return 0;
}

/* A plain GET answers with the object, then an ack only when asked. */
static void test_get(struct nfk_sock *s)
{
	static uint8_t mem[256];
	struct nfk_buf buf;
	struct nlmsghdr *nlh;
	int n, ret;

	for (int ack = 0; ack < 2; ack++) {
		nfk_buf_init(&buf, mem, sizeof(mem));
		nlh = nfk_msg_put(&buf, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETTABLE,
				  NLM_F_REQUEST | (ack ? NLM_F_ACK : 0), nfk_sock_seq(s), NFPROTO_IPV4, 0);
		nfk_attr_put_str(&buf, NFTA_TABLE_NAME, TABLE);
		nfk_msg_end(&buf, nlh);
		n = 0;
		ret = nfk_sock_request(s, nlh, count_tables_cb, &n);
		CHECK(ret == 0 && n == 1, "GETTABLE (ack=%d): ret %d, %d replies", ack, ret, n);

		nfk_buf_init(&buf, mem, sizeof(mem));
		nlh = nfk_msg_put(&buf, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETTABLE,
				  NLM_F_REQUEST | (ack ? NLM_F_ACK : 0), nfk_sock_seq(s), NFPROTO_IPV4, 0);
		nfk_attr_put_str(&buf, NFTA_TABLE_NAME, "nosuchtable");
		nfk_msg_end(&buf, nlh);
		n = 0;
		ret = nfk_sock_request(s, nlh, count_tables_cb, &n);
		CHECK(ret == -ENOENT && n == 0, "GETTABLE missing (ack=%d): ret %d", ack, ret);
	}
	nfk_buf_init(&buf, mem, sizeof(mem));
	nlh = nfk_msg_put(&buf, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETTABLE,
			  NLM_F_REQUEST | NLM_F_DUMP, nfk_sock_seq(s), NFPROTO_UNSPEC, 0);
	nfk_msg_end(&buf, nlh);
	n = 0;
	ret = nfk_sock_request(s, nlh, count_tables_cb, &n);
	CHECK(ret == 0 && n == 1, "GETTABLE dump: ret %d, %d tables", ret, n);
}

struct off_check {
	size_t index;
	int32_t off;
	int type;   /* type of the attribute at off, or -1 */
};

static int off_cb(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct off_check *oc = arg;
	const struct nlattr *a;
	(void)cookie;

	if (index != oc->index)
		return 0;
	if (oc->off >= (int32_t)NFK_MSG_HDRLEN &&
	    (size_t)oc->off + sizeof(*a) <= nlh->nlmsg_len) {
		a = (const struct nlattr *)((const uint8_t *)nlh + oc->off);
		oc->type = nfk_attr_type(a);
	}
	return 1;
}

int main(int argc, char **argv)
{
	static const char *const fail_cookie = "the bad message";
	struct nfk_batch_err errs[8];
	struct nfk_sock *s = NULL;
	struct nfk_batch *b = NULL;
	struct count c = { 0 };
	size_t nerrs, nmsgs = 0, bad_index, size;
	uint64_t want_sum;
	double t0, t1, t2;
	int ret;

	if (argc > 1)
		NELEM = (uint32_t)strtoul(argv[1], NULL, 0);
	c.seen = calloc(NELEM / 8 + 1, 1);
	ret = nfk_sock_open(&s);
	CHECK(ret == 0, "sock_open: %d", ret);
	if (ret)
		goto out;

	/* Table and set. */
	nfk_batch_new(&b);
	ret = add_table_and_set(b);
	if (!ret)
		ret = nfk_batch_send(s, b, false, errs, 8, &nerrs);
	if (ret)
		print_errs("table+set", ret, errs, nerrs);
	CHECK(ret == 0, "table+set batch: %d", ret);
	nfk_batch_free(b);
	test_get(s);

	/* One million elements, one transaction. */
	t0 = now();
	nfk_batch_new(&b);
	ret = add_elems(b, SET, KEY_BASE, NELEM, "elements", &nmsgs);
	CHECK(ret == 0, "building the big batch: %d", ret);
	size = nfk_batch_size(b);
	t1 = now();
	ret = nfk_batch_send(s, b, false, errs, 8, &nerrs);
	t2 = now();
	if (ret)
		print_errs("big batch", ret, errs, nerrs);
	CHECK(ret == 0 && nerrs == 0, "big batch: %d", ret);
	printf("  %u elements: %zu messages, %.1f MiB; build %.3f s, send+commit+acks %.3f s\n",
	       NELEM, nmsgs, size / 1048576.0, t1 - t0, t2 - t1);
	nfk_batch_free(b);

	want_sum = (uint64_t)NELEM * KEY_BASE + (uint64_t)NELEM * (NELEM - 1) / 2;
	/* A dump of a big hash set costs the kernel O(n^2) (every 32 KiB
	 * part re-walks the table from the start): ~15 s for 1M elements.
	 * The dump at the end proves both the commit and that the failing
	 * batches changed nothing; NFK_TEST_FULL=1 adds one here too. */
	if (getenv("NFK_TEST_FULL")) {
		t0 = now();
		ret = dump_elems(s, &c);
		t1 = now();
		CHECK(ret == 0 && c.elems == NELEM && c.distinct == NELEM && c.keysum == want_sum,
		      "dump: ret %d, %zu elements, keysum %llu want %llu", ret, c.elems,
		      (unsigned long long)c.keysum, (unsigned long long)want_sum);
		printf("  dump of %zu elements: %.3f s\n", c.elems, t1 - t0);
	}
	CHECK(get_elem(s, KEY_BASE + 12345) == 0, "GETSETELEM of an added key");
	CHECK(get_elem(s, KEY_BASE + NELEM) == -ENOENT, "GETSETELEM of a key never added");

	/* Check mode: valid, but END is left out, so nothing is committed. */
	nfk_batch_new(&b);
	nmsgs = 0;
	ret = add_elems(b, SET, FAIL_BASE, 10000, "checked", &nmsgs);
	if (!ret)
		ret = nfk_batch_send(s, b, true, errs, 8, &nerrs);
	if (ret)
		print_errs("check batch", ret, errs, nerrs);
	CHECK(ret == 0, "check-only batch: %d", ret);
	nfk_batch_free(b);
	CHECK(get_elem(s, FAIL_BASE) == -ENOENT && get_elem(s, FAIL_BASE + 9999) == -ENOENT,
	      "check-only batch committed nothing");

	/* Many small messages: one ack each, all of them must fit the
	 * receive buffer (checked only, so nothing is committed). */
	nfk_batch_new(&b);
	for (uint32_t i = 0; i < NSMALL; i++) {
		nmsgs = 0;
		if (add_elems(b, SET, FAIL_BASE + i, 1, "small", &nmsgs))
			break;
	}
	t0 = now();
	ret = nfk_batch_send(s, b, true, errs, 8, &nerrs);
	t1 = now();
	if (ret)
		print_errs("small messages", ret, errs, nerrs);
	CHECK(ret == 0 && nfk_batch_count(b) == NSMALL, "%u one-element messages: %d", NSMALL, ret);
	printf("  %zu one-element messages (check only): %.3f s\n", nfk_batch_count(b), t1 - t0);
	nfk_batch_free(b);

	/* Acks still match when the sequence numbers wrap mid-batch. */
	s->seq = UINT32_MAX - 5;
	nfk_batch_new(&b);
	nmsgs = 0;
	for (uint32_t i = 0; i < 20; i++)
		add_elems(b, i == 12 ? "nosuchset" : SET, FAIL_BASE + i, 1, &errs[i % 8], &nmsgs);
	ret = nfk_batch_send(s, b, true, errs, 8, &nerrs);
	CHECK(ret == -ENOENT && nerrs == 1 && errs[0].index == 12 && errs[0].cookie == &errs[4],
	      "error across a sequence wrap: ret %d, nerrs %zu, index %zu", ret, nerrs, errs[0].index);
	nfk_batch_free(b);

	/* A failing batch: a message for a missing set in the middle. */
	nfk_batch_new(&b);
	nmsgs = 0;
	ret = add_elems(b, SET, FAIL_BASE, 200000, "before", &nmsgs);
	bad_index = nmsgs;
	if (!ret)
		ret = add_elems(b, "nosuchset", FAIL_BASE + 200000, 10, fail_cookie, &nmsgs);
	if (!ret)
		ret = add_elems(b, SET, FAIL_BASE + 200010, 200000, "after", &nmsgs);
	CHECK(ret == 0 && nmsgs > bad_index + 1, "building failing batch: %d", ret);
	t0 = now();
	ret = nfk_batch_send(s, b, false, errs, 8, &nerrs);
	t1 = now();
	print_errs("failing batch", ret, errs, nerrs);
	CHECK(ret == -ENOENT, "failing batch returns -ENOENT: %d", ret);
	CHECK(nerrs == 1 && errs[0].index == bad_index && errs[0].cookie == fail_cookie &&
	      errs[0].error == -ENOENT,
	      "error names message %zu: nerrs %zu index %zu", bad_index, nerrs, errs[0].index);
	if (nerrs >= 1 && errs[0].index == bad_index) {
		struct off_check oc = { bad_index, errs[0].attr_off, -1 };

		nfk_batch_for_each(b, off_cb, &oc);
		CHECK(oc.type == NFTA_SET_ELEM_LIST_SET,
		      "attr_off %d points at attribute type %d", errs[0].attr_off, oc.type);
	}
	printf("  failing batch of %zu messages: %.3f s\n", nmsgs, t1 - t0);
	nfk_batch_free(b);
	b = NULL;
	CHECK(get_elem(s, FAIL_BASE) == -ENOENT && get_elem(s, FAIL_BASE + 200010) == -ENOENT,
	      "failing batch committed nothing");
	t0 = now();
	ret = dump_elems(s, &c);
	printf("  dump of %zu elements: %.3f s\n", c.elems, now() - t0);
	CHECK(ret == 0 && c.elems == NELEM && c.distinct == NELEM && c.keysum == want_sum,
	      "final dump: ret %d, %zu elements (%zu distinct), keysum ok %d", ret, c.elems,
	      c.distinct, c.keysum == want_sum);
out:
	nfk_batch_free(b);
	nfk_sock_close(s);
	free(c.seen);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
