// SPDX-License-Identifier: MIT
/*
 * `get element`: asks the kernel for each element with a plain
 * NFT_MSG_GETSETELEM request instead of dumping the set, and prints the
 * answer as nft does (the set block with just those elements).
 *
 * Interval sets keep an interval as a start element and an end element
 * (last value + 1, flagged).  The kernel's lookup of a key without flags
 * gives the start of the interval holding it; with NFT_SET_ELEM_INTERVAL_END
 * it gives the nearest end element above the key.  So two requests give
 * the interval: start for the key, end for start + 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "lang/print.h"
#include "obj/objects.h"

#define GET_KEY_MAX 64
#define GET_MSG_MAX 1024

struct get_ctx {
	struct nfk_sock *sock;
	const struct ks_set *set;
	struct nfk_kstate *out;      /* the set record, then the answers */
	/* the last answer's element, for the interval logic */
	uint8_t key[GET_KEY_MAX];
	size_t klen;
	bool got;
	bool keep;                   /* append the answer to out */
};

static const uint8_t *elem_key(const struct nlattr *elem, uint16_t type, size_t *len)
{
	const struct nlattr *k = nfk_attr_find(nfk_attr_data(elem), nfk_attr_len(elem), type);
	const struct nlattr *v;

	if (!k)
		return NULL;
	v = nfk_attr_find(nfk_attr_data(k), nfk_attr_len(k), NFTA_DATA_VALUE);
	if (!v || nfk_attr_len(v) > GET_KEY_MAX)
		return NULL;
	*len = nfk_attr_len(v);
	return nfk_attr_data(v);
}

/* The one element of an NFTA_SET_ELEM_LIST_ELEMENTS list, or NULL. */
static const struct nlattr *first_elem(const void *attrs, size_t len)
{
	const struct nlattr *l = nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_ELEMENTS);

	if (!l)
		return NULL;
	nfk_attr_for_each(e, rem, nfk_attr_data(l), nfk_attr_len(l))
		return e;
	return NULL;
}

static int answer_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct get_ctx *g = arg;
	const struct nlattr *e;
	const uint8_t *k;
	const void *attrs;
	size_t len, kl = 0;
	int ret;

	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES ||
	    (nlh->nlmsg_type & 0xff) != NFT_MSG_NEWSETELEM)
		return 0;
	attrs = nfk_msg_attrs(nlh, &len);
	if (!attrs || nfk_attr_validate_stream(attrs, len) < 0)
		return -EBADMSG;
	e = first_elem(attrs, len);
	k = e ? elem_key(e, NFTA_SET_ELEM_KEY, &kl) : NULL;
	g->got = true;
	g->klen = k ? kl : 0;
	if (k)
		memcpy(g->key, k, kl);
	if (!g->keep)
		return 0;
	ret = ks_append_msg(g->out, nlh, NULL);
	return ret < 0 ? ret : 0;
}

/* Builds and sends one GETSETELEM holding one element: either a copy of
 * a compiled element nest, or a key with flags. */
static int ask(struct get_ctx *g, const struct nlattr *elem, const uint8_t *key, size_t klen,
	       uint32_t flags, bool keep)
{
	uint8_t mem[GET_MSG_MAX];
	const struct ks_set *st = g->set;
	struct nlattr *list, *el, *kn;
	struct nlmsghdr *nlh;
	struct nfk_buf b;

	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = nfk_msg_put(&b, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETSETELEM, 
			  NLM_F_REQUEST | NLM_F_ACK, nfk_sock_seq(g->sock), st->family, 0);
	if (!nlh || !nfk_attr_put_str(&b, NFTA_SET_ELEM_LIST_TABLE, st->table) ||
	    !nfk_attr_put_str(&b, NFTA_SET_ELEM_LIST_SET, st->info.name) ||
	    !(list = nfk_nest_start(&b, NFTA_SET_ELEM_LIST_ELEMENTS)))
		return -ENOBUFS;
	if (elem) {
		if (!nfk_attr_put(&b, NFTA_LIST_ELEM, nfk_attr_data(elem), nfk_attr_len(elem)))
			return -ENOBUFS;
	} else {
		if (!(el = nfk_nest_start(&b, NFTA_LIST_ELEM)) ||
		    !(kn = nfk_nest_start(&b, NFTA_SET_ELEM_KEY)) ||
		    !nfk_attr_put(&b, NFTA_DATA_VALUE, key, klen) || !nfk_nest_end(&b, kn) ||
		    (flags && !nfk_schema_put_uint(&b, &nfk_setelem_schema, NFTA_SET_ELEM_FLAGS, flags)) ||
		    !nfk_nest_end(&b, el))
			return -ENOBUFS;
	}
	if (!nfk_nest_end(&b, list))
		return -ENOBUFS;
	nfk_msg_end(&b, nlh);
	g->got = false;
	g->keep = keep;
	return nfk_sock_request(g->sock, nlh, answer_cb, g);
}

