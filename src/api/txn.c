// SPDX-License-Identifier: MIT
/* Transactions built from objects.  Tables, chains, sets, elements and
 * objects are built as commands from their typed arguments (lang/build.h)
 * and compiled by the same front end the CLI uses, so they reach the
 * kernel exactly as nft would send them, whatever their names hold; rules
 * may also come as raw expressions, and nfk_txn_add_text() takes nft
 * text.  Each change keeps its script and remembers which messages it
 * produced, so an error names the change and, where there is one, the
 * place in its text. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "lang/build.h"
#include "obj/expr/expr.h"
#include "obj/objects.h"
#include "rule.h"

struct txn_change {
	size_t first_msg;   /* index of its first message in the batch */
	char *what;         /* "add rule inet filter input" */
	/* what it was compiled from (NULL: a raw rule): kernel errors are
	 * located in it, and its errors' locations point into it */
	struct nfk_script *sc;
};

struct txn_err {
	struct nfk_error pub;
	struct nfk_diag diag;   /* the message, and its location for printing */
	char *what;             /* for nfk_txn_error() */
	bool kernel;            /* recorded by a commit, replaced by the next */
};

struct txn_set {
	int family;
	const char *table;
	struct nfk_set_info info;   /* names and user data point into the batch */
};

struct nfk_txn {
	struct nfk_ctx *ctx;
	struct nfk_batch *batch;
	struct nfk_kstate *ks;
	bool ks_fetched;
	struct txn_change *changes;
	size_t nchanges;
	struct txn_set *sets;
	size_t nsets;
	uint32_t next_set_id;   /* the last set id taken in this transaction */
	struct txn_err **errs;
	size_t nerrs, errs_cap;
	nfk_error_cb cb;
	void *cb_arg;
	bool cb_set;
};

NFK_API int nfk_txn_new(struct nfk_ctx *ctx, struct nfk_txn **out)
{
	struct nfk_txn *t = calloc(1, sizeof(*t));
	int ret;

	*out = NULL;
	if (!t)
		return -ENOMEM;
	t->ctx = ctx;
	ret = nfk_batch_new(&t->batch);
	if (ret) {
		free(t);
		return ret;
	}
	*out = t;
	return 0;
}

/* Drops the errors of the last commit (kernel), or all of them. */
static void clear_errs(struct nfk_txn *t, bool kernel_only)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nerrs; i++) {
		struct txn_err *e = t->errs[i];

		if (kernel_only && !e->kernel) {
			t->errs[n++] = e;
			continue;
		}
		free(e->what);
		free(e);
	}
	t->nerrs = n;
}

NFK_API void nfk_txn_free(struct nfk_txn *t)
{
	if (!t)
		return;
	clear_errs(t, false);
	free(t->errs);
	for (size_t i = 0; i < t->nchanges; i++) {
		free(t->changes[i].what);
		nfk_script_free(t->changes[i].sc);
	}
	free(t->changes);
	free(t->sets);
	nfk_batch_free(t->batch);
	nfk_kstate_free(t->ks);
	free(t);
}

const struct nfk_batch *nfk_txn_batch(const struct nfk_txn *t)
{
	return t->batch;
}

NFK_API void nfk_txn_set_error_cb(struct nfk_txn *t, nfk_error_cb cb, void *arg)
{
	t->cb = cb;
	t->cb_arg = arg;
	t->cb_set = true;
}

/* Records one error of change (NFK_NO_CHANGE: of the batch) and hands it
 * to the callback, or prints it as nft does when it is not the kernel's
 * and no callback was set. */
