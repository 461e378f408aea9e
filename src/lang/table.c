// SPDX-License-Identifier: MIT
/*
 * Table and chain declarations and their messages.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

/* priority NUMBER | priority NAME [+|- NUMBER] | priority -NUMBER, at
 * "priority" (chains and flowtables) */
bool ps_priority(P *p, struct prio_spec *ps)
{
	uint64_t v;

	ps->loc = p->tok.loc;
	ps_next(p);
	if (p->tok.kind == '-') {
		ps_next(p);
		if (!ps_number(p, &v))
			return false;
		ps->text = NULL;
		ps->offset = v > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)v;
		ps_span(&ps->loc, &p->prev);
		return true;
	}
	if (p->tok.kind == T_VAR) {
		struct ex *d = ps_define(p, &p->tok);
		if (!d)
			return false;
		ps->text = d->s;
		ps_next(p);
	} else if (!(ps->text = ps_ident(p, "string"))) {
		return false;
	}
	if (p->tok.kind == '+' || p->tok.kind == '-') {
		bool neg = p->tok.kind == '-';
		ps_next(p);
		if (!ps_number(p, &v))
			return false;
		/* beyond any 32-bit priority either way: refused when evaluated */
		if (v > (uint64_t)INT64_MAX / 2)
			v = (uint64_t)INT64_MAX / 2;
		ps->offset = neg ? -(int64_t)v : (int64_t)v;
	}
	ps_span(&ps->loc, &p->prev);
	return true;
}

/* The priority a spec gives on a hook: a number (C's 0x and 0 prefixes, as
 * nft reads them) or a standard name, plus the offset, within the 32 bits
 * of NFTA_HOOK_PRIORITY; what nft says otherwise ("... value in this
 * context." for chains, "... value." for flowtables) at the spec. */
bool cc_priority(struct cctx *c, int family, int hooknum, const struct prio_spec *ps,
		 const char *where, int32_t *out)
{
	int64_t v = 0;

	if (ps->text) {
		char *end;
		int prio;

		errno = 0;
		v = strtoll(ps->text, &end, 0);
		if (end == ps->text || *end) {
			if (nfk_prio_by_name(family, hooknum, ps->text, &prio))
				goto bad;
			v = prio;
		} else if (errno) {
			goto bad;
		}
	}
	v += ps->offset;
	if (v < INT32_MIN || v > INT32_MAX)
		goto bad;
	*out = (int32_t)v;
	return true;
bad:
	cc_err(c, &ps->loc, "invalid priority expression value%s.", where);
	return false;
}

/* ---- devices ---------------------------------------------------------- */

struct devs {
	const char **v;
	unsigned n, cap;
};

