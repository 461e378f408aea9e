// SPDX-License-Identifier: MIT
/* The object API's transactions, offline (NFK_CTX_OFFLINE: compiled,
 * never sent): set ids unique in the transaction, names sent as given,
 * element and object text parsed as nothing but that, chain policies,
 * options sz handling, structured errors.  The messages are read back
 * from the transaction's batch attribute by attribute; the kernel side
 * of the same checks is tests/kernel/txn.c. */
#include <errno.h>
#include <stddef.h>

#include "test_build.h"
#include "api/api.h"
#include "nfkit/nfkit.h"

/* ---- reading the batch back ---------------------------------------------- */

struct found {
	uint8_t type;                 /* NFT_MSG_* to collect */
	const struct nlmsghdr *m[32];
	size_t n, total;
};

static int collect(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct found *f = arg;
	(void)index;
	(void)cookie;

	f->total++;
	if ((nlh->nlmsg_type & 0xff) == f->type && f->n < 32)
		f->m[f->n++] = nlh;
	return 0;
}

static struct found msgs(const struct nfk_txn *t, uint8_t type)
{
	struct found f = { .type = type };

	nfk_batch_for_each(nfk_txn_batch(t), collect, &f);
	return f;
}

static size_t count(const struct nfk_txn *t)
{
	return nfk_batch_count(nfk_txn_batch(t));
}

static const struct nlattr *attr(const struct nlmsghdr *nlh, uint16_t type)
{
	size_t len;
	const void *a = nfk_msg_attrs(nlh, &len);

	return nfk_attr_find(a, len, type);
}

/* The attribute's payload is exactly these bytes. */
static bool attr_is(const struct nlattr *a, const void *bytes, size_t len)
{
	return a && nfk_attr_len(a) == len && !memcmp(nfk_attr_data(a), bytes, len);
}

/* The data attribute attr of the first expression named expr in a rule. */
static const struct nlattr *expr_attr(const struct nlmsghdr *rule, const char *expr, uint16_t type)
{
	const struct nlattr *list = attr(rule, NFTA_RULE_EXPRESSIONS);

	if (!list)
		return NULL;
	nfk_attr_for_each(el, rem, nfk_attr_data(list), nfk_attr_len(list)) {
		const struct nlattr *n = nfk_attr_find(nfk_attr_data(el), nfk_attr_len(el), NFTA_EXPR_NAME);
		const struct nlattr *d = nfk_attr_find(nfk_attr_data(el), nfk_attr_len(el), NFTA_EXPR_DATA);

		if (n && d && !strcmp(nfk_attr_get_str(n), expr))
			return nfk_attr_find(nfk_attr_data(d), nfk_attr_len(d), type);
	}
	return NULL;
}

/* ---- sessions ------------------------------------------------------------ */

struct errs_seen {
	size_t n;
	struct nfk_error last;
};

static void count_err(const struct nfk_error *e, void *arg)
{
	struct errs_seen *s = arg;

	s->n++;
	s->last = *e;
}

static struct nfk_ctx *ctx;

static struct nfk_txn *txn(struct errs_seen *seen)
{
	struct nfk_txn *t = NULL;

	if (nfk_txn_new(ctx, &t) < 0)
		return NULL;
	nfk_txn_set_error_cb(t, count_err, seen);
	return t;
}

static const uint8_t ID1[4] = { 0, 0, 0, 1 }, ID2[4] = { 0, 0, 0, 2 }, ID3[4] = { 0, 0, 0, 3 };

/* Two anonymous sets, each in a change of its own, after a named set: nft
 * 1.0.6 sends the same commands, in one file, with NFTA_SET_ID 00 00 00 01,
 * 00 00 00 02, 00 00 00 03 (`nft -c --debug=mnl`; tests/kernel/txn.c
 * compares with nft in the same run), and each lookup and element list
 * names its own set's id. */