static void record_err(struct nfk_txn *t, size_t change, int error, const struct nfk_diag *d,
		       bool kernel)
{
	const char *what = change < t->nchanges ? t->changes[change].what : "?";
	struct txn_err *e;

	if (t->nerrs == t->errs_cap) {
		size_t cap = t->errs_cap ? t->errs_cap * 2 : 8;
		struct txn_err **v = realloc(t->errs, cap * sizeof(*v));

		if (!v)
			return;
		t->errs = v;
		t->errs_cap = cap;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return;
	e->diag = *d;
	e->kernel = kernel;
	e->pub.change = change;
	e->pub.error = error;
	e->pub.message = e->diag.msg;
	e->pub.internal = e;
	if (d->loc.src && d->loc.line) {
		e->pub.file = d->loc.src->name;
		e->pub.line = d->loc.line;
		e->pub.col = d->loc.col;
		e->pub.col_end = d->loc.col_end;
	}
	/* kernel errors: the description nfk_txn_error() always gave */
	if (asprintf(&e->what, "%s: %s", what, kernel ? strerror(-error) : d->msg) < 0)
		e->what = NULL;
	t->errs[t->nerrs++] = e;
	if (t->cb_set) {
		if (t->cb)
			t->cb(&e->pub, t->cb_arg);
	} else if (!kernel) {
		nfk_diag_print(t->ctx->err, &e->diag);
	}
}

/* Records a failed change's diagnostics (or, without any, its -errno). */
static void record_diags(struct nfk_txn *t, size_t change, int error, const struct nfk_diags *ds)
{
	unsigned n = ds->n < NFK_DIAG_MAX ? ds->n : NFK_DIAG_MAX;
	struct nfk_diag d = { .loc = { 0 } };

	for (unsigned i = 0; i < n; i++)
		record_err(t, change, error, &ds->d[i], false);
	if (!n) {
		snprintf(d.msg, sizeof(d.msg), "%s", strerror(-error));
		record_err(t, change, error, &d, false);
	}
}

NFK_API size_t nfk_txn_nerrors(const struct nfk_txn *t)
{
	return t->nerrs;
}

NFK_API const struct nfk_error *nfk_txn_get_error(const struct nfk_txn *t, size_t i)
{
	return i < t->nerrs ? &t->errs[i]->pub : NULL;
}

NFK_API int nfk_txn_error(const struct nfk_txn *t, size_t i, size_t *change, const char **what)
{
	if (i >= t->nerrs)
		return -ENOENT;
	if (change)
		*change = t->errs[i]->pub.change;
	if (what)
		*what = t->errs[i]->what ? t->errs[i]->what : "";
	return t->errs[i]->pub.error;
}

NFK_API void nfk_error_print(const struct nfk_error *e, void *stream)
{
	FILE *f = stream ? stream : stderr;
	const struct txn_err *te = e->internal;

	if (te)
		nfk_diag_print(f, &te->diag);
	else
		fprintf(f, "Error: %s\n", e->message ? e->message : strerror(-e->error));
}

/* Opens change number t->nchanges: what describes it ("add table ip t"). */
static int begin_change(struct nfk_txn *t, const char *fmt, ...)
{
	struct txn_change *c = realloc(t->changes, (t->nchanges + 1) * sizeof(*c));
	va_list ap;
	int n;

	if (!c)
		return -ENOMEM;
	t->changes = c;
	c += t->nchanges;
	memset(c, 0, sizeof(*c));
	c->first_msg = nfk_batch_count(t->batch);
	va_start(ap, fmt);
	n = vasprintf(&c->what, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	t->nchanges++;
	return 0;
}

static const struct nfk_set_info *txn_set_lookup(void *arg, int family, const char *table,
						 const char *set)
{
	struct nfk_txn *t = arg;

	for (size_t i = t->nsets; i-- > 0;)
		if (t->sets[i].family == family && !strcmp(t->sets[i].table, table) &&
		    !strcmp(t->sets[i].info.name, set))
			return &t->sets[i].info;
	return NULL;
}

struct set_scan {
	struct nfk_txn *t;
	size_t from;
	int ret;
};

/* Remembers a named set a change creates, as its NEWSET message describes
 * it, so later changes (their own compiles) know its key and data. */
static int remember_set(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct set_scan *ss = arg;
	const struct nlattr *tb[NFTA_SET_MAX + 1];
	struct txn_set *s;
	const void *attrs;
	size_t len;
	(void)cookie;

	if (index < ss->from || (nlh->nlmsg_type & 0xff) != NFT_MSG_NEWSET)
		return 0;
	attrs = nfk_msg_attrs(nlh, &len);
	if (nfk_attr_index(attrs, len, tb, NFTA_SET_MAX) < 0 ||
	    (nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_FLAGS, 0) & NFT_SET_ANONYMOUS) ||
	    !tb[NFTA_SET_TABLE] || !tb[NFTA_SET_NAME])
		return 0;
	s = realloc(ss->t->sets, (ss->t->nsets + 1) * sizeof(*s));
	if (!s) {
		ss->ret = -ENOMEM;
		return 1;
	}
	ss->t->sets = s;
	s += ss->t->nsets++;
	memset(s, 0, sizeof(*s));
	s->family = ((const struct nfgenmsg *)((const uint8_t *)nlh + NLMSG_HDRLEN))->nfgen_family;
	s->table = nfk_tb_str(tb, NFTA_SET_TABLE, "");
	s->info.name = nfk_tb_str(tb, NFTA_SET_NAME, "");
	s->info.flags = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_FLAGS, 0);
	s->info.key_type = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_KEY_TYPE, 0);
	s->info.key_len = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_KEY_LEN, 0);
	s->info.data_type = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_DATA_TYPE, 0);
	s->info.data_len = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_DATA_LEN, 0);
	s->info.objtype = nfk_tb_uint(&nfk_set_schema, tb, NFTA_SET_OBJ_TYPE, 0);
	if (tb[NFTA_SET_USERDATA]) {
		s->info.udata = nfk_attr_data(tb[NFTA_SET_USERDATA]);
		s->info.udata_len = nfk_attr_len(tb[NFTA_SET_USERDATA]);
	}
	return 0;
}

