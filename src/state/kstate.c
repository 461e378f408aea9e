// SPDX-License-Identifier: MIT
/*
 * Kernel state snapshot: dumps of tables, chains, sets, elements, objects,
 * flowtables and rules, kept as their attribute bytes in one arena per
 * kind.  Nothing read here is trusted: every record is a checked
 * attribute stream, and every accessor re-checks what it reads.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kstate.h"
#include "../obj/objects.h"

#define KS_REQ_MAX 1024

static int list_grow(struct ks_list *l, size_t alen)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct ks_rec *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	/* an arena even for records without attributes: ks_attrs() points into it */
	if (!l->arena || l->acap - l->alen < alen) {
		size_t cap = l->acap ? l->acap : 65536;
		uint8_t *a;

		while (cap - l->alen < alen)
			cap *= 2;
		a = realloc(l->arena, cap);
		if (!a)
			return -ENOMEM;
		l->arena = a;
		l->acap = cap;
	}
	return 0;
}

static int list_add(struct ks_list *l, uint8_t family, const void *attrs, size_t len,
		    uint32_t set)
{
	struct ks_rec *r;
	int ret;

	if (len > UINT32_MAX || nfk_attr_validate_stream(attrs, len) < 0)
		return -EINVAL;
	ret = list_grow(l, NFK_ALIGN(len));
	if (ret < 0)
		return ret;
	r = &l->v[l->n++];
	r->off = (uint32_t)l->alen;
	r->len = (uint32_t)len;
	r->family = family;
	r->set = set;
	memcpy(l->arena + l->alen, attrs, len);
	l->alen += NFK_ALIGN(len);
	return 0;
}

void ks_index(const struct nfk_kstate *ks, enum ks_kind kind, size_t i,
	      const struct nlattr **tb, unsigned max)
{
	size_t len;
	const void *a = ks_attrs(ks, kind, i, &len);

	if (nfk_attr_index(a, len, tb, max) < 0)
		memset(tb, 0, (max + 1) * sizeof(*tb));
}

/* ---- dump plumbing ---------------------------------------------------- */

struct dump_ctx {
	struct nfk_kstate *ks;
	enum ks_kind kind;
	int family;            /* filter, <0: any */
	const char *table;     /* filter, NULL: any */
	unsigned table_attr;   /* attribute holding the table name */
	uint32_t set;
	uint16_t msgtype;
	uint16_t reply;        /* the NEW* type the kernel answers with */
};

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *c = arg;
	const struct nfgenmsg *nfg;
	const void *attrs;
	size_t len;
	int ret;

	if ((nlh->nlmsg_type & 0xff) != c->reply ||
	    (nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES)
		return 0;
	attrs = nfk_msg_attrs(nlh, &len);
	if (!attrs)
		return 0;
	nfg = (const struct nfgenmsg *)((const uint8_t *)nlh + NFK_ALIGN(sizeof(*nlh)));
	if (c->family >= 0 && nfg->nfgen_family != c->family)
		return 0;
	if (c->table) {
		const struct nlattr *t = nfk_attr_find(attrs, len, (uint16_t)c->table_attr);
		const char *name = t ? nfk_attr_get_str(t) : NULL;

		if (!name || strcmp(name, c->table) != 0)
			return 0;
	}
	ret = list_add(&c->ks->k[c->kind], nfg->nfgen_family, attrs, len, c->set);
	if (ret == -EINVAL)
		return 0;   /* a malformed record is skipped, not fatal */
	return ret;
}

static int dump_to(struct nfk_sock *s, struct dump_ctx *c, uint8_t family,
		   const char *set_table, const char *set_name, nfk_msg_cb cb, void *arg)
{
	uint8_t mem[KS_REQ_MAX];
	struct nfk_buf b;
	struct nlmsghdr *nlh;
	unsigned ta = c->table_attr;

	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = nfk_msg_put(&b, (NFNL_SUBSYS_NFTABLES << 8) | c->msgtype,
			  NLM_F_REQUEST | NLM_F_DUMP, nfk_sock_seq(s), family, 0);
	if (!nlh)
		return -ENOBUFS;
	if (set_name) {
		if (!nfk_attr_put_str(&b, NFTA_SET_ELEM_LIST_TABLE, set_table) ||
		    !nfk_attr_put_str(&b, NFTA_SET_ELEM_LIST_SET, set_name))
			return -ENOBUFS;
	} else if (c->table && c->msgtype != NFT_MSG_GETTABLE) {
		if (!nfk_attr_put_str(&b, (uint16_t)ta, c->table))
			return -ENOBUFS;
	}
	nfk_msg_end(&b, nlh);
	return nfk_sock_request(s, nlh, cb, arg);
}

