// SPDX-License-Identifier: MIT
/* Transactions built from objects.  Tables, chains, sets, elements and
 * objects are described in nft text and compiled by the same front end
 * the CLI uses, so they reach the kernel exactly as nft would send them;
 * rules may also come as raw expressions.  Each change remembers which
 * messages it produced, so a kernel error names the change. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "rule.h"

struct txn_change {
	size_t first_msg;   /* index of its first message in the batch */
	char *what;         /* "add rule inet filter input" */
};

struct txn_err {
	size_t change;
	int error;
	char *what;
};

struct txn_set {
	int family;
	char *table;
	struct nfk_set_info info;
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
	struct txn_err errs[NFK_TXN_MAXERR];
	size_t nerrs;
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

static void clear_errs(struct nfk_txn *t)
{
	for (size_t i = 0; i < t->nerrs && i < NFK_TXN_MAXERR; i++)
		free(t->errs[i].what);
	t->nerrs = 0;
}

NFK_API void nfk_txn_free(struct nfk_txn *t)
{
	if (!t)
		return;
	clear_errs(t);
	for (size_t i = 0; i < t->nchanges; i++)
		free(t->changes[i].what);
	free(t->changes);
	for (size_t i = 0; i < t->nsets; i++) {
		free(t->sets[i].table);
		free((char *)t->sets[i].info.name);
	}
	free(t->sets);
	nfk_batch_free(t->batch);
	nfk_kstate_free(t->ks);
	free(t);
}

static int begin_change(struct nfk_txn *t, const char *fmt, ...)
{
	struct txn_change *c = realloc(t->changes, (t->nchanges + 1) * sizeof(*c));
	va_list ap;
	int n;

	if (!c)
		return -ENOMEM;
	t->changes = c;
	c += t->nchanges;
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

	for (size_t i = 0; i < t->nsets; i++)
		if (t->sets[i].family == family && !strcmp(t->sets[i].table, table) &&
		    !strcmp(t->sets[i].info.name, set))
			return &t->sets[i].info;
	return NULL;
}

/* Compiles nft text into the batch, as part of the change begun last. */
static int compile_text(struct nfk_txn *t, const char *text)
{
	struct nfk_compile_opts o = { .set_lookup = txn_set_lookup, .set_lookup_arg = t };
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	struct nfk_sock *sock;
	int ret;

	if (!t->ks_fetched && !(t->ctx->flags & NFK_CTX_OFFLINE) &&
	    nfk_ctx_sock(t->ctx, &sock) == 0) {
		t->ks_fetched = true;
		if (nfk_kstate_fetch_meta(&t->ks, sock, -1, NULL) < 0)
			t->ks = NULL;
	}
	o.ks = t->ks;
	ret = nfk_script_parse(&sc, NULL, text, &ds);
	if (ret == 0)
		ret = nfk_script_compile(sc, &o, t->batch, &ds);
	if (ret < 0)
		nfk_ctx_print_diags(t->ctx, &ds);
	nfk_script_free(sc);
	return ret;
}

static int change_text(struct nfk_txn *t, const char *what, const char *fmt, ...)
{
	char *text;
	va_list ap;
	int ret, n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	ret = begin_change(t, "%s", what ? what : text);
	if (ret == 0)
		ret = compile_text(t, text);
	free(text);
	return ret;
}

static const char *fam(int family)
{
	const char *f = nfk_family_name((unsigned)family);

	return f ? f : "?";
}

NFK_API int nfk_txn_add_table(struct nfk_txn *t, int family, const char *table)
{
	return change_text(t, NULL, "add table %s %s", fam(family), table);
}

NFK_API int nfk_txn_add_chain(struct nfk_txn *t, int family, const char *table,
			      const char *chain, const struct nfk_chain_opts *o)
{
	char spec[256] = "";
	const char *hook;

	if (o && o->type) {
		hook = nfk_hook_name((unsigned)family, o->hooknum);
		if (!hook)
			return -EINVAL;
		snprintf(spec, sizeof(spec), " { type %s hook %s%s%s%s priority %d; %s }", o->type, hook,
			 o->device ? " device \"" : "", o->device ? o->device : "",
			 o->device ? "\"" : "", o->prio,
			 o->policy == NF_DROP ? "policy drop;" : o->policy == NF_ACCEPT ? "policy accept;" : "");
	}
	return change_text(t, NULL, "add chain %s %s %s%s", fam(family), table, chain, spec);
}

/* What the compiler must know about a set this transaction creates. */
static int remember_set(struct nfk_txn *t, int family, const char *table, const char *set,
			const struct nfk_set_opts *o)
{
	struct txn_set *s = realloc(t->sets, (t->nsets + 1) * sizeof(*s));
	uint32_t id = 0, len = 0;
	char *types, *save = NULL;

	if (!s)
		return -ENOMEM;
	t->sets = s;
	s += t->nsets;
	memset(s, 0, sizeof(*s));
	types = strdup(o->key_type);
	if (!types)
		return -ENOMEM;
	/* Concatenated keys: 6 bits of type id per component, each component
	 * padded to a 32-bit register. */
	for (char *tok = strtok_r(types, " .", &save); tok; tok = strtok_r(NULL, " .", &save)) {
		const struct nfk_dtype *dt = nfk_dtype_by_name(tok);

		if (!dt) {
			free(types);
			return -EINVAL;
		}
		id = (id << 6) | dt->id;
		len += ((dt->bits ? dt->bits : 128) / 8 + 3) & ~3u;
	}
	free(types);
	s->family = family;
	s->table = strdup(table);
	s->info.name = strdup(set);
	s->info.flags = o->flags | (o->data_type ? NFT_SET_MAP : 0);
	s->info.key_type = id;
	s->info.key_len = len;
	if (o->data_type) {
		const struct nfk_dtype *dt = nfk_dtype_by_name(o->data_type);

		if (!dt)
			return -EINVAL;
		s->info.data_type = dt->id;
		s->info.data_len = dt->bits / 8;
	}
	t->nsets++;
	return s->table && s->info.name ? 0 : -ENOMEM;
}

NFK_API int nfk_txn_add_set(struct nfk_txn *t, int family, const char *table, const char *set,
			    const struct nfk_set_opts *o)
{
	/* One row per flag nft can spell in a set declaration. */
	static const struct { uint32_t bit; const char *name; } flag_names[] = {
		{ NFT_SET_CONSTANT, "constant" }, { NFT_SET_INTERVAL, "interval" },
		{ NFT_SET_TIMEOUT, "timeout" }, { NFT_SET_EVAL, "dynamic" },
	};
	char flags[128] = "", extra[96] = "";
	size_t n = 0;
	int ret;

	if (!o || !o->key_type)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (o->flags & flag_names[i].bit)
			n += (size_t)snprintf(flags + n, sizeof(flags) - n, "%s%s",
					      n ? "," : " flags ", flag_names[i].name);
	if (n)
		strcat(flags, ";");
	if (o->timeout_ms)
		snprintf(extra, sizeof(extra), " timeout %llums;", (unsigned long long)o->timeout_ms);
	if (o->size)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), " size %u;", o->size);
	ret = change_text(t, NULL, "add %s %s %s %s { type %s%s%s;%s%s }", o->data_type ? "map" : "set",
			  fam(family), table, set, o->key_type, o->data_type ? " : " : "",
			  o->data_type ? o->data_type : "", flags, extra);
	return ret ? ret : remember_set(t, family, table, set, o);
}