/* Compiles the change begun last from sc (already failed with ret when
 * ret < 0) into the batch.  On failure the batch is as it was before the
 * change and its errors are recorded; either way the change keeps sc. */
static int end_change(struct nfk_txn *t, struct nfk_script *sc, int ret, struct nfk_diags *ds)
{
	struct txn_change *c = &t->changes[t->nchanges - 1];
	struct nfk_compile_opts o = {
		.set_lookup = txn_set_lookup, .set_lookup_arg = t, .next_set_id = &t->next_set_id,
	};
	struct nfk_sock *sock;

	c->sc = sc;
	if (ret == 0 && !t->ks_fetched && !(t->ctx->flags & NFK_CTX_OFFLINE) &&
	    nfk_ctx_sock(t->ctx, &sock) == 0) {
		/* the compiler consults existing tables, chains and sets; a
		 * failing fetch only means it knows less */
		t->ks_fetched = true;
		if (nfk_kstate_fetch_meta(&t->ks, sock, -1, NULL) < 0)
			t->ks = NULL;
	}
	o.ks = t->ks;
	if (ret == 0)
		ret = nfk_script_compile(sc, &o, t->batch, ds);
	if (ret == 0) {
		struct set_scan ss = { .t = t, .from = c->first_msg };

		nfk_batch_for_each(t->batch, remember_set, &ss);
		ret = ss.ret;
	}
	if (ret < 0) {
		nfk_batch_truncate(t->batch, c->first_msg);
		record_diags(t, t->nchanges - 1, ret, ds);
	}
	return ret;
}

static const char *fam(int family)
{
	const char *f = family >= 0 ? nfk_family_name((unsigned)family) : NULL;

	return f ? f : "?";
}

static const char *str(const char *s)
{
	return s ? s : "(null)";
}

/* A change that failed before it had a script: recorded with a message. */
static int fail_change(struct nfk_txn *t, int error, const char *msg)
{
	struct nfk_diags ds = { .n = 0 };

	nfk_diag_add(&ds, NULL, "%s", msg);
	record_diags(t, t->nchanges - 1, error, &ds);
	return error;
}

NFK_API int nfk_txn_add_table(struct nfk_txn *t, int family, const char *table)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	int ret = begin_change(t, "add table %s %s", fam(family), str(table));

	if (ret)
		return ret;
	ret = nfk_build_new(&sc);
	if (ret == 0)
		ret = nfk_build_table(sc, family, table, &ds);
	return end_change(t, sc, ret, &ds);
}

NFK_API int nfk_txn_add_chain(struct nfk_txn *t, int family, const char *table,
			      const char *chain, const struct nfk_chain_opts *o)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	struct nfk_build_hook hook = { .policy = -1 };
	int policy, ret = begin_change(t, "add chain %s %s %s", fam(family), str(table), str(chain));

	if (ret)
		return ret;
	if (!NFK_OPTS_VALID(o, struct nfk_chain_opts, device))
		return fail_change(t, -EINVAL, "struct nfk_chain_opts: sz too small, or fields "
						 "this library does not know are set");
	hook.type = NFK_OPTS_GET(o, type, NULL);
	hook.hooknum = NFK_OPTS_GET(o, hooknum, 0);
	hook.prio = NFK_OPTS_GET(o, prio, 0);
	hook.device = NFK_OPTS_GET(o, device, NULL);
	policy = NFK_OPTS_GET(o, policy, NFK_CHAIN_POLICY_DEFAULT);
	switch (policy) {
	case NFK_CHAIN_POLICY_DEFAULT:
		break;
	case NFK_CHAIN_POLICY_ACCEPT:
		hook.policy = NF_ACCEPT;
		break;
	case NFK_CHAIN_POLICY_DROP:
		hook.policy = NF_DROP;
		break;
	default:
		return fail_change(t, -EINVAL, "unknown chain policy");
	}
	if (!hook.type && (policy || hook.device))
		return fail_change(t, -EINVAL, "a policy or device without a chain type: "
						 "regular chains have neither");
	ret = nfk_build_new(&sc);
	if (ret == 0)
		ret = nfk_build_chain(sc, family, table, chain, hook.type ? &hook : NULL, &ds);
	return end_change(t, sc, ret, &ds);
}