static int dump(struct nfk_sock *s, struct dump_ctx *c, uint8_t family,
		const char *set_table, const char *set_name)
{
	return dump_to(s, c, family, set_table, set_name, dump_cb, c);
}

/* A set's elements packed (setstream.c): 1, or 0 when they must be kept
 * as messages instead, or -errno. */
static int dump_packed(struct nfk_sock *s, struct dump_ctx *c, struct ks_set *st)
{
	int ret;

	if (!ks_pack_begin(st))
		return 0;
	ret = dump_to(s, c, st->family, st->table, st->info.name, ks_pack_cb, st);
	if ((ret == 0 || ret == -ENOENT) && !st->packed.failed) {
		ks_pack_end(st);
		return 1;
	}
	ks_packed_free(&st->packed);
	return ret == -ENOENT ? 0 : ret;
}

static int getgen_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[NFTA_GEN_MAX + 1];
	const void *attrs;
	size_t len;
	uint64_t v;

	if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWGEN)
		return 0;
	attrs = nfk_msg_attrs(nlh, &len);
	if (!attrs || nfk_attr_index(attrs, len, tb, NFTA_GEN_MAX) < 0)
		return 0;
	if (nfk_schema_get_uint(&nfk_gen_schema, tb[NFTA_GEN_ID], &v))
		*(uint32_t *)arg = (uint32_t)v;
	return 0;
}

static int getgen(struct nfk_sock *s, uint32_t *gen)
{
	uint8_t mem[64];
	struct nfk_buf b;
	struct nlmsghdr *nlh;

	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = nfk_msg_put(&b, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN, NLM_F_REQUEST,
			  nfk_sock_seq(s), NFPROTO_UNSPEC, 0);
	if (!nlh)
		return -ENOBUFS;
	nfk_msg_end(&b, nlh);
	return nfk_sock_request(s, nlh, getgen_cb, gen);
}

/* ---- sets -------------------------------------------------------------- */

static void set_fill(struct nfk_kstate *ks, size_t i, struct ks_set *st)
{
	const struct nlattr *tb[NFTA_SET_MAX + 1];

	memset(st, 0, sizeof(*st));
	ks_index(ks, KS_SET, i, tb, NFTA_SET_MAX);
	st->rec = (uint32_t)i;
	st->family = ks->k[KS_SET].v[i].family;
	st->table = nfk_tb_str(tb, NFTA_SET_TABLE, "");
	st->info.name = nfk_tb_str(tb, NFTA_SET_NAME, "");
	st->info.flags = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_FLAGS, 0);
	st->info.key_type = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_KEY_TYPE, 0);
	st->info.key_len = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_KEY_LEN, 0);
	st->info.data_type = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_DATA_TYPE, 0);
	st->info.data_len = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_DATA_LEN, 0);
	st->info.id = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_ID, 0);
	st->info.objtype = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_OBJ_TYPE, 0);
	if (tb[NFTA_SET_USERDATA]) {
		st->info.udata = nfk_attr_data(tb[NFTA_SET_USERDATA]);
		st->info.udata_len = nfk_attr_len(tb[NFTA_SET_USERDATA]);
	}
	st->handle = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_HANDLE, 0);
	st->policy = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_POLICY, NFT_SET_POL_PERFORMANCE);
	st->timeout = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_TIMEOUT, st->timeout);
	st->gc_interval = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_GC_INTERVAL, st->gc_interval);
	st->expr = tb[NFTA_SET_EXPR];
	st->expressions = tb[NFTA_SET_EXPRESSIONS];
	if (tb[NFTA_SET_DESC]) {
		const struct nlattr *dt[NFTA_SET_DESC_MAX + 1];

		if (nfk_attr_index(nfk_attr_data(tb[NFTA_SET_DESC]), nfk_attr_len(tb[NFTA_SET_DESC]),
				   dt, NFTA_SET_DESC_MAX) == 0) {
			st->size_desc = nfk_tb_uint(&nfk_set_desc_schema, dt, NFTA_SET_DESC_SIZE, 0);
			if (dt[NFTA_SET_DESC_CONCAT]) {
				nfk_attr_for_each(fe, rem, nfk_attr_data(dt[NFTA_SET_DESC_CONCAT]),
						  nfk_attr_len(dt[NFTA_SET_DESC_CONCAT])) {
					const struct nlattr *ft[NFTA_SET_FIELD_MAX + 1];

					if (st->field_count >= 16 ||
					    nfk_attr_index(nfk_attr_data(fe), nfk_attr_len(fe), ft,
							   NFTA_SET_FIELD_MAX) < 0)
						break;
					st->field_len[st->field_count++] =
						(uint8_t)nfk_tb_uint(&nfk_set_field_schema, ft, NFTA_SET_FIELD_LEN, 0);
				}
			}
		}
	}
}

