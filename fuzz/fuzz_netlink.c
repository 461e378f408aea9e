// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the netlink decoder and its consumers.  The input is
 * read four ways: as an attribute stream (validate, index, decode ->
 * encode must give the same bytes), as a stream of netlink messages
 * (nf_tables messages validated against their schemas and printed, acks
 * parsed), as the payload of one object chosen by the first byte (schema
 * validate and print, expression lists printed), and as what the kernel
 * sends back: the NEW* messages become a ruleset snapshot (kstate), whose
 * rules are decompiled and which is listed as `list ruleset`, `list
 * table`, `list chain`, `list set` ... list, and echoed as nft -e does.
 * None of it may crash, and the stream checks must agree with each other.
 *
 * Mutations are structure-aware (LLVMFuzzerCustomMutator): an attribute
 * anywhere in the message tree gets its payload mutated or an interesting
 * integer (big-endian mostly, as nf_tables' are), is removed, repeated,
 * retyped, or replaced by a copy of another attribute, and the lengths of
 * its nests and message follow; a quarter of the time libFuzzer's own byte
 * mutations run instead.
 *
 * The first message's sequence number (bytes 8-11, host order) chooses
 * the listing options, as fuzz/mkseeds.c writes them:
 *   bit 0 -a (handles)   bit 1 -s (stateless)   bit 2 -t (terse)
 *   bit 3 -n             bit 4 -S (services)    bit 5 -p (numeric protocols)
 *   bit 6 -T (numeric times)   bit 7 -u (user/group ids)
 *   bit 8 sets' elements packed, as a listing fetches them
 *   bit 9 echo without the snapshot as its base
 *   bit 10 kernel-order elements (-e)   bit 11 query-order elements (get)
 *   bit 12 list commands of one family rather than all
 *   bit 13 the compiler checks elements against the snapshot's (ks_elems)
 *   bits 16-23 which element and rule are compiled against the snapshot's
 *   sets (commands that name them, compiled with the snapshot as the
 *   kernel's ruleset: key types, typeof user data, intervals)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "nl/nl.h"
#include "nl/nl_sock.h"
#include "obj/objects.h"
#include "obj/schema.h"
#include "state/kstate.h"

static FILE *sink;

static const struct nfk_schema *const schemas[] = {
	&nfk_table_schema, &nfk_chain_schema, &nfk_rule_schema, &nfk_set_schema,
	&nfk_setelem_list_schema, &nfk_setelem_schema, &nfk_obj_schema, &nfk_flowtable_schema,
	&nfk_gen_schema, &nfk_trace_schema, &nfk_expr_schema, &nfk_data_schema,
};
#define NSCHEMAS (sizeof(schemas) / sizeof(schemas[0]))

/* Re-encodes a valid stream attribute by attribute: every header and
 * payload must come out as it went in (padding is re-zeroed). */
static void check_reencode(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 17];
	struct nfk_buf b;
	size_t off = 0;

	nfk_buf_init(&b, out, sizeof(out));
	nfk_attr_for_each(a, rem, data, size) {
		if (!nfk_attr_put(&b, a->nla_type, nfk_attr_data(a), nfk_attr_len(a)) ||
		    memcmp(out + off, a, a->nla_len) != 0)
			abort();
		off = b.len;
	}
	if (b.len != NFK_ALIGN(size))
		abort();
}

static void as_stream(const uint8_t *data, size_t size)
{
	const struct nlattr *tb[NFK_EXPR_MAXATTR + 1];
	int ret = nfk_attr_validate_stream(data, size);

	if (nfk_attr_index(data, size, tb, NFK_EXPR_MAXATTR) != ret)
		abort();
	if (ret == 0 && size <= 65536)
		check_reencode(data, size);
	for (unsigned t = 0; t <= NFK_EXPR_MAXATTR; t++) {
		uint64_t v64;
		uint32_t v32;

		if (!tb[t])
			continue;
		(void)nfk_attr_get_be64(tb[t], &v64);
		(void)nfk_attr_get_be32(tb[t], &v32);
		(void)nfk_attr_get_str(tb[t]);
	}
}

static void as_messages(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)data;
	size_t rem = size;

	while (rem >= NLMSG_HDRLEN && nlh->nlmsg_len >= NLMSG_HDRLEN && nlh->nlmsg_len <= rem) {
		struct nfk_verr err;
		struct nfk_nlerr e;
		size_t step;

		if (nlh->nlmsg_type == NLMSG_ERROR) {
			if (nfk_nlerr_parse(nlh, &e) == 0 && e.msg &&
			    (e.msg < (const char *)nlh || e.msg >= (const char *)nlh + nlh->nlmsg_len))
				abort();
		} else if (nfk_msg_validate(nlh, &err) == 0) {
			const struct nfk_schema *s = nfk_msg_schema(nlh->nlmsg_type & 0xff);
			const void *attrs;
			size_t len;

			attrs = nfk_msg_attrs(nlh, &len);
			if (s && attrs)
				nfk_schema_print(sink, s, attrs, len);
		} else if (err.offset > nlh->nlmsg_len) {
			abort();
		}
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= rem)
			break;
		rem -= step;
		nlh = (const struct nlmsghdr *)((const uint8_t *)nlh + step);
	}
}