static bool devs_push(P *p, struct devs *d, const char *name)
{
	if (d->n == d->cap) {
		unsigned cap = d->cap ? 2 * d->cap : 8;
		const char **v = nfk_arena_alloc(p->ar, cap * sizeof(*v));

		if (!v)
			return ps_err(p, &p->tok.loc, "out of memory"), false;
		if (d->n)
			memcpy(v, d->v, d->n * sizeof(*v));
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = name;
	return true;
}

/* What a variable holds: one name, or a set of them (nested sets
 * flattened).  nft 1.0.6 crashes on a set in "device $v" and on a
 * variable among "devices = { ... }"; both are taken as the names. */
static bool devs_value(P *p, struct devs *d, const struct ex *v, const struct nfk_loc *at)
{
	if (v->kind == EX_SET) {
		for (size_t i = 0; i < v->n; i++)
			if (!devs_value(p, d, v->v[i], at))
				return false;
		return true;
	}
	if (v->kind != EX_SYM && v->kind != EX_STR) {
		ps_err(p, at, "expected a device name");
		return false;
	}
	return devs_push(p, d, v->s);
}

static bool devs_var(P *p, struct devs *d)
{
	const struct ex *v = ps_define(p, &p->tok);
	struct nfk_loc at = p->tok.loc;

	if (!v)
		return false;
	ps_next(p);
	return devs_value(p, d, v, &at);
}

/* One name of a list: nft's flowtable_expr_member. */
static bool devs_member(P *p, struct devs *d)
{
	if (p->tok.kind == T_VAR)
		return devs_var(p, d);
	if (p->tok.kind != T_WORD && p->tok.kind != T_STRING)
		return ps_unexpected(p, "string or quoted string or '$'"), false;
	return devs_push(p, d, ps_ident(p, "string"));
}

/* After "devices": "= { NAME, ... }" or "= $VAR", as nft's grammar has it
 * (no newline after '{' or before '}', any after a comma, which then ends
 * the item: only ',' or '}' may follow).  Every name is sent as written:
 * the kernel answers for their lengths and number. */
bool ps_devices(P *p, const char ***out, unsigned *n)
{
	struct devs d = { 0 };

	if (!ps_expect(p, '=', "'='"))
		return false;
	if (p->tok.kind == T_VAR) {
		if (!devs_var(p, &d))
			return false;
	} else if (!ps_expect(p, '{', "'{' or '$'") || !devs_member(p, &d)) {
		return false;
	} else {
		for (;;) {
			if (ps_accept_kind(p, '}'))
				break;
			if (!ps_accept_kind(p, ',')) {
				ps_unexpected(p, "comma or '}'");
				return false;
			}
			if (p->tok.kind == T_NL) {
				ps_skip_nl(p);
				continue;
			}
			if (p->tok.kind == '}' || p->tok.kind == ',')
				continue;
			if (p->tok.kind != T_VAR && p->tok.kind != T_WORD && p->tok.kind != T_STRING) {
				ps_unexpected(p, NULL);
				return false;
			}
			if (!devs_member(p, &d))
				return false;
		}
	}
	*out = d.v;
	*n = d.n;
	return true;
}

/* After "device": a name, or a variable holding one (or several). */
static bool parse_device(P *p, const char ***out, unsigned *n)
{
	struct devs d = { 0 };

	if (p->tok.kind == T_VAR) {
		if (!devs_var(p, &d))
			return false;
	} else if (p->tok.kind == T_WORD || p->tok.kind == T_STRING) {
		if (!devs_push(p, &d, ps_ident(p, "string")))
			return false;
	} else {
		ps_unexpected(p, "string or quoted string or string with a trailing asterisk or '$'");
		return false;
	}
	*out = d.v;
	*n = d.n;
	return true;
}

/* ---- chains -------------------------------------------------------------- */

/* After "type", which is at spec. */
static bool parse_chain_spec(P *p, struct chain_decl *c, const struct nfk_loc *spec)
{
	c->base = true;
	c->spec_loc = *spec;
	c->type_loc = p->tok.loc;
	if (!(c->type = ps_ident(p, "string")))
		return false;
	if (!ps_accept(p, "hook"))
		return ps_unexpected(p, "hook"), false;
	c->hook_loc = p->tok.loc;
	if (!(c->hook = ps_ident(p, "string")))
		return false;
	/* a chain spec given again replaces the devices */
	c->devices = NULL;
	c->ndev = 0;
	/* nft marks "device X", or the list (or variable) after "devices =" */
	c->dev_loc = p->tok.loc;
	if (ps_accept(p, "device")) {
		if (!parse_device(p, &c->devices, &c->ndev))
			return false;
	} else if (ps_accept(p, "devices")) {
		c->dev_loc = ps_peek(p)->loc;
		if (!ps_devices(p, &c->devices, &c->ndev))
			return false;
	}
	ps_span(&c->dev_loc, &p->prev);
	if (!ps_is(p, "priority"))
		return ps_unexpected(p, "priority"), false;
	if (!ps_priority(p, &c->prio))
		return false;
	ps_span(&c->spec_loc, &p->prev);
	return true;
}

/* One item of a chain block, with its separator. */
static bool chain_item(P *p, struct chain_decl *c)
{
	if (ps_is(p, "type") && ps_peek(p)->kind == T_WORD) {
		struct nfk_loc spec = p->tok.loc;

		ps_next(p);
		if (!parse_chain_spec(p, c, &spec))
			return false;
	} else if (ps_is(p, "policy") && ps_peek(p)->kind == T_WORD) {
		ps_next(p);
		if (ps_accept(p, "accept"))
			c->policy = NF_ACCEPT;
		else if (ps_accept(p, "drop"))
			c->policy = NF_DROP;
		else
			return ps_unexpected(p, NULL), false;
	} else if (ps_is(p, "comment") && ps_peek(p)->kind == T_STRING) {
		ps_next(p);
		if (!(c->comment = ps_comment(p)))
			return false;
	} else {
		struct rule *r = ps_rule(p);
		if (!r)
			return false;
		*c->rules_tail = r;
		c->rules_tail = &r->next;
	}
	return ps_end_strict(p, NL_SEMI);
}

bool ps_chain_body(P *p, struct chain_decl *c)
{
	int depth = p->depth;

	if (!ps_expect(p, '{', "'{'"))
		return false;
	ps_skip_seps(p);
	while (p->tok.kind != '}') {
		/* an error in an item is nft's: recover at the end of its line,
		 * without what the item had set (nft drops the whole item) */
		struct chain_decl before = *c;

		if (!chain_item(p, c)) {
			*before.rules_tail = NULL;
			*c = before;
			if (!ps_recover(p, depth))
				return false;
		}
		ps_skip_seps(p);
	}
	ps_next(p);
	return true;
}

struct chain_decl *ps_chain_new(P *p, const struct nfk_loc *loc)
{
	struct chain_decl *c = nfk_arena_alloc(p->ar, sizeof(*c));

	if (!c)
		return NULL;
	c->loc = *loc;
	c->policy = -1;
	c->rules_tail = &c->rules;
	return c;
}

static const struct nfk_sym table_flag_syms[] = {
	{ "dormant", NFT_TABLE_F_DORMANT }, { "owner", NFT_TABLE_F_OWNER }, { NULL, 0 },
};

static const struct { const char *w; enum nfk_obj_kind kind; } obj_words[] = {
	{ "counter", NFK_OBJ_COUNTER }, { "quota", NFK_OBJ_QUOTA }, { "limit", NFK_OBJ_LIMIT },
	{ "synproxy", NFK_OBJ_SYNPROXY }, { "secmark", NFK_OBJ_SECMARK },
};

/* One item of a table block with its separator: 1, or 0 after an error in
 * the item itself (recoverable, as nft), or -1 when a block inside it gave
 * up (it has reported its errors). */
static int table_item(P *p, struct table_decl *t)
{
	struct nfk_loc loc = p->tok.loc;
	bool done = false;
	if (ps_accept(p, "chain")) {
		struct chain_decl *c = ps_chain_new(p, &loc);
		if (c)
			c->name_loc = p->tok.loc;
		if (!c || !(c->name = ps_name(p)))
			return 0;
		if (!ps_chain_body(p, c))
			return 0;
		*t->chains_tail = c;
		t->chains_tail = &c->next;
		done = true;
	} else if (ps_is(p, "set") || ps_is(p, "map")) {
		struct set_decl *s = ps_set_new(p, &loc, ps_is(p, "map"));
		ps_next(p);
		/* nft marks a kernel error about a block's set at its name */
		if (s) {
			s->loc = p->tok.loc;
			s->in_table = true;
		}
		if (!s || !(s->name = ps_name(p)))
			return 0;
		if (!ps_set_body(p, s))
			return 0;
		*t->sets_tail = s;
		t->sets_tail = &s->next;
		done = true;
	} else if (ps_accept(p, "flowtable")) {
		struct flowtable_decl *f = nfk_arena_alloc(p->ar, sizeof(*f));
		if (!f)
			return 0;
		f->loc = p->tok.loc;   /* nft: the name, as a set's */
		if (!(f->name = ps_name(p)))
			return 0;
		if (!ps_flowtable_body(p, f))
			return 0;
		*t->fts_tail = f;
		t->fts_tail = &f->next;
		done = true;
	} else if (ps_is(p, "ct") && ps_ct_obj_kind(ps_peek(p)) >= 0 &&
		   ps_ct_obj_kind(ps_peek(p)) != NFK_OBJ_CT_HELPERS) {
		enum nfk_obj_kind kind = (enum nfk_obj_kind)ps_ct_obj_kind(ps_peek(p));
		ps_next(p);
		ps_next(p);
		struct obj_decl *o = nfk_arena_alloc(p->ar, sizeof(*o));
		if (!o)
			return 0;
		/* nft marks a kernel error about the object at its name */
		o->loc = p->tok.loc;
		o->kind = kind;
		if (!(o->name = ps_name(p)))
			return 0;
		if (!ps_obj_body(p, o, &o->loc, false))
			return 0;
		*t->objs_tail = o;
		t->objs_tail = &o->next;
		done = true;
	} else if (ps_accept(p, "flags")) {
		if (!ps_flag_list(p, table_flag_syms, &t->flags))
			return 0;
	} else if (ps_accept(p, "comment")) {
		if (!(t->comment = ps_comment(p)))
			return 0;
	} else {
		for (size_t i = 0; i < sizeof(obj_words) / sizeof(obj_words[0]); i++) {
			if (!ps_is(p, obj_words[i].w))
				continue;
			ps_next(p);
			struct obj_decl *o = nfk_arena_alloc(p->ar, sizeof(*o));
			if (!o)
				return 0;
			o->kind = obj_words[i].kind;
			struct nfk_loc name_loc = p->tok.loc;
			/* nft marks a kernel error about the object at its name
			 * (for a name too long, nft 1.0.6 has no location at all) */
			o->loc = name_loc;
			if (!(o->name = ps_name(p)))
				return 0;
			if (!ps_obj_body(p, o, &name_loc, false))
				return 0;
			*t->objs_tail = o;
			t->objs_tail = &o->next;
			done = true;
			break;
		}
		if (!done) {
			ps_unexpected(p, NULL);
			return 0;
		}
	}
	(void)done;
	return ps_end_strict(p, NL_SEMI) ? 1 : 0;
}

bool ps_table_body(P *p, struct table_decl *t)
{
	int depth = p->depth;

	if (!ps_expect(p, '{', "'{'"))
		return false;
	ps_skip_seps(p);
	while (p->tok.kind != '}') {
		if (!table_item(p, t) && !ps_recover(p, depth))
			return false;
		ps_skip_seps(p);
	}
	ps_next(p);
	return true;
}

/* ---- compile ----------------------------------------------------------- */

/* nft sends a device list last name first.  The kernel takes fewer than
 * NFT_NETDEVICE_MAX (256) devices on a hook and answers EFBIG at the
 * 256th, before it looks at any later one: no more are sent, the answer
 * is the same (and a list of thousands would not fit a message). */
#define NFK_NETDEVICE_MAX 256

bool cc_put_devices(struct nfk_buf *b, uint16_t attr, const char *const *devs, unsigned n)
{
	struct nlattr *d = nfk_nest_start(b, attr);
	bool ok = d != NULL;

	for (unsigned i = 0; ok && i < n && i < NFK_NETDEVICE_MAX; i++)
		ok = nfk_attr_put_str(b, NFTA_DEVICE_NAME, devs[n - 1 - i]);
	return d && nfk_nest_end(b, d) && ok;
}

bool cc_table_msg(struct cctx *c, const struct nfk_cmd *cmd, const struct table_decl *t)
{
	struct nfk_buf *b;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWTABLE, flags, cmd->h.family,
					     &cmd->loc);

	if (!nlh)
		return false;
	bool ok = nfk_attr_put_str(b, NFTA_TABLE_NAME, cmd->h.table) &&
		  nfk_schema_put_uint(b, &nfk_table_schema, NFTA_TABLE_FLAGS, t ? t->flags : 0);
	if (ok && t && t->comment)
		ok = cc_put_comment(b, NFTA_TABLE_USERDATA, 0, t->comment);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	cc_end_msg(c, nlh, &cmd->loc);
	return true;
}