/* Appends an interval-end element (key) to the answers, as the kernel
 * would list it. */
static int add_end(struct get_ctx *g, const uint8_t *key, size_t klen)
{
	uint8_t mem[GET_MSG_MAX];
	const struct ks_set *st = g->set;
	struct nlattr *list, *el, *kn;
	struct nlmsghdr *nlh;
	struct nfk_buf b;

	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = nfk_msg_put(&b, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWSETELEM, 0, 0,
			  st->family, 0);
	if (!nlh || !nfk_attr_put_str(&b, NFTA_SET_ELEM_LIST_TABLE, st->table) ||
	    !nfk_attr_put_str(&b, NFTA_SET_ELEM_LIST_SET, st->info.name) ||
	    !(list = nfk_nest_start(&b, NFTA_SET_ELEM_LIST_ELEMENTS)) ||
	    !(el = nfk_nest_start(&b, NFTA_LIST_ELEM)) ||
	    !(kn = nfk_nest_start(&b, NFTA_SET_ELEM_KEY)) ||
	    !nfk_attr_put(&b, NFTA_DATA_VALUE, key, klen) || !nfk_nest_end(&b, kn) ||
	    !nfk_schema_put_uint(&b, &nfk_setelem_schema, NFTA_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END) ||
	    !nfk_nest_end(&b, el) || !nfk_nest_end(&b, list))
		return -ENOBUFS;
	nfk_msg_end(&b, nlh);
	return ks_append_msg(g->out, nlh, NULL) < 0 ? -ENOMEM : 0;
}

/* Big-endian increment; false when it wraps (the key was the maximum). */
static bool be_next(uint8_t *k, size_t len)
{
	for (size_t i = len; i-- > 0;)
		if (++k[i] != 0)
			return true;
	return false;
}

/* One interval query: [lo, end) where end is the compiled end element
 * (NULL when the value reaches the maximum). */
static int ask_interval(struct get_ctx *g, const uint8_t *lo, const uint8_t *end, size_t klen)
{
	uint8_t probe[GET_KEY_MAX];
	int ret;

	ret = ask(g, NULL, lo, klen, 0, true);
	if (ret < 0)
		return ret;
	if (!g->got || g->klen != klen)
		return -ENOENT;
	/* nft prints what each query found, repeats included */
	memcpy(probe, g->key, klen);
	if (!be_next(probe, klen))   /* the interval is the maximum alone */
		return end ? -ENOENT : 0;
	/* nft 1.0.6 shows an interval map's element as its start alone */
	if (g->set->info.flags & NFT_SET_MAP)
		return add_end(g, probe, klen);
	ret = ask(g, NULL, probe, klen, NFT_SET_ELEM_INTERVAL_END, false);
	if (ret == -ENOENT || (ret == 0 && !g->got)) {
		/* no end above: the interval is open towards the maximum */
		return end ? -ENOENT : 0;
	}
	if (ret < 0)
		return ret;
	if (g->klen != klen)
		return -ENOENT;
	/* the queried range must end inside the interval */
	if (!end || memcmp(end, g->key, klen) > 0)
		return -ENOENT;
	return add_end(g, g->key, klen);
}

struct get_walk {
	struct get_ctx *g;
	int err;
};

static int walk_msg(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct get_walk *w = arg;
	struct get_ctx *g = w->g;
	bool interval = (g->set->info.flags & NFT_SET_INTERVAL) && !g->set->field_count;
	const uint8_t *lo = NULL, *k;
	const struct nlattr *l;
	const void *attrs;
	size_t len, kl, lolen = 0;
	(void)cookie;
	(void)index;

	attrs = nfk_msg_attrs(nlh, &len);
	l = attrs ? nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_ELEMENTS) : NULL;
	if (!l)
		return 0;
	nfk_attr_for_each(e, rem, nfk_attr_data(l), nfk_attr_len(l)) {
		const struct nlattr *fl = nfk_attr_find(nfk_attr_data(e), nfk_attr_len(e),
							NFTA_SET_ELEM_FLAGS);
		uint32_t flags = 0;

		uint64_t fv;

		if (nfk_schema_get_uint(&nfk_setelem_schema, fl, &fv))
			flags = (uint32_t)fv;
		if (!interval) {
			w->err = ask(g, e, NULL, 0, 0, true);
			if (w->err == 0 && !g->got)
				w->err = -ENOENT;
		} else if (!(flags & NFT_SET_ELEM_INTERVAL_END)) {
			if (lo)   /* the previous start had no end: open interval */
				w->err = ask_interval(g, lo, NULL, lolen);
			lo = elem_key(e, NFTA_SET_ELEM_KEY, &lolen);
			if (!lo)
				w->err = -EINVAL;
		} else if (lo && (k = elem_key(e, NFTA_SET_ELEM_KEY, &kl)) && kl == lolen) {
			w->err = ask_interval(g, lo, k, kl);
			lo = NULL;
		}
		if (w->err)
			return 1;
	}
	if (lo)
		w->err = ask_interval(g, lo, NULL, lolen);
	return w->err ? 1 : 0;
}