static void as_object(const uint8_t *data, size_t size)
{
	const struct nfk_schema *s;
	struct nfk_verr err;

	if (size < 4)
		return;
	s = schemas[data[0] % NSCHEMAS];
	/* Keep the payload 4-aligned, as it always is inside a message. */
	data += 4;
	size -= 4;
	if (nfk_schema_validate(s, data, size, &err) < 0 && err.offset > size)
		abort();
	nfk_schema_print(sink, s, data, size);
	nfk_exprs_print(sink, data, size);
}

/* ---- the consumers: snapshot, decompiler, listing, echo ----------------- */

/* How much of a snapshot is listed object by object (each listing walks
 * the whole snapshot, so this bounds the time an input takes). */
#define LIST_MAX 6
#define DECOMPILE_MAX 64
#define MSGS_MAX 4096

/* list commands, parsed once; the names are replaced by the snapshot's */
enum {
	L_RULESET, L_TABLE, L_CHAIN, L_SET, L_MAP, L_FLOWTABLE, L_COUNTER, L_QUOTA, L_LIMIT,
	L_CT_HELPER, L_CT_TIMEOUT, L_CT_EXPECT, L_SECMARK, L_SYNPROXY,
	L_TABLES, L_CHAINS, L_SETS, L_MAPS, L_COUNTERS, L_QUOTAS, L_LIMITS, L_FLOWTABLES,
	L_CT_HELPERS, L_SYNPROXYS, L_SECMARKS,
	L_N
};
static const char *const list_text[L_N] = {
	[L_RULESET] = "list ruleset", [L_TABLE] = "list table ip t",
	[L_CHAIN] = "list chain ip t c", [L_SET] = "list set ip t s",
	[L_MAP] = "list map ip t s", [L_FLOWTABLE] = "list flowtable ip t s",
	[L_COUNTER] = "list counter ip t s", [L_QUOTA] = "list quota ip t s",
	[L_LIMIT] = "list limit ip t s", [L_CT_HELPER] = "list ct helper ip t s",
	[L_CT_TIMEOUT] = "list ct timeout ip t s", [L_CT_EXPECT] = "list ct expectation ip t s",
	[L_SECMARK] = "list secmark ip t s", [L_SYNPROXY] = "list synproxy ip t s",
	[L_TABLES] = "list tables", [L_CHAINS] = "list chains", [L_SETS] = "list sets",
	[L_MAPS] = "list maps", [L_COUNTERS] = "list counters", [L_QUOTAS] = "list quotas",
	[L_LIMITS] = "list limits", [L_FLOWTABLES] = "list flowtables",
	[L_CT_HELPERS] = "list ct helpers table ip t", [L_SYNPROXYS] = "list synproxys",
	[L_SECMARKS] = "list secmarks",
};
static struct nfk_script *list_script[L_N];

static const struct nfk_cmd *list_tmpl(unsigned which)
{
	static bool parsed;

	if (!parsed) {
		parsed = true;
		for (unsigned i = 0; i < L_N; i++) {
			struct nfk_diags ds = { .n = 0 };

			if (nfk_script_parse(&list_script[i], NULL, list_text[i], &ds) < 0 ||
			    nfk_script_ncmds(list_script[i]) != 1) {
				fprintf(stderr, "fuzz_netlink: cannot parse \"%s\"\n", list_text[i]);
				nfk_script_free(list_script[i]);
				list_script[i] = NULL;
			}
		}
	}
	return list_script[which] ? nfk_script_cmd(list_script[which], 0) : NULL;
}