/* Whether the script declares chain (table when chain is NULL) in family:
 * nft's cache holds what the input adds as well as the kernel's. */
static bool script_declares(const struct nfk_script *sc, int family, const char *table,
			    const char *chain)
{
	for (size_t i = 0; i < sc->ncmds; i++) {
		const struct nfk_cmd *k = &sc->cmds[i];
		const struct cmd_body *b = k->body;

		if ((k->op != NFK_CMD_ADD && k->op != NFK_CMD_CREATE) || k->h.family != family ||
		    !k->h.table || strcmp(k->h.table, table))
			continue;
		if (!chain && k->obj == NFK_OBJ_TABLE)
			return true;
		if (!chain)
			continue;
		if (k->obj == NFK_OBJ_CHAIN && k->h.chain && !strcmp(k->h.chain, chain))
			return true;
		for (const struct chain_decl *d = k->obj == NFK_OBJ_TABLE && b && b->table ?
					b->table->chains : NULL; d; d = d->next)
			if (d->name && !strcmp(d->name, chain))
				return true;
	}
	return false;
}

/* rename chain [family] table chain newname: the chain by its handle, with
 * the new name (NEWCHAIN).  As nft, the chain must be known (the kernel's
 * or the input's: one the input adds has no handle yet, which the kernel
 * answers ENOENT for). */