static void print_table_head(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
			     const struct nfk_list_opts *o)
{
	fprintf(f, "table %s %s {", nfk_family_name(st->family), st->table);
	for (size_t i = 0; o->handle && i < ks->k[KS_TABLE].n; i++) {
		const struct nlattr *tb[NFTA_TABLE_MAX + 1];

		ks_index(ks, KS_TABLE, i, tb, NFTA_TABLE_MAX);
		if (ks->k[KS_TABLE].v[i].family == st->family && tb[NFTA_TABLE_HANDLE] &&
		    !strcmp(nfk_tb_str(tb, NFTA_TABLE_NAME, ""), st->table)) {
			fprintf(f, " # handle %" PRIu64, nfk_tb_uint(&nfk_table_schema, tb, NFTA_TABLE_HANDLE, 0));
			break;
		}
	}
	fputc('\n', f);
}

/* nft underlines the whole command under a kernel error about it. */
static const struct nfk_loc *cmd_extent(const struct nfk_cmd *c, struct nfk_loc *at)
{
	const struct nfk_src *src = c->loc.src;
	size_t end = c->loc.offset;

	*at = c->loc;
	if (!src || !src->text || end >= src->len)
		return at;
	while (end < src->len && src->text[end] != '\n' && src->text[end] != ';')
		end++;
	while (end > c->loc.offset && (src->text[end - 1] == ' ' || src->text[end - 1] == '\t'))
		end--;
	/* nft's marker runs one column past the command */
	at->col_end = at->col + (uint32_t)(end - c->loc.offset);
	return at;
}

int nfk_ctx_get_elements(struct nfk_ctx *ctx, struct nfk_script *sc, const struct nfk_cmd *c,
			 struct nfk_diags *ds)
{
	struct nfk_compile_opts co = { 0 };
	struct nfk_kstate *ks = NULL;
	struct get_ctx g = { 0 };
	struct get_walk w = { .g = &g };
	struct nfk_batch *b = NULL;
	struct nfk_list_opts lo;
	struct nfk_loc at;
	int ret;

	ret = nfk_ctx_sock(ctx, &g.sock);
	if (ret < 0)
		return ret;
	/* tables, chains and sets of that table only: no element is dumped */
	ret = nfk_kstate_fetch_meta(&ks, g.sock, c->h.family, c->h.table);
	if (ret < 0)
		goto out;
	co.ks = ks;
	ret = nfk_batch_new(&b);
	if (ret < 0)
		goto out;
	ret = nfk_script_compile_get(sc, c, &co, b, ds);
	if (ret < 0)
		goto diag;
	g.set = ks_set_find(ks, c->h.family, c->h.table, c->h.set);
	g.out = calloc(1, sizeof(*g.out));
	ret = -ENOMEM;
	if (!g.set || !g.out)
		goto out;
	/* the answers find this set record by name as they are appended */
	ret = ks_append_rec(g.out, KS_SET, ks, g.set->rec);
	if (ret < 0)
		goto out;
	nfk_batch_for_each(b, walk_msg, &w);
	ret = w.err;
	if (ret < 0) {
		/* nft: the kernel's error under the whole command */
		nfk_diag_add(ds, cmd_extent(c, &at), "Could not process rule: %s",
			     strerror(-ret));
		goto diag;
	}
	ret = ks_sets_build(g.out);
	if (ret < 0 || !g.out->nsets)
		goto out;
	nfk_ctx_list_opts(ctx, &lo);
	/* nft lists interval answers as asked, others sorted */
	lo.query_order = g.set->info.flags & NFT_SET_INTERVAL;
	print_table_head(ctx->out, ks, g.set, &lo);
	ks_list_set(ctx->out, g.out, &g.out->sets[0], &lo);
	fputs("}\n", ctx->out);
	goto out;
diag:
	nfk_ctx_print_diags(ctx, ds);
out:
	nfk_kstate_free(g.out);
	nfk_batch_free(b);
	nfk_kstate_free(ks);
	return ret;
}