static void list_one(const struct nfk_kstate *ks, unsigned which, int family, const char *table,
		     const char *name, const struct nfk_list_opts *o)
{
	const struct nfk_cmd *t = list_tmpl(which);
	struct nfk_diags ds = { .n = 0 };
	struct nfk_cmd c;

	if (!t)
		return;
	c = *t;
	c.h.family = family;
	if ((which != L_RULESET && which < L_TABLES) || which == L_CT_HELPERS)
		c.h.table = table;
	if (which == L_CHAIN)
		c.h.chain = name;
	else if (which > L_CHAIN && which < L_TABLES)
		c.h.set = name;
	nfk_list_cmd(sink, ks, &c, o, &ds);
	for (unsigned i = 0; i < ds.n && i < NFK_DIAG_MAX; i++)
		nfk_diag_print(sink, &ds.d[i]);
}

static const char *rec_name(const struct nfk_kstate *ks, enum ks_kind kind, size_t i,
			    unsigned attr)
{
	size_t len;
	const void *a = ks_attrs(ks, kind, i, &len);
	const struct nlattr *at = nfk_attr_find(a, len, (uint16_t)attr);
	const char *s = at ? nfk_attr_get_str(at) : NULL;

	return s ? s : "";
}

static unsigned obj_list(uint32_t type)
{
	switch (type) {
	case NFT_OBJECT_COUNTER: return L_COUNTER;
	case NFT_OBJECT_QUOTA: return L_QUOTA;
	case NFT_OBJECT_LIMIT: return L_LIMIT;
	case NFT_OBJECT_CT_HELPER: return L_CT_HELPER;
	case NFT_OBJECT_CT_TIMEOUT: return L_CT_TIMEOUT;
	case NFT_OBJECT_CT_EXPECT: return L_CT_EXPECT;
	case NFT_OBJECT_SECMARK: return L_SECMARK;
	case NFT_OBJECT_SYNPROXY: return L_SYNPROXY;
	default: return L_COUNTER;
	}
}

static void list_all(const struct nfk_kstate *ks, int family, const struct nfk_list_opts *o)
{
	const struct ks_list *l;

	list_one(ks, L_RULESET, family, NULL, NULL, o);
	for (unsigned w = L_TABLES; w < L_N; w++)
		if (w != L_CT_HELPERS)
			list_one(ks, w, family, NULL, NULL, o);
	l = &ks->k[KS_TABLE];
	for (size_t i = 0; i < l->n && i < LIST_MAX; i++) {
		const char *name = rec_name(ks, KS_TABLE, i, NFTA_TABLE_NAME);

		list_one(ks, L_TABLE, l->v[i].family, name, NULL, o);
		list_one(ks, L_CT_HELPERS, l->v[i].family, name, NULL, o);
	}
	l = &ks->k[KS_CHAIN];
	for (size_t i = 0; i < l->n && i < LIST_MAX; i++)
		list_one(ks, L_CHAIN, l->v[i].family, rec_name(ks, KS_CHAIN, i, NFTA_CHAIN_TABLE),
			 rec_name(ks, KS_CHAIN, i, NFTA_CHAIN_NAME), o);
	for (size_t i = 0; i < ks->nsets && i < LIST_MAX; i++) {
		const struct ks_set *st = &ks->sets[i];

		list_one(ks, st->info.flags & (NFT_SET_MAP | NFT_SET_OBJECT) ? L_MAP : L_SET,
			 st->family, st->table, st->info.name, o);
	}
	l = &ks->k[KS_OBJ];
	for (size_t i = 0; i < l->n && i < LIST_MAX; i++) {
		const struct nlattr *tb[NFTA_OBJ_MAX + 1];

		ks_index(ks, KS_OBJ, i, tb, NFTA_OBJ_MAX);
		list_one(ks, obj_list(nfk_tb_be32(tb, NFTA_OBJ_TYPE, 0)), l->v[i].family,
			 nfk_tb_str(tb, NFTA_OBJ_TABLE, ""), nfk_tb_str(tb, NFTA_OBJ_NAME, ""), o);
	}
	l = &ks->k[KS_FLOWTABLE];
	for (size_t i = 0; i < l->n && i < LIST_MAX; i++)
		list_one(ks, L_FLOWTABLE, l->v[i].family,
			 rec_name(ks, KS_FLOWTABLE, i, NFTA_FLOWTABLE_TABLE),
			 rec_name(ks, KS_FLOWTABLE, i, NFTA_FLOWTABLE_NAME), o);
}