bool cc_rename_chain(struct cctx *c, const struct nfk_cmd *cmd)
{
	const struct nfk_kstate *ks = c->o ? c->o->ks : NULL;
	const struct cmd_body *body = cmd->body;
	bool table = false, chain = false;
	uint64_t handle = 0;
	struct nfk_buf *b;

	for (size_t i = 0; ks && i < ks->k[KS_CHAIN].n && !chain; i++) {
		const struct nlattr *tb[NFTA_CHAIN_MAX + 1];

		if (ks->k[KS_CHAIN].v[i].family != cmd->h.family)
			continue;
		ks_index(ks, KS_CHAIN, i, tb, NFTA_CHAIN_MAX);
		if (strcmp(nfk_tb_str(tb, NFTA_CHAIN_TABLE, ""), cmd->h.table))
			continue;
		table = true;
		if (!strcmp(nfk_tb_str(tb, NFTA_CHAIN_NAME, ""), cmd->h.chain)) {
			chain = true;
			handle = nfk_tb_uint(&nfk_chain_schema, tb, NFTA_CHAIN_HANDLE, 0);
		}
	}
	table = table || nfk_kstate_has_table(ks, cmd->h.family, cmd->h.table) ||
		script_declares(c->sc, cmd->h.family, cmd->h.table, NULL);
	chain = chain || script_declares(c->sc, cmd->h.family, cmd->h.table, cmd->h.chain);
	if (!table || !chain) {
		/* with nft's "did you mean" for a close name it knows */
		char hint[256];
		const char *msg = nfk_script_enoent_hint(c->sc, ks, &cmd->loc, hint, sizeof(hint));

		cc_err(c, table ? &cmd->h.chain_loc : &cmd->h.table_loc, "%s",
		       msg ? msg : strerror(ENOENT));
		return false;
	}
	/* the kernel's errors mark the whole command, and nft's span of it
	 * takes in the newline after (no name of it is marked) */
	struct nfk_loc *at = nfk_arena_alloc(&c->sc->arena, sizeof(*at));
	if (!at)
		return false;
	*at = cmd->loc;
	at->col_end++;
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWCHAIN, 0, cmd->h.family, at);
	if (!nlh)
		return false;
	if (!nfk_attr_put_str(b, NFTA_CHAIN_TABLE, cmd->h.table) ||
	    !nfk_schema_put_uint(b, &nfk_chain_schema, NFTA_CHAIN_HANDLE, handle) ||
	    !nfk_attr_put_str(b, NFTA_CHAIN_NAME, body->newname)) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	nfk_batch_end_msg(c->b, nlh);
	return true;
}