static void test_set_ids(void)
{
	struct errs_seen seen = { 0 };
	struct nfk_txn *t = txn(&seen);
	struct nfk_set_opts so = { .sz = sizeof(so), .key_type = "ipv4_addr" };
	struct found sets, elems, rules;

	CHECK(nfk_txn_add_text(t, "add table ip t; add chain ip t c") == 0, "table and chain");
	CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "t", "named", &so) == 0, "named set");
	CHECK(nfk_txn_add_text(t, "add rule ip t c ip saddr { 1.1.1.1, 3.3.3.3 } accept") == 0, "rule 1");
	CHECK(nfk_txn_add_text(t, "add rule ip t c tcp dport { 22, 80 } drop") == 0, "rule 2");
	sets = msgs(t, NFT_MSG_NEWSET);
	elems = msgs(t, NFT_MSG_NEWSETELEM);
	rules = msgs(t, NFT_MSG_NEWRULE);
	CHECK(sets.n == 3 && elems.n == 2 && rules.n == 2, "messages: %zu sets, %zu element lists, %zu rules",
	      sets.n, elems.n, rules.n);
	if (sets.n == 3 && elems.n == 2 && rules.n == 2) {
		CHECK(attr_is(attr(sets.m[0], NFTA_SET_ID), ID1, 4), "named set: id 1");
		CHECK(attr_is(attr(sets.m[1], NFTA_SET_ID), ID2, 4), "first anonymous set: id 2");
		CHECK(attr_is(attr(sets.m[2], NFTA_SET_ID), ID3, 4), "second anonymous set: id 3, not 1 again");
		CHECK(attr_is(attr(elems.m[0], NFTA_SET_ELEM_LIST_SET_ID), ID2, 4), "elements of set 2");
		CHECK(attr_is(attr(elems.m[1], NFTA_SET_ELEM_LIST_SET_ID), ID3, 4), "elements of set 3");
		CHECK(attr_is(expr_attr(rules.m[0], "lookup", NFTA_LOOKUP_SET_ID), ID2, 4), "rule 1 looks up set 2");
		CHECK(attr_is(expr_attr(rules.m[1], "lookup", NFTA_LOOKUP_SET_ID), ID3, 4), "rule 2 looks up set 3");
	}
	CHECK(seen.n == 0, "no errors");
	nfk_txn_free(t);
}

/* A raw rule's set id is reserved: the next anonymous set takes a higher
 * one, and a lower id never moves the counter back. */
static void test_raw_rule_ids(void)
{
	static const uint8_t ID6[4] = { 0, 0, 0, 6 };
	struct errs_seen seen = { 0 };
	struct nfk_txn *t = txn(&seen);
	struct nfk_rule *r = NULL, *low = NULL;
	struct found sets;

	CHECK(nfk_rule_new(&r) == 0 && nfk_rule_new(&low) == 0, "rules");
	nfk_rule_expr(r, "lookup");
	nfk_rule_expr_uint(r, NFTA_LOOKUP_SREG, NFT_REG_1);
	nfk_rule_expr_str(r, NFTA_LOOKUP_SET, "__set%d");
	nfk_rule_expr_uint(r, NFTA_LOOKUP_SET_ID, 5);
	CHECK(nfk_rule_expr_end(r) == 0, "lookup with set id 5");
	nfk_rule_expr(low, "lookup");
	nfk_rule_expr_uint(low, NFTA_LOOKUP_SREG, NFT_REG_1);
	nfk_rule_expr_str(low, NFTA_LOOKUP_SET, "__set%d");
	nfk_rule_expr_uint(low, NFTA_LOOKUP_SET_ID, 2);
	CHECK(nfk_rule_expr_end(low) == 0, "lookup with set id 2");
	CHECK(nfk_txn_add_rule(t, NFPROTO_IPV4, "t", "c", r) == 0, "raw rule");
	CHECK(nfk_txn_add_rule(t, NFPROTO_IPV4, "t", "c", low) == 0, "raw rule, lower id");
	CHECK(nfk_txn_add_text(t, "add rule ip t c ip saddr { 1.1.1.1, 3.3.3.3 }") == 0, "text rule");
	sets = msgs(t, NFT_MSG_NEWSET);
	CHECK(sets.n == 1 && attr_is(attr(sets.m[0], NFTA_SET_ID), ID6, 4),
	      "the anonymous set takes id 6, after the raw rule's 5");
	nfk_rule_free(r);
	nfk_rule_free(low);
	nfk_txn_free(t);
}