NFK_API int nfk_txn_add_set(struct nfk_txn *t, int family, const char *table, const char *set,
			    const struct nfk_set_opts *o)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	struct nfk_build_set bs;
	int ret = begin_change(t, "add %s %s %s %s", NFK_OPTS_GET(o, data_type, NULL) ? "map" : "set",
			       fam(family), str(table), str(set));

	if (ret)
		return ret;
	if (!NFK_OPTS_VALID(o, struct nfk_set_opts, size))
		return fail_change(t, -EINVAL, "struct nfk_set_opts: sz too small, or fields "
						 "this library does not know are set");
	bs.key_type = NFK_OPTS_GET(o, key_type, NULL);
	bs.data_type = NFK_OPTS_GET(o, data_type, NULL);
	bs.flags = NFK_OPTS_GET(o, flags, 0);
	bs.timeout_ms = NFK_OPTS_GET(o, timeout_ms, 0);
	bs.size = NFK_OPTS_GET(o, size, 0);
	ret = nfk_build_new(&sc);
	if (ret == 0)
		ret = nfk_build_set(sc, family, table, set, &bs, &ds);
	return end_change(t, sc, ret, &ds);
}

NFK_API int nfk_txn_add_elements(struct nfk_txn *t, int family, const char *table,
				 const char *set, const char *elements)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	int ret = begin_change(t, "add element %s %s %s", fam(family), str(table), str(set));

	if (ret)
		return ret;
	ret = nfk_build_new(&sc);
	if (ret == 0)
		ret = nfk_build_elements(sc, family, table, set, elements, &ds);
	return end_change(t, sc, ret, &ds);
}

NFK_API int nfk_txn_add_object(struct nfk_txn *t, int family, const char *table,
			       const char *name, const char *body)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	int ret = begin_change(t, "add object %s %s %s", fam(family), str(table), str(name));

	if (ret)
		return ret;
	ret = nfk_build_new(&sc);
	if (ret == 0)
		ret = nfk_build_object(sc, family, table, name, body, &ds);
	return end_change(t, sc, ret, &ds);
}

NFK_API int nfk_txn_add_text(struct nfk_txn *t, const char *text)
{
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	int ret = begin_change(t, "%s", str(text));

	if (ret)
		return ret;
	if (!text)
		return fail_change(t, -EINVAL, "no text given");
	ret = nfk_script_parse(&sc, NULL, text, &ds);
	return end_change(t, sc, ret, &ds);
}

/* Reserves the set ids a raw rule's expressions name (lookup, dynset,
 * objref), so the transaction's anonymous sets never take them. */
static void reserve_set_ids(struct nfk_txn *t, const struct nfk_rule *rule)
{
	static const struct { const char *expr; uint16_t attr; } id_attrs[] = {
		{ "lookup", NFTA_LOOKUP_SET_ID }, { "dynset", NFTA_DYNSET_SET_ID },
		{ "objref", NFTA_OBJREF_SET_ID },
	};

	nfk_attr_for_each(el, rem, rule->b.data, rule->b.len) {
		const void *d = nfk_attr_data(el);
		const struct nlattr *name = nfk_attr_find(d, nfk_attr_len(el), NFTA_EXPR_NAME);
		const struct nlattr *data = nfk_attr_find(d, nfk_attr_len(el), NFTA_EXPR_DATA);
		const char *n = name ? nfk_attr_get_str(name) : NULL;
		const struct nfk_expr_type *type = n ? nfk_expr_type_find(n) : NULL;
		uint64_t id;

		for (size_t i = 0; type && data && i < sizeof(id_attrs) / sizeof(id_attrs[0]); i++) {
			const struct nlattr *a;

			if (strcmp(n, id_attrs[i].expr))
				continue;
			a = nfk_attr_find(nfk_attr_data(data), nfk_attr_len(data), id_attrs[i].attr);
			if (a && nfk_schema_get_uint(type->schema, a, &id) && id > t->next_set_id &&
			    id <= UINT32_MAX)
				t->next_set_id = (uint32_t)id;
		}
	}
}