const struct ks_set *ks_set_find(const struct nfk_kstate *ks, int family, const char *table,
				 const char *name)
{
	if (!ks || !table || !name)
		return NULL;
	for (size_t i = 0; i < ks->nsets; i++) {
		const struct ks_set *st = &ks->sets[i];

		if ((family < 0 || st->family == family) && strcmp(st->info.name, name) == 0 &&
		    strcmp(st->table, table) == 0)
			return st;
	}
	return NULL;
}

const struct nfk_set_info *nfk_kstate_set(const struct nfk_kstate *ks, int family,
					   const char *table, const char *set)
{
	const struct ks_set *st = ks_set_find(ks, family, table, set);

	return st ? &st->info : NULL;
}

static bool find_named(const struct nfk_kstate *ks, enum ks_kind kind, unsigned tattr,
		       unsigned nattr, int family, const char *table, const char *name)
{
	if (!ks || !table)
		return false;
	for (size_t i = 0; i < ks->k[kind].n; i++) {
		size_t len;
		const void *a = ks_attrs(ks, kind, i, &len);
		const struct nlattr *t = nfk_attr_find(a, len, (uint16_t)tattr);
		const struct nlattr *n = name ? nfk_attr_find(a, len, (uint16_t)nattr) : NULL;
		const char *ts = t ? nfk_attr_get_str(t) : NULL;

		if (family >= 0 && ks->k[kind].v[i].family != family)
			continue;
		if (!ts || strcmp(ts, table) != 0)
			continue;
		if (name) {
			const char *ns = n ? nfk_attr_get_str(n) : NULL;

			if (!ns || strcmp(ns, name) != 0)
				continue;
		}
		return true;
	}
	return false;
}

bool nfk_kstate_has_table(const struct nfk_kstate *ks, int family, const char *table)
{
	return find_named(ks, KS_TABLE, NFTA_TABLE_NAME, 0, family, table, NULL);
}

bool nfk_kstate_has_chain(const struct nfk_kstate *ks, int family, const char *table,
			  const char *chain)
{
	return chain && find_named(ks, KS_CHAIN, NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME, family,
				   table, chain);
}

/* ---- fetch ------------------------------------------------------------ */

static void sets_free(struct nfk_kstate *ks)
{
	for (size_t i = 0; ks->sets && i < ks->nsets; i++)
		ks_packed_free(&ks->sets[i].packed);
	free(ks->sets);
	ks->sets = NULL;
}

static void kstate_clear(struct nfk_kstate *ks)
{
	sets_free(ks);
	for (int k = 0; k < KS_NKINDS; k++) {
		free(ks->k[k].v);
		free(ks->k[k].arena);
	}
	memset(ks, 0, sizeof(*ks));
}

/* What a fetch keeps of set elements. */
enum ks_elems { KS_ELEMS_NONE, KS_ELEMS_MSGS, KS_ELEMS_PACKED };

static int fetch_once(struct nfk_kstate *ks, struct nfk_sock *s, int family, const char *table,
		      enum ks_elems elems)
{
	bool meta = elems == KS_ELEMS_NONE;
	static const struct {
		enum ks_kind kind;
		uint16_t msg, reply;
		unsigned tattr;
	} kinds[] = {
		{ KS_TABLE, NFT_MSG_GETTABLE, NFT_MSG_NEWTABLE, NFTA_TABLE_NAME },
		{ KS_CHAIN, NFT_MSG_GETCHAIN, NFT_MSG_NEWCHAIN, NFTA_CHAIN_TABLE },
		{ KS_SET, NFT_MSG_GETSET, NFT_MSG_NEWSET, NFTA_SET_TABLE },
		{ KS_OBJ, NFT_MSG_GETOBJ, NFT_MSG_NEWOBJ, NFTA_OBJ_TABLE },
		{ KS_FLOWTABLE, NFT_MSG_GETFLOWTABLE, NFT_MSG_NEWFLOWTABLE, NFTA_FLOWTABLE_TABLE },
		{ KS_RULE, NFT_MSG_GETRULE, NFT_MSG_NEWRULE, NFTA_RULE_TABLE },
	};
	uint8_t fam = family < 0 ? NFPROTO_UNSPEC : (uint8_t)family;
	int ret;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (meta && kinds[i].kind == KS_RULE)
			continue;
		struct dump_ctx c = {
			.ks = ks, .kind = kinds[i].kind, .family = family, .table = table,
			.table_attr = kinds[i].tattr, .msgtype = kinds[i].msg,
			.reply = kinds[i].reply,
		};