/* ---- names ------------------------------------------------------------- */

/* Each name goes out as NFTA_TABLE_NAME, byte for byte, in the one
 * message the call adds; a name longer than the kernel's 255 bytes
 * (NFT_TABLE_MAXNAMELEN with its NUL) adds nothing. */
static void test_names(void)
{
	char n255[256], n256[257], n300[301];
	const char *names[] = { "x; flush ruleset", "a\"b", "c}d", "e\nf", "g{ h", "'i'", n255 };
	struct errs_seen seen = { 0 };
	struct nfk_txn *t = txn(&seen);

	memset(n255, 'n', 255);
	n255[255] = 0;
	memset(n256, 'n', 256);
	n256[256] = 0;
	memset(n300, 'n', 300);
	n300[300] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t before = count(t);
		struct found tables;

		CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, names[i]) == 0, "table %zu", i);
		tables = msgs(t, NFT_MSG_NEWTABLE);
		CHECK(count(t) == before + 1 && tables.n == i + 1, "table %zu: one message", i);
		CHECK(tables.n == i + 1 &&
		      attr_is(attr(tables.m[i], NFTA_TABLE_NAME), names[i], strlen(names[i]) + 1),
		      "table %zu: the name as given", i);
	}
	CHECK(msgs(t, NFT_MSG_DELTABLE).total == count(t) && msgs(t, NFT_MSG_DELTABLE).n == 0,
	      "no delete (flush ruleset) anywhere");
	{
		size_t before = count(t), nerr = nfk_txn_nerrors(t);
		const struct nfk_error *e;

		CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, n256) == -ENAMETOOLONG, "256 bytes");
		CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, n300) == -ENAMETOOLONG, "300 bytes");
		CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", n300, NULL) == -ENAMETOOLONG, "chain");
		CHECK(nfk_txn_add_object(t, NFPROTO_IPV4, n300, "q", "counter") == -ENAMETOOLONG, "object");
		CHECK(count(t) == before, "nothing added");
		CHECK(nfk_txn_nerrors(t) == nerr + 4 && seen.n == 4, "four errors recorded");
		e = nfk_txn_get_error(t, nerr);
		CHECK(e && e->change == 7 && e->error == -ENAMETOOLONG && e->line == 0,
		      "error of change 7 (the eighth call), no location");
	}
	nfk_txn_free(t);
}

/* Elements and object bodies are parsed as such, nothing more: what would
 * close the block and start commands is a syntax error, and adds nothing. */