/* nft's rule user data: a TLV list of (u8 type, u8 len, value). */
#define UDATA_RULE_COMMENT 0

NFK_API int nfk_txn_add_rule(struct nfk_txn *t, int family, const char *table,
			     const char *chain, const struct nfk_rule *rule)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct nfk_buf *b;
	int ret = begin_change(t, "add rule %s %s %s", fam(family), str(table), str(chain));

	if (ret)
		return ret;
	if (!rule || rule->open || !table || !chain)
		return fail_change(t, -EINVAL, "no rule, table or chain, or an expression left open");
	if (strlen(table) > NFT_TABLE_MAXNAMELEN - 1 || strlen(chain) > NFT_CHAIN_MAXNAMELEN - 1)
		return fail_change(t, -ENAMETOOLONG, "name longer than the kernel takes (255 bytes)");
	nlh = nfk_batch_msg(t->batch, &b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND,
			    (uint8_t)family, NULL);
	if (!nlh)
		return fail_change(t, -ENOMEM, strerror(ENOMEM));
	if (!nfk_attr_put_str(b, NFTA_RULE_TABLE, table) ||
	    !nfk_attr_put_str(b, NFTA_RULE_CHAIN, chain) ||
	    !(nest = nfk_nest_start(b, NFTA_RULE_EXPRESSIONS)) ||
	    b->cap - b->len < rule->b.len)
		goto too_big;
	memcpy(b->data + b->len, rule->b.data, rule->b.len);
	b->len += rule->b.len;
	nfk_nest_end(b, nest);
	if (rule->comment) {
		size_t clen = strlen(rule->comment) + 1;
		uint8_t ud[2 + 256];

		if (clen > 255)
			goto too_big;
		ud[0] = UDATA_RULE_COMMENT;
		ud[1] = (uint8_t)clen;
		memcpy(ud + 2, rule->comment, clen);
		if (!nfk_attr_put(b, NFTA_RULE_USERDATA, ud, clen + 2))
			goto too_big;
	}
	nfk_batch_end_msg(t->batch, nlh);
	reserve_set_ids(t, rule);
	return 0;
too_big:
	nfk_batch_cancel_msg(t->batch, nlh);
	return fail_change(t, -E2BIG, "rule too big for one message");
}

static size_t change_of(const struct nfk_txn *t, size_t msg)
{
	size_t lo = 0, hi = t->nchanges;

	/* The last change whose first message is at or before msg (a failed
	 * change has none, and the next one starts where it would have). */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (t->changes[mid].first_msg <= msg)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

NFK_API int nfk_txn_commit(struct nfk_txn *t)
{
	const struct nfk_batch_err *errs;
	struct nfk_sock *sock;
	size_t nerrs = 0;
	int ret;

	clear_errs(t, true);
	if (t->ctx->flags & NFK_CTX_DEBUG_NETLINK)
		nfk_batch_print_debug(t->ctx->out, t->batch);
	if ((t->ctx->flags & NFK_CTX_OFFLINE) || nfk_batch_count(t->batch) == 0)
		return 0;
	ret = nfk_ctx_sock(t->ctx, &sock);
	if (ret)
		return ret;
	ret = nfk_batch_send_checked(sock, t->batch, t->ctx->flags & NFK_CTX_CHECK);
	errs = nfk_batch_errors(t->batch, &nerrs);
	for (size_t i = 0; i < nerrs; i++) {
		size_t change = errs[i].index == NFK_BATCH_NO_INDEX || !t->nchanges ?
					NFK_NO_CHANGE : change_of(t, errs[i].index);
		const struct nfk_script *sc = change != NFK_NO_CHANGE ? t->changes[change].sc : NULL;
		struct nfk_diags ds = { .n = 0 };

		nfk_kernel_err_diag(t->ctx, sc, &errs[i], t->batch, t->ks, &ds);
		record_err(t, change, errs[i].error, &ds.d[0], true);
	}
	if (ret < 0 && !nerrs) {
		struct nfk_diag d = { .loc = { 0 } };

		snprintf(d.msg, sizeof(d.msg), "Could not process batch: %s", strerror(-ret));
		record_err(t, NFK_NO_CHANGE, ret, &d, true);
	}
	return ret;
}