NFK_API int nfk_txn_add_elements(struct nfk_txn *t, int family, const char *table,
				 const char *set, const char *elements)
{
	return change_text(t, NULL, "add element %s %s %s { %s }", fam(family), table, set, elements);
}

NFK_API int nfk_txn_add_object(struct nfk_txn *t, int family, const char *table,
			       const char *name, const char *body)
{
	char kind[16];

	/* The body's first word is the object type: "counter", "quota 10 mbytes". */
	if (sscanf(body, "%15s", kind) != 1)
		return -EINVAL;
	return change_text(t, NULL, "add %s %s %s %s {%s }", kind, fam(family), table, name,
			   body + strlen(kind));
}

NFK_API int nfk_txn_add_text(struct nfk_txn *t, const char *text)
{
	return change_text(t, NULL, "%s", text);
}

/* nft's rule user data: a TLV list of (u8 type, u8 len, value). */
#define UDATA_RULE_COMMENT 0

NFK_API int nfk_txn_add_rule(struct nfk_txn *t, int family, const char *table,
			     const char *chain, const struct nfk_rule *rule)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct nfk_buf *b;
	int ret;

	if (rule->open)
		return -EINVAL;
	ret = begin_change(t, "add rule %s %s %s", fam(family), table, chain);
	if (ret)
		return ret;
	nlh = nfk_batch_msg(t->batch, &b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND,
			    (uint8_t)family, NULL);
	if (!nlh)
		return -ENOMEM;
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
	return 0;
too_big:
	nfk_batch_cancel_msg(t->batch, nlh);
	return -E2BIG;
}

static size_t change_of(const struct nfk_txn *t, size_t msg)
{
	size_t lo = 0, hi = t->nchanges;

	/* The last change whose first message is at or before msg. */
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
	struct nfk_batch_err errs[NFK_TXN_MAXERR];
	struct nfk_sock *sock;
	size_t nerrs = 0;
	int ret;

	clear_errs(t);
	if (t->ctx->flags & NFK_CTX_DEBUG_NETLINK)
		nfk_batch_print_debug(t->ctx->out, t->batch);
	ret = nfk_ctx_sock(t->ctx, &sock);
	if (ret)
		return ret;
	ret = nfk_batch_send(sock, t->batch, t->ctx->flags & NFK_CTX_CHECK, errs,
			     NFK_TXN_MAXERR, &nerrs);
	for (size_t i = 0; i < nerrs && i < NFK_TXN_MAXERR; i++) {
		struct txn_err *e = &t->errs[i];

		e->change = change_of(t, errs[i].index);
		e->error = errs[i].error;
		if (asprintf(&e->what, "%s: %s", t->nchanges ? t->changes[e->change].what : "?",
			     strerror(-e->error)) < 0)
			e->what = NULL;
		t->nerrs++;
	}
	return ret;
}

NFK_API size_t nfk_txn_nerrors(const struct nfk_txn *t)
{
	return t->nerrs;
}

NFK_API int nfk_txn_error(const struct nfk_txn *t, size_t i, size_t *change, const char **what)
{
	if (i >= t->nerrs)
		return -ENOENT;
	if (change)
		*change = t->errs[i].change;
	if (what)
		*what = t->errs[i].what ? t->errs[i].what : "";
	return t->errs[i].error;
}