		ret = dump(s, &c, fam, NULL, NULL);
		/* A kernel without flowtables or objects answers EOPNOTSUPP. */
		if (ret < 0 && ret != -EOPNOTSUPP && ret != -ENOENT)
			return ret;
	}
	ks->nsets = ks->k[KS_SET].n;
	ks->sets = calloc(ks->nsets ? ks->nsets : 1, sizeof(*ks->sets));
	if (!ks->sets)
		return -ENOMEM;
	for (size_t i = 0; i < ks->nsets; i++)
		set_fill(ks, i, &ks->sets[i]);
	for (size_t i = 0; !meta && i < ks->nsets; i++) {
		struct dump_ctx c = {
			.ks = ks, .kind = KS_ELEM, .family = -1, .msgtype = NFT_MSG_GETSETELEM,
			.reply = NFT_MSG_NEWSETELEM,
			.set = (uint32_t)i,
		};
		size_t first = ks->k[KS_ELEM].n;

		ret = elems == KS_ELEMS_PACKED ? dump_packed(s, &c, &ks->sets[i]) : 0;
		if (ret == 0)
			ret = dump(s, &c, ks->sets[i].family, ks->sets[i].table, ks->sets[i].info.name);
		if (ret < 0 && ret != -ENOENT)
			return ret;
		ks->sets[i].elem_first = (uint32_t)first;
		ks->sets[i].elem_n = (uint32_t)(ks->k[KS_ELEM].n - first);
	}
	/* The set records' arena never moved after set_fill (sets are dumped
	 * before elements), so the names and udata pointers stay valid. */
	return 0;
}

static int fetch(struct nfk_kstate **out, struct nfk_sock *s, int family, const char *table,
		 enum ks_elems elems)
{
	struct nfk_kstate *ks;
	int ret = 0;

	*out = NULL;
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return -ENOMEM;
	/* Retry when the ruleset changed during the dumps, as nft does. */
	for (int attempt = 0; attempt < 8; attempt++) {
		uint32_t g1 = 0, g2 = 0;

		ret = getgen(s, &g1);
		if (ret < 0)
			break;
		ret = fetch_once(ks, s, family, table, elems);
		if (ret == 0)
			ret = getgen(s, &g2);
		if (ret < 0 && ret != -EINTR)
			break;
		if (ret == 0 && g1 == g2) {
			ks->genid = g1;
			break;
		}
		kstate_clear(ks);
	}
	if (ret < 0) {
		nfk_kstate_free(ks);
		return ret;
	}
	*out = ks;
	return 0;
}

int nfk_kstate_fetch(struct nfk_kstate **out, struct nfk_sock *s, int family, const char *table)
{
	return fetch(out, s, family, table, KS_ELEMS_MSGS);
}

int nfk_kstate_fetch_list(struct nfk_kstate **out, struct nfk_sock *s, int family,
			  const char *table)
{
	return fetch(out, s, family, table, KS_ELEMS_PACKED);
}

int nfk_kstate_fetch_meta(struct nfk_kstate **out, struct nfk_sock *s, int family,
			  const char *table)
{
	return fetch(out, s, family, table, KS_ELEMS_NONE);
}

void nfk_kstate_free(struct nfk_kstate *ks)
{
	if (!ks)
		return;
	kstate_clear(ks);
	free(ks);
}

const uint8_t *ks_udata_get(const void *udata, size_t ulen, unsigned type, size_t *len)
{
	const uint8_t *p = udata;
	size_t off = 0;

	while (p && off + 2 <= ulen) {
		unsigned t = p[off], l = p[off + 1];

		if (off + 2 + l > ulen)
			return NULL;
		if (t == type) {
			*len = l;
			return p + off + 2;
		}
		off += 2 + l;
	}
	return NULL;
}

/* ---- snapshots built from messages (nft -e echoes) --------------------- */