/* Packs each set's element messages as nfk_kstate_fetch_list does (the
 * kernel dumps one set's elements at a time; here they are its records). */
static void pack_sets(struct nfk_kstate *ks, const struct nlmsghdr *const *elem_msg)
{
	for (size_t i = 0; i < ks->nsets; i++) {
		struct ks_set *st = &ks->sets[i];
		bool any = false;

		if (!ks_pack_begin(st))
			continue;
		for (size_t r = 0; r < ks->k[KS_ELEM].n && r < MSGS_MAX; r++) {
			if (ks->k[KS_ELEM].v[r].set != i)
				continue;
			any = true;
			if (ks_pack_cb(elem_msg[r], st) < 0)
				st->packed.failed = true;
		}
		if (!any || st->packed.failed) {
			ks_packed_free(&st->packed);
			continue;
		}
		ks_pack_end(st);
		st->elem_n = 0;
	}
}

/* A name the parser takes as it is. */
static bool plain_name(const char *s)
{
	size_t n = 0;

	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; s[n]; n++)
		if (!isalnum((unsigned char)s[n]) && !strchr("_-.", s[n]))
			return false;
	return n < 200;
}

/* Commands naming the snapshot's sets, compiled with the snapshot as what
 * the kernel holds. */
static void as_compiler(const struct nfk_kstate *ks, uint32_t bits)
{
	static const char *const elems[] = {
		"1.2.3.4", "10.0.0.0/8", "10.0.0.1-10.0.0.9", "::1", "22", "20-30", "eth0", "0x1",
		"1.2.3.4 . 22", "1.2.3.4 . tcp . 22", "* : accept", "1.2.3.4 : 5.6.7.8",
		"22 : jump c", "1.2.3.4 timeout 1s", "aa:bb:cc:dd:ee:ff", "\"lo\"",
	};
	static const char *const uses[] = {
		"ip saddr @%s", "meta mark set ip saddr map @%s", "ip saddr . tcp dport @%s",
		"update @%s { ip saddr }", "ip saddr vmap @%s", "ip6 daddr @%s", "tcp dport @%s",
		"ether saddr @%s",
	};
	struct nfk_compile_opts o = { .ks = ks, .ks_elems = bits & 8192 };
	unsigned sel = bits >> 16;

	for (size_t i = 0; i < ks->nsets && i < 2; i++) {
		const struct ks_set *st = &ks->sets[i];
		const char *fam = nfk_family_name(st->family);
		struct nfk_diags ds = { .n = 0 };
		struct nfk_script *sc = NULL;
		struct nfk_batch *b = NULL;
		char text[1024], use[256];

		if (!fam || !plain_name(st->table) || !plain_name(st->info.name))
			continue;
		snprintf(use, sizeof(use), uses[(sel >> 4) % (sizeof(uses) / sizeof(uses[0]))],
			 st->info.name);
		snprintf(text, sizeof(text), "%s element %s %s %s { %s }\nadd rule %s %s c %s\n",
			 sel & 0x80 ? "delete" : "add", fam, st->table, st->info.name,
			 elems[(sel + i) % (sizeof(elems) / sizeof(elems[0]))], fam, st->table, use);
		if (nfk_script_parse(&sc, NULL, text, &ds) == 0 && nfk_batch_new(&b) == 0 &&
		    nfk_script_compile(sc, &o, b, &ds) == 0)
			nfk_batch_print_debug(sink, b);
		nfk_batch_free(b);
		nfk_script_free(sc);
	}
}