static void test_injection(void)
{
	struct errs_seen seen = { 0 };
	struct nfk_txn *t = txn(&seen);
	struct nfk_set_opts so = { .sz = sizeof(so), .key_type = "ipv4_addr" };
	const char *bad_elems[] = {
		"1.2.3.4 }; flush ruleset; add element ip t s {",
		"1.2.3.4 }\nflush ruleset",
		"1.2.3.4; delete table ip t",
		"$x",
		"",
		" \n ",
	};
	const char *bad_bodies[] = {
		"quota 10 mbytes; flush ruleset",
		"counter\nflush ruleset",
		"counter } ; flush ruleset",
		"flush ruleset",
	};
	size_t before;
	struct found objs;

	CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, "t") == 0, "table");
	CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "t", "s", &so) == 0, "set");
	before = count(t);
	for (size_t i = 0; i < sizeof(bad_elems) / sizeof(bad_elems[0]); i++)
		CHECK(nfk_txn_add_elements(t, NFPROTO_IPV4, "t", "s", bad_elems[i]) == -EINVAL,
		      "elements %zu refused", i);
	for (size_t i = 0; i < sizeof(bad_bodies) / sizeof(bad_bodies[0]); i++)
		CHECK(nfk_txn_add_object(t, NFPROTO_IPV4, "t", "o", bad_bodies[i]) == -EINVAL,
		      "body %zu refused", i);
	CHECK(count(t) == before, "nothing added: %zu messages, %zu before", count(t), before);
	CHECK(seen.n >= 8, "each recorded an error (%zu)", seen.n);
	CHECK(nfk_txn_add_elements(t, NFPROTO_IPV4, "t", "s", "10.0.0.1, 10.0.0.2") == 0, "elements");
	CHECK(nfk_txn_add_object(t, NFPROTO_IPV4, "t", "q", "quota 10 mbytes") == 0, "quota");
	objs = msgs(t, NFT_MSG_NEWOBJ);
	/* nft: "quota 10 mbytes" is 10 * 1024 * 1024 bytes */
	{
		const struct nlattr *d = objs.n == 1 ? attr(objs.m[0], NFTA_OBJ_DATA) : NULL;
		const struct nlattr *q = d ? nfk_attr_find(nfk_attr_data(d), nfk_attr_len(d),
							   NFTA_QUOTA_BYTES) : NULL;
		static const uint8_t mb10[8] = { 0, 0, 0, 0, 0, 0xa0, 0, 0 };

		CHECK(attr_is(attr(objs.m[0], NFTA_OBJ_NAME), "q", 2), "object name");
		CHECK(attr_is(q, mb10, 8), "quota bytes 10485760");
	}
	nfk_txn_free(t);
}

/* ---- chains ------------------------------------------------------------ */

static const struct nlmsghdr *last_chain(const struct nfk_txn *t)
{
	struct found f = msgs(t, NFT_MSG_NEWCHAIN);

	return f.n ? f.m[f.n - 1] : NULL;
}

/* A zero policy sends no NFTA_CHAIN_POLICY (the kernel's default); the
 * constants send the kernel's NF_ACCEPT and NF_DROP. */
static void test_policy(void)
{
	const uint8_t accept[4] = { 0, 0, 0, NF_ACCEPT }, drop[4] = { 0, 0, 0, NF_DROP };
	struct errs_seen seen = { 0 };
	struct nfk_txn *t = txn(&seen);
	struct nfk_chain_opts o = { .sz = sizeof(o), .type = "filter", .hooknum = NF_INET_LOCAL_IN };

	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "zero", &o) == 0, "zero policy");
	CHECK(last_chain(t) && attr(last_chain(t), NFTA_CHAIN_HOOK) &&
	      !attr(last_chain(t), NFTA_CHAIN_POLICY), "base chain without a policy attribute");
	o.policy = NFK_CHAIN_POLICY_DROP;
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "drop", &o) == 0, "drop");
	CHECK(attr_is(attr(last_chain(t), NFTA_CHAIN_POLICY), drop, 4), "policy NF_DROP");
	o.policy = NFK_CHAIN_POLICY_ACCEPT;
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "accept", &o) == 0, "accept");
	CHECK(attr_is(attr(last_chain(t), NFTA_CHAIN_POLICY), accept, 4), "policy NF_ACCEPT");
	o.policy = 7;
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "bad", &o) == -EINVAL, "unknown policy");
	o.policy = NFK_CHAIN_POLICY_DROP;
	o.type = NULL;
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "regular", &o) == -EINVAL, "policy on a regular chain");
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "regular", NULL) == 0, "regular chain");
	CHECK(last_chain(t) && !attr(last_chain(t), NFTA_CHAIN_HOOK), "no hook");
	nfk_txn_free(t);
}

/* ---- options sz (libbpf's OPTS_VALID) ------------------------------------ */