static const struct {
	uint16_t msg;
	enum ks_kind kind;
} ks_msg_kinds[] = {
	{ NFT_MSG_NEWTABLE, KS_TABLE },
	{ NFT_MSG_NEWCHAIN, KS_CHAIN },
	{ NFT_MSG_NEWSET, KS_SET },
	{ NFT_MSG_NEWSETELEM, KS_ELEM },
	{ NFT_MSG_NEWOBJ, KS_OBJ },
	{ NFT_MSG_NEWFLOWTABLE, KS_FLOWTABLE },
	{ NFT_MSG_NEWRULE, KS_RULE },
	{ NFT_MSG_DELRULE, KS_RULE },
};

/* The set record named by an element list, latest first; UINT32_MAX if none. */
static uint32_t ks_elem_set(const struct nfk_kstate *ks, uint8_t family, const void *attrs,
			    size_t len)
{
	const struct nlattr *t = nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_TABLE);
	const struct nlattr *n = nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_SET);
	const char *ts = t ? nfk_attr_get_str(t) : NULL, *ns = n ? nfk_attr_get_str(n) : NULL;

	for (size_t i = ks->k[KS_SET].n; ts && ns && i-- > 0;) {
		const struct nlattr *tb[NFTA_SET_MAX + 1];

		if (ks->k[KS_SET].v[i].family != family)
			continue;
		ks_index(ks, KS_SET, i, tb, NFTA_SET_MAX);
		if (!strcmp(nfk_tb_str(tb, NFTA_SET_TABLE, ""), ts) &&
		    !strcmp(nfk_tb_str(tb, NFTA_SET_NAME, ""), ns))
			return (uint32_t)i;
	}
	return UINT32_MAX;
}

int ks_append_msg(struct nfk_kstate *ks, const struct nlmsghdr *nlh, size_t *index)
{
	const struct nfgenmsg *nfg;
	const void *attrs;
	size_t len;
	int ret;

	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(ks_msg_kinds) / sizeof(ks_msg_kinds[0]); i++) {
		enum ks_kind kind = ks_msg_kinds[i].kind;
		uint32_t set = 0;

		if ((nlh->nlmsg_type & 0xff) != ks_msg_kinds[i].msg)
			continue;
		attrs = nfk_msg_attrs(nlh, &len);
		if (!attrs)
			return -EBADMSG;
		nfg = (const struct nfgenmsg *)((const uint8_t *)nlh + NFK_ALIGN(sizeof(*nlh)));
		if (kind == KS_ELEM)
			set = ks_elem_set(ks, nfg->nfgen_family, attrs, len);
		ret = list_add(&ks->k[kind], nfg->nfgen_family, attrs, len, set);
		if (ret < 0)
			return ret;
		if (index)
			*index = ks->k[kind].n - 1;
		return (int)kind;
	}
	return -ENOENT;
}

int ks_append_rec(struct nfk_kstate *ks, enum ks_kind kind, const struct nfk_kstate *from,
		  size_t i)
{
	size_t len;
	const void *a = ks_attrs(from, kind, i, &len);

	return list_add(&ks->k[kind], from->k[kind].v[i].family, a, len, UINT32_MAX);
}

int ks_sets_build(struct nfk_kstate *ks)
{
	struct ks_list *el = &ks->k[KS_ELEM];

	sets_free(ks);
	ks->nsets = ks->k[KS_SET].n;
	ks->sets = calloc(ks->nsets ? ks->nsets : 1, sizeof(*ks->sets));
	if (!ks->sets)
		return -ENOMEM;
	for (size_t i = 0; i < ks->nsets; i++)
		set_fill(ks, i, &ks->sets[i]);
	for (size_t i = 0; i < el->n; i++) {
		if (el->v[i].set == UINT32_MAX) {
			size_t len;
			const void *a = ks_attrs(ks, KS_ELEM, i, &len);

			el->v[i].set = ks_elem_set(ks, el->v[i].family, a, len);
		}
	}
	/* A set's elements are its first run of consecutive records: what a
	 * rule's anonymous set gets, since the kernel echoes them together. */
	for (size_t i = el->n; i-- > 0;) {
		uint32_t s = el->v[i].set;

		if (s >= ks->nsets)
			continue;
		if (ks->sets[s].elem_n && ks->sets[s].elem_first == i + 1)
			ks->sets[s].elem_n++;
		else
			ks->sets[s].elem_n = 1;
		ks->sets[s].elem_first = (uint32_t)i;
	}
	return 0;
}