static void as_state(const uint8_t *data, size_t size)
{
	static const struct nlmsghdr *elem_msg[MSGS_MAX];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)data;
	struct nfk_kstate *ks = calloc(1, sizeof(*ks));
	struct nfk_echo *echo = NULL;
	struct nfk_list_opts o = { 0 };
	size_t rem = size, nmsgs = 0;
	uint32_t bits = 0;
	int family = -1;

	if (!ks || nfk_echo_new(&echo) < 0)
		goto out;
	if (size >= NLMSG_HDRLEN)
		bits = nlh->nlmsg_seq;
	o.handle = bits & 1;
	o.stateless = bits & 2;
	o.terse = bits & 4;
	o.print = (bits & 8 ? NFK_PRINT_NUMERIC : 0) | (bits & 16 ? NFK_PRINT_SERVICE : 0) |
		  (bits & 32 ? NFK_PRINT_NUMERIC_PROTO : 0) |
		  (bits & 64 ? NFK_PRINT_NUMERIC_TIME : 0) | (bits & 128 ? NFK_PRINT_GUID : 0);
	o.kernel_order = bits & 1024;
	o.query_order = bits & 2048;

	while (rem >= NLMSG_HDRLEN && nlh->nlmsg_len >= NLMSG_HDRLEN && nlh->nlmsg_len <= rem &&
	       nmsgs++ < MSGS_MAX) {
		size_t step, index;

		if (ks_append_msg(ks, nlh, &index) == KS_ELEM && index < MSGS_MAX)
			elem_msg[index] = nlh;
		if (nfk_echo_collect(nlh, echo) < 0)
			goto out;
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= rem)
			break;
		rem -= step;
		nlh = (const struct nlmsghdr *)((const uint8_t *)nlh + step);
	}
	if (ks_sets_build(ks) < 0)
		goto out;
	if (bits & 256)
		pack_sets(ks, elem_msg);

	/* what the compiler asks the snapshot */
	for (size_t i = 0; i < ks->nsets && i < LIST_MAX; i++) {
		const struct ks_set *st = &ks->sets[i];

		if (nfk_kstate_set(ks, st->family, st->table, st->info.name) != &st->info &&
		    !ks_set_find(ks, st->family, st->table, st->info.name))
			abort();
		(void)nfk_kstate_has_table(ks, st->family, st->table);
		(void)nfk_kstate_has_chain(ks, st->family, st->table, st->info.name);
	}
	/* every rule decompiled, whether or not its table or chain exists */
	for (size_t i = 0; i < ks->k[KS_RULE].n && i < DECOMPILE_MAX; i++) {
		const struct nlattr *tb[NFTA_RULE_MAX + 1];
		const struct nlattr *ex;

		ks_index(ks, KS_RULE, i, tb, NFTA_RULE_MAX);
		ex = tb[NFTA_RULE_EXPRESSIONS];
		if (ex)
			nfk_rule_decompile(sink, ks, ks->k[KS_RULE].v[i].family,
					   nfk_tb_str(tb, NFTA_RULE_TABLE, ""), nfk_attr_data(ex),
					   nfk_attr_len(ex), &o);
		fputc('\n', sink);
	}
	if ((bits & 4096) && ks->k[KS_TABLE].n)
		family = ks->k[KS_TABLE].v[0].family;
	list_all(ks, family, &o);
	as_compiler(ks, bits);
	nfk_echo_print(sink, echo, bits & 512 ? NULL : ks, &o);
out:
	nfk_echo_free(echo);
	nfk_kstate_free(ks);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* libFuzzer's buffer has no alignment promise; netlink data has. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	if (!sink)
		sink = fopen("/dev/null", "w");
	memcpy(copy, data, size);
	as_stream(copy, size);
	as_messages(copy, size);
	as_object(copy, size);
	as_state(copy, size);
	free(copy);
	return 0;
}

/* ---- structure-aware mutations ----------------------------------------- */

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed);

#define MUT_MAX_ATTRS 1024
#define MUT_MAX_DEPTH 8
#define MUT_BUF (1 << 17)

/* One attribute of the input: where its header is, and where the headers
 * of the nests around it and of its message are (their lengths change
 * with it). */
struct mut_attr {
	uint32_t off;
	uint32_t msg;
	uint8_t depth;
	uint32_t up[MUT_MAX_DEPTH];
};

static struct mut_attr mut_attrs[MUT_MAX_ATTRS];
static size_t mut_n;
static uint64_t mut_rng;