bool cc_chain_msg(struct cctx *c, const struct nfk_cmd *cmd, int family,
			      const char *table, const struct chain_decl *ch, const char *name)
{
	struct nfk_buf *b;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	int hooknum = 0;
	int32_t prio = 0;

	if (ch && ch->base) {
		hooknum = nfk_hook_by_name(family, ch->hook);
		if (hooknum < 0) {
			cc_err(c, &ch->hook_loc, "unknown chain hook");
			return false;
		}
		if (!cc_priority(c, family, hooknum, &ch->prio, " in this context", &prio))
			return false;
		/* netdev chains and inet ingress ones hook to devices, no others */
		if (family == NFPROTO_NETDEV ||
		    (family == NFPROTO_INET && hooknum == NF_INET_INGRESS)) {
			if (!ch->ndev) {
				cc_err(c, &ch->spec_loc, "Missing `device' in this chain definition");
				return false;
			}
		} else if (ch->ndev) {
			cc_err(c, &ch->dev_loc, "This chain type cannot be bound to device");
			return false;
		}
		int tc = nfk_chain_type_check(family, hooknum, ch->type);
		if (tc == -ENOENT) {
			cc_err(c, ch->type_loc.line ? &ch->type_loc : &ch->loc, "unknown chain type");
			return false;
		}
	}
	/* nft puts a kernel error about a chain of a table block at its name */
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWCHAIN, flags, family,
					     ch ? (const void *)(ch->name_loc.line ? &ch->name_loc : &ch->loc) :
						  &cmd->loc);
	if (!nlh)
		return false;
	bool ok = nfk_attr_put_str(b, NFTA_CHAIN_TABLE, table) &&
		  nfk_attr_put_str(b, NFTA_CHAIN_NAME, name);
	if (ok && ch && ch->base) {
		struct nlattr *h = nfk_nest_start(b, NFTA_CHAIN_HOOK);
		ok = h && nfk_schema_put_uint(b, &nfk_hook_schema, NFTA_HOOK_HOOKNUM, hooknum) &&
		     nfk_schema_put_uint(b, &nfk_hook_schema, NFTA_HOOK_PRIORITY, (uint32_t)prio);
		if (ok && ch->ndev == 1)
			ok = nfk_attr_put_str(b, NFTA_HOOK_DEV, ch->devices[0]);
		else if (ok && ch->ndev > 1)
			ok = cc_put_devices(b, NFTA_HOOK_DEVS, ch->devices, ch->ndev);
		if (h)
			nfk_nest_end(b, h);
		if (ok && ch->policy >= 0)
			ok = nfk_schema_put_uint(b, &nfk_chain_schema, NFTA_CHAIN_POLICY, ch->policy);
		if (ok)
			ok = nfk_attr_put_str(b, NFTA_CHAIN_TYPE, ch->type);
	}
	if (ok && ch && ch->comment)
		ok = cc_put_comment(b, NFTA_CHAIN_USERDATA, 0, ch->comment);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	cc_end_msg(c, nlh, ch ? (const void *)&ch->loc : &cmd->loc);
	return true;
}