static void test_sz(void)
{
	struct errs_seen seen = { 0 };
	struct nfk_txn *t = txn(&seen);
	struct {
		struct nfk_chain_opts o;
		uint64_t newer[2];    /* fields of a newer nfkit.h */
	} big = { .o = { .type = "filter", .hooknum = NF_INET_LOCAL_IN,
			 .policy = NFK_CHAIN_POLICY_DROP } };
	struct {
		struct nfk_set_opts o;
		uint32_t newer;
	} bigset = { .o = { .key_type = "ipv4_addr", .timeout_ms = 5000 } };
	size_t before;

	big.o.sz = 0;
	before = count(t);
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "c0", &big.o) == -EINVAL, "sz 0");
	big.o.sz = 4;
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "c4", &big.o) == -EINVAL, "sz 4: not even sz");
	CHECK(count(t) == before, "nothing added");

	/* an older caller: policy and device lie beyond sz and read as zero */
	big.o.sz = offsetof(struct nfk_chain_opts, policy);
	big.o.device = "not-a-device";
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "old", &big.o) == 0, "sz up to prio");
	CHECK(last_chain(t) && attr(last_chain(t), NFTA_CHAIN_HOOK) &&
	      !attr(last_chain(t), NFTA_CHAIN_POLICY), "policy beyond sz: none sent");
	{
		const struct nlattr *h = attr(last_chain(t), NFTA_CHAIN_HOOK);

		CHECK(h && !nfk_attr_find(nfk_attr_data(h), nfk_attr_len(h), NFTA_HOOK_DEV),
		      "device beyond sz: none sent");
	}
	big.o.device = NULL;

	/* a newer caller: zero tail accepted, a set byte refused */
	big.o.sz = sizeof(big);
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "new", &big.o) == 0, "larger, zero tail");
	CHECK(attr(last_chain(t), NFTA_CHAIN_POLICY) != NULL, "policy within sz: sent");
	before = count(t);
	big.newer[1] = 1;
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "newer", &big.o) == -EINVAL, "larger, non-zero tail");
	CHECK(count(t) == before, "nothing added");

	/* the same for sets: timeout_ms beyond sz reads as zero */
	bigset.o.sz = offsetof(struct nfk_set_opts, timeout_ms);
	CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "t", "s_old", &bigset.o) == 0, "set, sz up to flags");
	{
		struct found f = msgs(t, NFT_MSG_NEWSET);

		CHECK(f.n == 1 && !attr(f.m[0], NFTA_SET_TIMEOUT), "timeout beyond sz: none sent");
	}
	bigset.o.sz = sizeof(bigset);
	CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "t", "s_new", &bigset.o) == 0, "set, larger, zero tail");
	{
		struct found f = msgs(t, NFT_MSG_NEWSET);

		CHECK(f.n == 2 && attr(f.m[1], NFTA_SET_TIMEOUT), "timeout within sz: sent");
	}
	bigset.newer = 1;
	CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "t", "s_newer", &bigset.o) == -EINVAL, "set, non-zero tail");
	bigset.o.sz = 2;
	bigset.newer = 0;
	CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "t", "s_small", &bigset.o) == -EINVAL, "set, sz 2");
	CHECK(msgs(t, NFT_MSG_NEWSET).n == 2, "two sets");
	nfk_txn_free(t);
}

/* ---- structured errors --------------------------------------------------- */

/* nft 1.0.6 on `add element ip t s { 1.2.3.4 5.6.7.8 }`:
 *   Error: syntax error, unexpected string, expecting comma or '}'
 *   add element ip t s { 1.2.3.4 5.6.7.8 }
 *                                ^^^^^^^
 * columns 30-36 of the command, 9-15 of the elements (which start at 22). */