static unsigned mut_rnd(unsigned n)
{
	mut_rng = mut_rng * 6364136223846793005ull + 1442695040888963407ull;
	return n ? (unsigned)((mut_rng >> 33) % n) : 0;
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Records the attributes of [off, off + len), and of the nests inside
 * (any payload that reads as an attribute stream). */
static void mut_scan(const uint8_t *d, size_t off, size_t len, uint32_t msg, const uint32_t *up,
		     unsigned depth)
{
	size_t end = off + len;

	while (off + 4 <= end && mut_n < MUT_MAX_ATTRS) {
		uint16_t alen = get16(d + off);
		struct mut_attr *a;

		if (alen < 4 || alen > end - off)
			return;
		a = &mut_attrs[mut_n++];
		a->off = (uint32_t)off;
		a->msg = msg;
		a->depth = (uint8_t)depth;
		memcpy(a->up, up, depth * sizeof(*up));
		if (alen > 8 && depth < MUT_MAX_DEPTH) {
			uint32_t up2[MUT_MAX_DEPTH];
			size_t inner = off + 4, iend = off + alen, ok = 1;

			/* a nest when its payload is a whole attribute stream */
			for (size_t q = inner; q < iend; q += NFK_ALIGN(get16(d + q))) {
				if (q + 4 > iend || get16(d + q) < 4 || get16(d + q) > iend - q) {
					ok = 0;
					break;
				}
			}
			if (ok) {
				memcpy(up2, up, depth * sizeof(*up));
				up2[depth] = (uint32_t)off;
				mut_scan(d, inner, alen - 4, msg, up2, depth + 1);
			}
		}
		off += NFK_ALIGN(alen);
	}
}

static void mut_index(const uint8_t *d, size_t size)
{
	static const uint32_t none[MUT_MAX_DEPTH];
	size_t off = 0;

	mut_n = 0;
	while (off + NFK_MSG_HDRLEN <= size) {
		uint32_t mlen = get32(d + off);

		if (mlen < NFK_MSG_HDRLEN || mlen > size - off)
			break;
		mut_scan(d, off + NFK_MSG_HDRLEN, mlen - NFK_MSG_HDRLEN, (uint32_t)off, none, 0);
		off += NLMSG_ALIGN(mlen);
	}
}

/* Replaces [from, to) of the buffer with len bytes of rep (to and the new
 * length both 4-aligned from from), fixing the lengths around attribute a
 * (whose own length becomes alen when the range is its payload, or is
 * left alone when alen is 0).  Returns the new size, 0 when it does not fit. */
static size_t mut_replace(uint8_t *d, size_t size, size_t max, const struct mut_attr *a,
			  size_t from, size_t to, const uint8_t *rep, size_t len, size_t alen)
{
	long delta = (long)NFK_ALIGN(len) - (long)(to - from);

	if (size + (size_t)(delta > 0 ? delta : 0) > max)
		return 0;
	for (unsigned i = 0; i < a->depth; i++)
		if ((long)get16(d + a->up[i]) + delta > 0xffff || (long)get16(d + a->up[i]) + delta < 4)
			return 0;
	if (alen > 0xffff)
		return 0;
	memmove(d + from + NFK_ALIGN(len), d + to, size - to);
	memcpy(d + from, rep, len);
	memset(d + from + len, 0, NFK_ALIGN(len) - len);
	for (unsigned i = 0; i < a->depth; i++)
		put16(d + a->up[i], (uint16_t)(get16(d + a->up[i]) + delta));
	put32(d + a->msg, (uint32_t)((long)get32(d + a->msg) + delta));
	if (alen)
		put16(d + a->off, (uint16_t)alen);
	return (size_t)((long)size + delta);
}

static size_t mut_attr_once(uint8_t *d, size_t size, size_t max)
{
	static uint8_t tmp[MUT_BUF];
	static const uint32_t ints[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 0x7fff, 0x8000,
		0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};
	const struct mut_attr *a;
	size_t off, alen, plen;

	mut_index(d, size);
	if (!mut_n)
		return 0;
	a = &mut_attrs[mut_rnd((unsigned)mut_n)];
	off = a->off;
	alen = get16(d + off);
	plen = alen - 4;
	switch (mut_rnd(7)) {
	case 0: { /* payload mutated by libFuzzer */
		size_t n;

		memcpy(tmp, d + off + 4, plen);
		if (!plen)
			tmp[plen++] = (uint8_t)mut_rnd(256);
		n = LLVMFuzzerMutate(tmp, plen, plen + 64 < 4096 ? plen + 64 : 4096);
		return mut_replace(d, size, max, a, off + 4, off + NFK_ALIGN(alen), tmp, n, n + 4);
	}
	case 1: { /* an interesting integer */
		uint32_t v = ints[mut_rnd(sizeof(ints) / sizeof(ints[0]))];
		uint64_t v64 = mut_rnd(4) ? v : ~0ull - mut_rnd(3);
		unsigned w = plen == 1 || plen == 2 || plen == 8 ? (unsigned)plen : 4;

		if (mut_rnd(4)) {  /* big endian, as nf_tables attributes */
			v = __builtin_bswap32(v);
			v64 = __builtin_bswap64(v64);
		}
		if (w == 8)
			memcpy(tmp, &v64, 8);
		else if (w == 2)
			put16(tmp, (uint16_t)(mut_rnd(4) ? __builtin_bswap16((uint16_t)ints[
				mut_rnd(sizeof(ints) / sizeof(ints[0]))]) : v));
		else if (w == 1)
			tmp[0] = (uint8_t)ints[mut_rnd(sizeof(ints) / sizeof(ints[0]))];
		else
			put32(tmp, v);
		return mut_replace(d, size, max, a, off + 4, off + NFK_ALIGN(alen), tmp, w, w + 4);
	}
	case 2: /* removed */
		return mut_replace(d, size, max, a, off, off + NFK_ALIGN(alen), tmp, 0, 0);
	case 3: /* repeated */
		if (NFK_ALIGN(alen) > sizeof(tmp) / 2)
			return 0;
		memcpy(tmp, d + off, NFK_ALIGN(alen));
		memcpy(tmp + NFK_ALIGN(alen), d + off, NFK_ALIGN(alen));
		return mut_replace(d, size, max, a, off, off + NFK_ALIGN(alen), tmp,
				   2 * NFK_ALIGN(alen), 0);
	case 4: { /* retyped (nested flag kept) */
		uint16_t t = get16(d + off + 2);

		put16(d + off + 2, (uint16_t)((t & 0xc000) | (mut_rnd(4) ? mut_rnd(32) : mut_rnd(0x4000))));
		return size;
	}
	case 5: { /* replaced by a copy of another attribute */
		const struct mut_attr *b = &mut_attrs[mut_rnd((unsigned)mut_n)];
		size_t blen = get16(d + b->off);

		if (NFK_ALIGN(blen) > sizeof(tmp))
			return 0;
		memcpy(tmp, d + b->off, NFK_ALIGN(blen));
		return mut_replace(d, size, max, a, off, off + NFK_ALIGN(alen), tmp, NFK_ALIGN(blen), 0);
	}
	default: { /* a string payload: empty, long, unterminated */
		static const size_t lens[] = { 0, 1, 15, 16, 31, 32, 255, 256, 257, 1024 };
		size_t n = lens[mut_rnd(sizeof(lens) / sizeof(lens[0]))];

		memset(tmp, 'a' + mut_rnd(26), n);
		if (n && mut_rnd(2))
			tmp[n - 1] = '\0';
		return mut_replace(d, size, max, a, off + 4, off + NFK_ALIGN(alen), tmp, n, n + 4);
	}
	}
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed)
{
	static uint8_t buf[MUT_BUF];
	size_t n = 0, cap = max < sizeof(buf) ? max : sizeof(buf);

	mut_rng = seed * 0x9e3779b97f4a7c15ull + 3;
	if (size <= cap && mut_rnd(4)) {
		/* aligned, so that headers can be read in place */
		memcpy(buf, data, size);
		n = mut_attr_once(buf, size, cap);
		for (unsigned k = mut_rnd(3); n && k > 0; k--) {
			size_t m = mut_attr_once(buf, n, cap);

			if (m)
				n = m;
		}
		if (n)
			memcpy(data, buf, n);
	}
	return n ? n : LLVMFuzzerMutate(data, size, max);
}