static void test_errors(void)
{
	static const char want_msg[] = "syntax error, unexpected string, expecting comma or '}'";
	struct errs_seen seen = { 0 };
	struct nfk_txn *t = txn(&seen);
	struct nfk_set_opts so = { .sz = sizeof(so), .key_type = "ipv4_addr" };
	const struct nfk_error *e;
	const char *what = NULL;
	size_t change = 99;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f;

	CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, "t") == 0, "table");
	CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "t", "s", &so) == 0, "set");
	CHECK(nfk_txn_add_elements(t, NFPROTO_IPV4, "t", "s", "1.2.3.4 5.6.7.8") == -EINVAL, "bad elements");
	CHECK(nfk_txn_add_elements(t, NFPROTO_IPV4, "t", "s", "1.2.3.4, 5.6.7.8") == 0, "good elements");
	CHECK(nfk_txn_nerrors(t) == 1 && seen.n == 1, "one error, one callback");
	e = nfk_txn_get_error(t, 0);
	CHECK(e && e->change == 2, "change 2");
	CHECK(e && e->error == -EINVAL, "-EINVAL");
	CHECK(e && !strcmp(e->message, want_msg), "message: %s", e ? e->message : "");
	CHECK(e && !e->file && e->line == 1 && e->col == 9 && e->col_end == 15,
	      "located at 1:9-15: %u:%u-%u", e ? e->line : 0, e ? e->col : 0, e ? e->col_end : 0);
	CHECK(seen.last.change == 2 && seen.last.col == 9, "the callback got the same");
	CHECK(nfk_txn_get_error(t, 1) == NULL, "no second error");
	CHECK(nfk_txn_error(t, 0, &change, &what) == -EINVAL && change == 2 && what &&
	      !strcmp(what, "add element ip t s: syntax error, unexpected string, expecting comma or '}'"),
	      "nfk_txn_error: %zu %s", change, what ? what : "");
	CHECK(nfk_txn_error(t, 1, NULL, NULL) == -ENOENT, "out of range");

	/* printed as nft prints it, columns shifted to the elements */
	f = open_memstream(&out, &outlen);
	nfk_error_print(e, f);
	fclose(f);
	CHECK(out && !strcmp(out, "Error: syntax error, unexpected string, expecting comma or '}'\n"
			    "1.2.3.4 5.6.7.8\n"
			    "        ^^^^^^^\n"), "printed:\n%s", out);
	free(out);

	/* a text change: nft's own command, nft's own columns */
	CHECK(nfk_txn_add_text(t, "add rule ip t c tcp dport 80 acept") == -EINVAL, "bad text");
	e = nfk_txn_get_error(t, 1);
	/* nft: "Error: syntax error, unexpected newline" at 1:35-35 */
	CHECK(e && e->change == 4 && e->line == 1 && e->col == 35 && e->col_end == 35 &&
	      !strcmp(e->message, "syntax error, unexpected newline"),
	      "text error: %zu %u:%u-%u %s", e ? e->change : 0, e ? e->line : 0, e ? e->col : 0,
	      e ? e->col_end : 0, e ? e->message : "");
	nfk_txn_free(t);

	/* without a callback: printed to the ctx's err stream */
	out = NULL;
	f = open_memstream(&out, &outlen);
	nfk_ctx_set_output(ctx, NULL, f);
	if (nfk_txn_new(ctx, &t) == 0) {
		CHECK(nfk_txn_add_object(t, NFPROTO_IPV4, "t", "q", "quota 10 mbytes; x") == -EINVAL, "bad body");
		nfk_txn_free(t);
	}
	fclose(f);
	nfk_ctx_set_output(ctx, NULL, NULL);
	CHECK(out && strstr(out, "Error: syntax error, unexpected semicolon") &&
	      strstr(out, "quota 10 mbytes; x\n               ^\n"), "printed by default:\n%s", out);
	free(out);
}

int main(void)
{
	CHECK(!strcmp(nfk_version(), NFK_VERSION), "nfk_version() %s, Makefile %s", nfk_version(),
	      NFK_VERSION);
	if (nfk_ctx_new(&ctx) < 0)
		return 1;
	nfk_ctx_set_flags(ctx, NFK_CTX_OFFLINE);
	test_set_ids();
	test_raw_rule_ids();
	test_names();
	test_injection();
	test_policy();
	test_sz();
	test_errors();
	nfk_ctx_free(ctx);
	return t_report();
}
