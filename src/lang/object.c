// SPDX-License-Identifier: MIT
/*
 * Stateful objects (counter, quota, limit, ct helper, ct timeout, ct
 * expectation, synproxy, secmark): their declarations, messages and
 * listing, the statements that reference them by name or through object
 * maps, and the synproxy statement.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nf_synproxy.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

/* "NAME" (or a variable holding one), or "SELECTOR map { key : NAME, ... }"
 * / "SELECTOR map @m" */
static bool ps_objref_target(P *p, struct stmt *s)
{
	struct ex *key = ps_lhs(p);

	if (!key) {
		if (p->failed)
			return false;
		s->objref.name_loc = p->tok.loc;
		if (p->tok.kind == T_VAR) {
			const struct ex *v = ps_define(p, &p->tok);

			if (!v)
				return false;
			if (v->kind != EX_SYM && v->kind != EX_STR)
				return ps_err(p, &p->tok.loc, "expected an object name"), false;
			s->objref.name = v->s;
			s->objref.name_loc = v->loc;   /* nft points into the define */
			ps_next(p);
			return true;
		}
		return (s->objref.name = ps_ident(p, "string")) != NULL;
	}
	if (!ps_accept(p, "map"))
		return ps_unexpected(p, "map"), false;
	s->objref.key = key;
	s->objref.map = ps_value(p);
	return s->objref.map != NULL;
}

/* counter, limit, quota, synproxy: the keyword, then either "name X" (a
 * reference to a stateful object, *ref set) or the statement's own options. */
struct stmt *ps_stateful_start(P *p, enum st_kind kind, uint32_t objtype, bool *ref)
{
	struct stmt *s = ps_st(p, kind, &p->tok.loc);

	ps_next(p);
	*ref = false;
	if (!s)
		return NULL;
	if (ps_accept(p, "name")) {
		*ref = true;
		s->kind = ST_OBJREF;
		s->objref.type = objtype;
		return ps_objref_target(p, s) ? s : NULL;
	}
	return s;
}

/* ct helper|timeout|expectation set NAME (or through an object map);
 * other "ct" words are the ct selector's */
static struct stmt *parse_ct_objref(P *p)
{
	struct nfk_loc loc = p->tok.loc;
	const struct nfk_tok *la = ps_peek(p);
	P saved = *p;
	struct stmt *s;
	int type;

	if (la->kind != T_WORD || !(nfk_tok_is(la, "helper") || nfk_tok_is(la, "timeout") ||
				    nfk_tok_is(la, "expectation")))
		return NULL;
	ps_next(p);
	type = ps_is(p, "helper") ? NFT_OBJECT_CT_HELPER :
	       ps_is(p, "timeout") ? NFT_OBJECT_CT_TIMEOUT : NFT_OBJECT_CT_EXPECT;
	if (ps_peek(p)->kind != T_WORD || !nfk_tok_is(&p->la, "set")) {
		/* "ct helper" as a match: back to the ct selector */
		*p = saved;
		return NULL;
	}
	ps_next(p);
	ps_next(p);
	if (!(s = ps_st(p, ST_OBJREF, &loc)))
		return NULL;
	s->objref.type = type;
	return ps_objref_target(p, s) ? s : NULL;
}

static struct stmt *parse_synproxy(P *p)
{
	bool ref;
	uint64_t n;
	struct stmt *s = ps_stateful_start(p, ST_SYNPROXY, NFT_OBJECT_SYNPROXY, &ref);

	if (!s || ref)
		return s;
	for (;;) {
		if (ps_accept(p, "mss")) {
			if (!ps_number(p, &n))
				return NULL;
			s->synproxy.mss = (uint16_t)n;
			s->synproxy.flags |= NF_SYNPROXY_OPT_MSS;
		} else if (ps_accept(p, "wscale")) {
			if (!ps_number(p, &n))
				return NULL;
			s->synproxy.wscale = (uint8_t)n;
			s->synproxy.flags |= NF_SYNPROXY_OPT_WSCALE;
		} else if (ps_accept(p, "timestamp")) {
			s->synproxy.flags |= NF_SYNPROXY_OPT_TIMESTAMP;
		} else if (ps_accept(p, "sack-perm")) {
			s->synproxy.flags |= NF_SYNPROXY_OPT_SACK_PERM;
		} else {
			break;
		}
	}
	return s;
}

static bool l3proto_arg(P *p, unsigned *l3proto)
{
	char w[16];
	int f = -1;

	if (p->tok.kind == T_WORD && p->tok.len < sizeof(w)) {
		nfk_tok_copy(w, sizeof(w), &p->tok);
		f = nfk_family_by_name(w);
	}
	if (f < 0)
		return ps_unexpected(p, NULL), false;
	*l3proto = (unsigned)f;
	ps_next(p);
	return true;
}

static bool l4proto_arg(P *p, unsigned *l4proto)
{
	if (ps_accept(p, "tcp"))
		*l4proto = IPPROTO_TCP;
	else if (ps_accept(p, "udp"))
		*l4proto = IPPROTO_UDP;
	else
		return ps_unexpected(p, "udp or tcp"), false;
	return true;
}

/* One item of a ct helper block, with its separator ("type ... protocol
 * ...", "l3proto ..."). */
static bool helper_item(P *p, struct obj_decl *o, bool braces)
{
	if (ps_accept(p, "type")) {
		struct nfk_loc hl = p->tok.loc;
		if (!(o->helper = ps_ident(p, "quoted string")))
			return false;
		/* the kernel's helper names hold 16 bytes with the NUL;
		 * nft's message ends in a newline of its own */
		if (strlen(o->helper) >= 16) {
			ps_err(p, &hl, "invalid name '%s', max length is 16\n", o->helper);
			return false;
		}
		if (!ps_accept(p, "protocol"))
			return ps_unexpected(p, "protocol"), false;
		if (!l4proto_arg(p, &o->l4proto))
			return false;
	} else if (ps_accept(p, "l3proto")) {
		if (!l3proto_arg(p, &o->l3proto))
			return false;
	} else {
		return ps_unexpected(p, NULL), false;
	}
	return !braces || ps_end_strict(p, NL_SEMI);
}

/* In a block, a word that starts no quota is just unexpected. */
static bool quota_starts(P *p)
{
	return p->tok.kind == T_WORD && (ps_is(p, "over") || ps_is(p, "until") ||
					 (p->tok.s[0] >= '0' && p->tok.s[0] <= '9'));
}

/* counter/quota/limit object bodies: { packets N bytes M } etc. */
static bool parse_obj_body(P *p, struct obj_decl *o, bool braces)
{
	int depth = p->depth;

	if (braces) {
		if (!ps_expect(p, '{', "'{'"))
			return false;
		ps_skip_seps(p);
	}
	while (!(braces ? p->tok.kind == '}' : ps_at_end(p))) {
		bool ok = true;

		if (o->kind == NFK_OBJ_COUNTER && ps_accept(p, "packets")) {
			if (!ps_number(p, &o->counter.packets) || !ps_accept(p, "bytes") ||
			    !ps_number(p, &o->counter.bytes))
				ok = p->failed ? false : (ps_unexpected(p, NULL), false);
		} else if (ps_accept(p, "comment")) {
			ok = (o->comment = ps_comment(p)) != NULL;
		} else if (o->kind == NFK_OBJ_CT_HELPER) {
			ok = helper_item(p, o, braces);
		} else if (o->kind == NFK_OBJ_QUOTA && (!braces || quota_starts(p))) {
			ok = ps_quota_args(p, &o->quota);
		} else if (o->kind == NFK_OBJ_LIMIT && ps_accept(p, "rate")) {
			ok = ps_limit_args(p, &o->limit);
		} else {
			ps_unexpected(p, NULL);
			ok = false;
		}
		/* the block recovers from an error as a chain does */
		if (!ok && !(braces && ps_recover(p, depth)))
			return false;
		if (braces)
			ps_skip_seps(p);
	}
	if (braces)
		ps_next(p);
	return true;
}

/* A ct timeout policy entry, checked against the protocol at the end of
 * the block (nft allows "policy" before "protocol"). */
struct ct_pol {
	const char *state;
	struct nfk_loc loc;
	uint32_t secs;
	struct ct_pol *next;
};

struct objblk {
	struct obj_decl *o;
	struct nfk_loc kw_loc;        /* the current item's keyword */
	struct ct_pol *pol, **pol_tail;
	bool abandon;                 /* the error ends the block, not just the item */
};

static bool item_l3proto(P *p, struct objblk *k)
{
	return l3proto_arg(p, &k->o->l3proto);
}

static bool item_l4proto(P *p, struct objblk *k)
{
	return l4proto_arg(p, &k->o->l4proto);
}

/* policy = { state : seconds, ... } */
static bool item_policy(P *p, struct objblk *k)
{
	if (!ps_expect(p, '=', "'='") || !ps_expect(p, '{', "'{'"))
		return false;
	do {
		struct ct_pol *e;
		uint64_t v;

		if (p->tok.kind != T_WORD || isdigit((unsigned char)p->tok.s[0]))
			return ps_unexpected(p, "string"), false;
		if (!(e = nfk_arena_alloc(p->ar, sizeof(*e))))
			return ps_err(p, &p->tok.loc, "out of memory"), false;
		e->loc = p->tok.loc;
		e->state = ps_tokdup(p, &p->tok);
		ps_next(p);
		if (!ps_expect(p, ':', "colon") || !ps_number(p, &v))
			return false;
		e->secs = (uint32_t)v;   /* nft keeps the low 32 bits */
		*k->pol_tail = e;
		k->pol_tail = &e->next;
	} while (ps_accept_kind(p, ','));
	return ps_expect(p, '}', "comma or '}'");
}

static bool item_dport(P *p, struct objblk *k)
{
	uint64_t v;

	if (!ps_number(p, &v))
		return false;
	k->o->expect.dport = (uint16_t)v;
	return true;
}

static bool item_size(P *p, struct objblk *k)
{
	uint64_t v;

	if (!ps_number(p, &v))
		return false;
	k->o->expect.size = (uint8_t)v;
	return true;
}

/* A time string: "2m", "1h30s".  nft's scanner reads a bare number, or
 * the digits before a unit it does not know, as a number. */
static bool item_exp_timeout(P *p, struct objblk *k)
{
	char buf[64];
	uint64_t ms;
	uint32_t digits = 0;

	if (p->tok.kind != T_WORD)
		return ps_unexpected(p, "string"), false;
	while (digits < p->tok.len && isdigit((unsigned char)p->tok.s[digits]))
		digits++;
	if (digits == p->tok.len)
		return ps_unexpected(p, "string"), false;
	nfk_tok_copy(buf, sizeof(buf), &p->tok);
	if (p->tok.len >= sizeof(buf) || nfk_time_parse(buf, &ms, NULL, 0)) {
		if (!digits)
			return ps_err(p, &p->tok.loc, "wrong time format"), false;
		struct nfk_loc l = p->tok.loc;
		l.col_end = l.col + digits - 1;
		ps_err(p, &l, "syntax error, unexpected number, expecting string");
		return false;
	}
	k->o->expect.timeout = (uint32_t)ms;
	ps_next(p);
	return true;
}

/* mss N wscale N [timestamp] [sack-perm], or with mss and wscale as items
 * of their own: mss N; wscale N; [timestamp] [sack-perm] */
static bool synproxy_config(P *p, struct obj_decl *o)
{
	uint64_t mss, ws;

	if (!ps_number(p, &mss))
		return false;
	bool sep = ps_accept_kind(p, T_NL) || ps_accept_kind(p, ';') || ps_at_cli_end(p);
	if (!ps_is(p, "wscale")) {
		if (ps_at_cli_end(p))
			return ps_unexpected_eof(p, "wscale"), false;
		return ps_unexpected(p, "wscale"), false;
	}
	ps_next(p);
	if (!ps_number(p, &ws) || (sep && !ps_obj_sep(p)))
		return false;
	o->synproxy.mss = (uint16_t)mss;
	o->synproxy.wscale = (uint8_t)ws;
	o->synproxy.flags = NF_SYNPROXY_OPT_MSS | NF_SYNPROXY_OPT_WSCALE;
	if (ps_accept(p, "timestamp"))
		o->synproxy.flags |= NF_SYNPROXY_OPT_TIMESTAMP;
	if (ps_accept(p, "sack-perm"))
		o->synproxy.flags |= NF_SYNPROXY_OPT_SACK_PERM;
	return true;
}

static bool item_synproxy(P *p, struct objblk *k)
{
	return synproxy_config(p, k->o);
}

static bool item_comment(P *p, struct objblk *k)
{
	const char *c = ps_comment(p);

	if (!c)
		return false;
	if (k->o->comment) {
		struct nfk_loc l = k->kw_loc;
		ps_span(&l, &p->prev);
		ps_err(p, &l, "You can only specify this once. This statement is duplicated.");
		k->abandon = true;
		return false;
	}
	k->o->comment = c;
	return true;
}

#define OBJ_BIT(kind) (1u << NFK_OBJ_##kind)

static const struct obj_item {
	const char *word;
	uint32_t kinds;               /* OBJ_BIT()s of the objects that have it */
	bool sep;                     /* a newline or ';' must follow */
	bool (*parse)(P *p, struct objblk *k);
} obj_items[] = {
	{ "protocol", OBJ_BIT(CT_TIMEOUT) | OBJ_BIT(CT_EXPECT), true, item_l4proto },
	{ "policy", OBJ_BIT(CT_TIMEOUT), true, item_policy },
	{ "l3proto", OBJ_BIT(CT_TIMEOUT) | OBJ_BIT(CT_EXPECT), true, item_l3proto },
	{ "dport", OBJ_BIT(CT_EXPECT), true, item_dport },
	{ "timeout", OBJ_BIT(CT_EXPECT), true, item_exp_timeout },
	{ "size", OBJ_BIT(CT_EXPECT), true, item_size },
	{ "mss", OBJ_BIT(SYNPROXY), false, item_synproxy },
	{ "comment", OBJ_BIT(CT_TIMEOUT) | OBJ_BIT(CT_EXPECT) | OBJ_BIT(SYNPROXY), false,
	  item_comment },
};

static bool objblk_item(P *p, struct objblk *k)
{
	k->kw_loc = p->tok.loc;
	for (size_t i = 0; i < sizeof(obj_items) / sizeof(obj_items[0]); i++) {
		const struct obj_item *it = &obj_items[i];
		if (!(it->kinds & (1u << k->o->kind)) || !ps_accept(p, it->word))
			continue;
		return it->parse(p, k) && (!it->sep || ps_obj_sep(p));
	}
	ps_unexpected(p, NULL);
	return false;
}

/* nft's checks once the block is read: the timeout policy's states against
 * the protocol (then the defaults for the others), and the expectation's
 * mandatory fields, reported at the object's name. */
static void objblk_finish(P *p, struct objblk *k, const struct nfk_loc *name_loc)
{
	struct obj_decl *o = k->o;

	if (o->kind == NFK_OBJ_CT_TIMEOUT) {
		const struct nfk_ct_timeout_proto *pr = nfk_ct_timeout_proto(o->l4proto);
		o->timeout.n = pr ? pr->nstates : 0;
		for (unsigned i = 1; i <= o->timeout.n; i++)
			o->timeout.secs[i] = pr->dflt[i];
		for (const struct ct_pol *e = k->pol; e; e = e->next) {
			unsigned attr = nfk_ct_timeout_state(pr, e->state);
			if (!attr) {
				ps_err_soft(p, &e->loc, "invalid state for this protocol");
				break;
			}
			o->timeout.secs[attr] = e->secs;
		}
	} else if (o->kind == NFK_OBJ_CT_EXPECT &&
		   (!o->l4proto || !o->expect.dport || !o->expect.timeout || !o->expect.size)) {
		/* nft's location: the (empty) spot right after the name */
		struct nfk_loc l = *name_loc;
		l.offset += l.col_end - l.col;
		l.col = l.col_end;
		ps_err_soft(p, &l, "missing options");
	}
}

/* The { ... } block of a ct timeout, ct expectation or synproxy object. */
static bool parse_objblk(P *p, struct obj_decl *o, const struct nfk_loc *name_loc)
{
	struct objblk k = { .o = o };

	k.pol_tail = &k.pol;
	if (!ps_expect(p, '{', "'{'"))
		return false;
	for (;;) {
		ps_skip_seps(p);
		if (p->tok.kind == '}')
			break;
		if (p->tok.kind == T_EOF)
			return ps_unexpected_eof(p, NULL), false;
		if (!objblk_item(p, &k) && !ps_obj_recover(p))
			return false;
		/* nft gives up the whole command after a duplicated item: what
		 * follows its end is out of place */
		if (k.abandon) {
			if (!ps_at_cli_end(p) && p->tok.loc.line == k.kw_loc.line)
				ps_unexpected(p, NULL);
			return false;
		}
	}
	ps_next(p);
	objblk_finish(p, &k, name_loc);
	return true;
}

/* A secmark object's security context, as nft takes it: any string, at
 * most 255 bytes. */
static bool secmark_ctx(P *p, struct obj_decl *o)
{
	struct nfk_loc l = p->tok.loc;
	uint64_t n;
	/* a number is no string to nft's grammar */
	if (ps_u64(&p->tok, &n))
		return ps_unexpected(p, NULL), false;
	const char *s = ps_ident(p, "string or quoted string or string with a trailing asterisk or '{'");

	if (!s)
		return false;
	if (strlen(s) >= 256) {
		/* nft's message ends in a newline of its own */
		ps_err(p, &l, "invalid context '%s', max length is 256\n", s);
		return false;
	}
	o->secctx = s;
	return true;
}

/* secmark NAME { CONTEXT } (the last context given counts, none sends an
 * empty one; a comment may go with it), or in a command the bare context. */
static bool parse_secmark_body(P *p, struct obj_decl *o, bool cmd)
{
	o->secctx = "";
	if (cmd && p->tok.kind != '{')
		return secmark_ctx(p, o);
	if (!ps_expect(p, '{', "'{'"))
		return false;
	for (;;) {
		ps_skip_seps(p);
		if (p->tok.kind == '}')
			break;
		if (p->tok.kind == T_EOF)
			return ps_unexpected_eof(p, NULL), false;
		if (ps_accept(p, "comment")) {
			if (!(o->comment = ps_comment(p)) && !ps_obj_recover(p))
				return false;
		} else if (!secmark_ctx(p, o) && !ps_obj_recover(p)) {
			return false;
		}
	}
	ps_next(p);
	return true;
}

/* Any object's body after its name; `synproxy` commands may give the
 * configuration without braces. */
bool ps_obj_body(P *p, struct obj_decl *o, const struct nfk_loc *name_loc,
			       bool cmd)
{
	switch (o->kind) {
	case NFK_OBJ_SYNPROXY:
		if (cmd && p->tok.kind != '{') {
			if (!ps_accept(p, "mss")) {
				ps_unexpected(p, "mss or '{'");
				return false;
			}
			return synproxy_config(p, o);
		}
		/* fall through */
	case NFK_OBJ_CT_TIMEOUT:
	case NFK_OBJ_CT_EXPECT:
		return parse_objblk(p, o, name_loc);
	case NFK_OBJ_CT_HELPER:
		return parse_obj_body(p, o, true);
	case NFK_OBJ_SECMARK:
		return parse_secmark_body(p, o, cmd);
	default:
		return parse_obj_body(p, o, !cmd || p->tok.kind == '{');
	}
}

/* "ct helper|timeout|expectation|helpers": the object kind of the word
 * after "ct", or -1. */
int ps_ct_obj_kind(const struct nfk_tok *t)
{
	static const struct { const char *w; enum nfk_obj_kind kind; } words[] = {
		{ "helper", NFK_OBJ_CT_HELPER }, { "timeout", NFK_OBJ_CT_TIMEOUT },
		{ "expectation", NFK_OBJ_CT_EXPECT }, { "helpers", NFK_OBJ_CT_HELPERS },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (nfk_tok_is(t, words[i].w))
			return (int)words[i].kind;
	return -1;
}

/* ---- compile ----------------------------------------------------------- */

/* counter name KEY map { k : "name" }: an object map and objref sreg */
static bool compile_objref_map(struct rctx *r, const struct stmt *st)
{
	struct sel sels[NFK_CONCAT_MAX];
	unsigned nsel;
	const struct kset *ks;
	struct kset tmp;
	struct ebuf e;

	if (!cc_load_concat(r, st->objref.key, sels, &nsel))
		return false;
	if (st->objref.map->kind == EX_SETREF) {
		ks = cc_find_set(r->c, r->family, r->table, st->objref.map->s, &tmp);
		if (!ks) {
			cc_set_missing(r->c, &st->objref.map->loc, r->family, r->table, st->objref.map->s);
			return false;
		}
	} else if (st->objref.map->kind == EX_SET) {
		r->objmap_type = st->objref.type;
		ks = cc_anon_set(r, st->objref.map, st->objref.key, sels, nsel, NULL, false, &st->loc);
		r->objmap_type = 0;
		if (!ks)
			return false;
	} else {
		cc_err(r->c, &st->objref.map->loc, "Expression is not a map");
		return false;
	}
	return cc_expr_begin(r->b, &e, "objref") &&
	       nfk_schema_put_uint(r->b, nfk_expr_objref.schema, NFTA_OBJREF_SET_SREG, NFT_REG_1) &&
	       nfk_attr_put_str(r->b, NFTA_OBJREF_SET_NAME, ks->name) &&
	       (!ks->id || nfk_schema_put_uint(r->b, nfk_expr_objref.schema, NFTA_OBJREF_SET_ID, ks->id)) && cc_expr_end(r->b, &e);
}

static bool obj_counter_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_schema_put_uint(b, nfk_expr_counter.schema, NFTA_COUNTER_BYTES, o->counter.bytes) &&
	       nfk_schema_put_uint(b, nfk_expr_counter.schema, NFTA_COUNTER_PACKETS, o->counter.packets);
}

static bool obj_quota_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_BYTES, o->quota.bytes) &&
	       nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_CONSUMED, o->quota.used) &&
	       nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_FLAGS, (o->quota.inv ? NFT_QUOTA_F_INV : 0));
}

static bool obj_limit_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_RATE, o->limit.rate) &&
	       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_UNIT, o->limit.unit) &&
	       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_BURST, o->limit.burst) &&
	       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_TYPE, o->limit.type) &&
	       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_FLAGS, (o->limit.inv ? NFT_LIMIT_F_INV : 0));
}

/* l3proto only when written: the kernel takes the table's family */
static bool obj_ct_helper_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_attr_put_str(b, NFTA_CT_HELPER_NAME, o->helper ? o->helper : "") &&
	       (!o->l3proto || nfk_schema_put_uint(b, &nfk_obj_ct_helper_schema, NFTA_CT_HELPER_L3PROTO, o->l3proto)) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_helper_schema, NFTA_CT_HELPER_L4PROTO, o->l4proto);
}

/* Every state of the protocol, the policy's values over nft's defaults. */
static bool obj_ct_timeout_data(struct nfk_buf *b, const struct obj_decl *o)
{
	if ((o->l3proto && !nfk_schema_put_uint(b, &nfk_obj_ct_timeout_schema, NFTA_CT_TIMEOUT_L3PROTO, o->l3proto)) ||
	    !nfk_schema_put_uint(b, &nfk_obj_ct_timeout_schema, NFTA_CT_TIMEOUT_L4PROTO, o->l4proto))
		return false;
	struct nlattr *n = nfk_nest_start(b, NFTA_CT_TIMEOUT_DATA);
	bool ok = n != NULL;
	for (unsigned i = 1; ok && i <= o->timeout.n; i++)
		ok = nfk_schema_put_uint(b, &nfk_obj_ct_timeout_data_schema, i, o->timeout.secs[i]);
	if (n)
		nfk_nest_end(b, n);
	return ok;
}

/* the timeout goes in host order (NLA_U32), unlike the rest */
static bool obj_ct_expect_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return (!o->l3proto || nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_L3PROTO, o->l3proto)) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_L4PROTO, o->l4proto) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_DPORT, o->expect.dport) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_TIMEOUT, o->expect.timeout) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_SIZE, o->expect.size);
}

static bool obj_synproxy_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_MSS, o->synproxy.mss) &&
	       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_WSCALE, o->synproxy.wscale) &&
	       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_FLAGS, o->synproxy.flags);
}

/* the context without its NUL, as nft sends it */
static bool obj_secmark_data(struct nfk_buf *b, const struct obj_decl *o)
{
	const char *ctx = o->secctx ? o->secctx : "";

	return nfk_attr_put(b, NFTA_SECMARK_CTX, ctx, strlen(ctx));
}

/* The kernel's type of each object kind the language declares. */
static const struct {
	uint32_t type;
	bool (*data)(struct nfk_buf *b, const struct obj_decl *o);
} obj_kinds[] = {
	[NFK_OBJ_COUNTER] = { NFT_OBJECT_COUNTER, obj_counter_data },
	[NFK_OBJ_QUOTA] = { NFT_OBJECT_QUOTA, obj_quota_data },
	[NFK_OBJ_LIMIT] = { NFT_OBJECT_LIMIT, obj_limit_data },
	[NFK_OBJ_CT_HELPER] = { NFT_OBJECT_CT_HELPER, obj_ct_helper_data },
	[NFK_OBJ_CT_TIMEOUT] = { NFT_OBJECT_CT_TIMEOUT, obj_ct_timeout_data },
	[NFK_OBJ_CT_EXPECT] = { NFT_OBJECT_CT_EXPECT, obj_ct_expect_data },
	[NFK_OBJ_SYNPROXY] = { NFT_OBJECT_SYNPROXY, obj_synproxy_data },
	[NFK_OBJ_SECMARK] = { NFT_OBJECT_SECMARK, obj_secmark_data },
};

uint32_t cc_obj_type(enum nfk_obj_kind kind)
{
	return (size_t)kind < sizeof(obj_kinds) / sizeof(obj_kinds[0]) ? obj_kinds[kind].type : 0;
}

bool cc_obj(struct cctx *c, const struct nfk_cmd *cmd, int family,
			const char *table, const struct obj_decl *o)
{
	struct nfk_buf *b;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	uint32_t type = cc_obj_type(o->kind);

	if (!type) {
		cc_err(c, &o->loc, "unsupported command");
		return false;
	}
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWOBJ, flags, family, &o->loc);
	if (!nlh)
		return false;
	/* nft's order: the comment comes before the data */
	bool ok = nfk_attr_put_str(b, NFTA_OBJ_TABLE, table) &&
		  nfk_attr_put_str(b, NFTA_OBJ_NAME, o->name) &&
		  nfk_schema_put_uint(b, &nfk_obj_schema, NFTA_OBJ_TYPE, type) &&
		  (!o->comment || cc_put_comment(b, NFTA_OBJ_USERDATA, 0, o->comment));
	struct nlattr *d = ok ? nfk_nest_start(b, NFTA_OBJ_DATA) : NULL;
	ok = d && obj_kinds[o->kind].data(b, o);
	if (d)
		nfk_nest_end(b, d);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	cc_end_msg(c, nlh, &o->loc);
	return true;
}

bool cc_objref_name_ok(struct cctx *c, const char *name, const struct nfk_loc *loc)
{
	if (strlen(name) < NFT_OBJ_MAXNAMELEN)
		return true;
	cc_err(c, loc, "String exceeds maximum length of %d", NFT_OBJ_MAXNAMELEN);
	return false;
}

static bool object_compile(struct rctx *r, const struct stmt *st)
{
	struct nfk_buf *b = r->b;
	struct ebuf e;

	if (st->kind == ST_SYNPROXY)
		return cc_expr_begin(b, &e, "synproxy") &&
		       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_MSS, st->synproxy.mss) &&
		       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_WSCALE,
					   st->synproxy.wscale) &&
		       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_FLAGS,
					   st->synproxy.flags) &&
		       cc_expr_end(b, &e);
	if (st->objref.key)
		return compile_objref_map(r, st);
	if (!cc_objref_name_ok(r->c, st->objref.name, &st->objref.name_loc))
		return false;
	return cc_expr_begin(b, &e, "objref") &&
	       nfk_schema_put_uint(b, nfk_expr_objref.schema, NFTA_OBJREF_IMM_TYPE, st->objref.type) &&
	       nfk_attr_put_str(b, NFTA_OBJREF_IMM_NAME, st->objref.name) && cc_expr_end(b, &e);
}

/* ---- list -------------------------------------------------------------- */

/* The protocols of ct objects (their schemas give the widths). */
static void print_l4proto(FILE *f, const struct nfk_schema *sc, const struct nlattr *const *tb,
			  unsigned type)
{
	dc_print_code(f, "inet_proto", (unsigned)nfk_tb_uint(sc, tb, type, 0));
}

static void print_l3proto(FILE *f, const struct nfk_schema *sc, const struct nlattr *const *tb,
			  unsigned type)
{
	unsigned p = (unsigned)nfk_tb_uint(sc, tb, type, 0);
	const char *n = nfk_family_name(p);

	if (n)
		fputs(n, f);
	else
		fprintf(f, "%u", p);
}

static void print_ct_timeout(FILE *f, const struct nlattr *const *tb, const char *indent)
{
	const struct nfk_schema *sc = &nfk_obj_ct_timeout_schema;
	uint8_t l4 = (uint8_t)nfk_tb_uint(sc, tb, NFTA_CT_TIMEOUT_L4PROTO, 0);
	const char *sep = "";

	const struct nfk_ct_timeout_proto *pr = nfk_ct_timeout_proto(l4);
	fprintf(f, "%sprotocol ", indent);
	print_l4proto(f, sc, tb, NFTA_CT_TIMEOUT_L4PROTO);
	fprintf(f, "\n%sl3proto ", indent);
	print_l3proto(f, sc, tb, NFTA_CT_TIMEOUT_L3PROTO);
	fprintf(f, "\n%spolicy = { ", indent);
	if (tb[NFTA_CT_TIMEOUT_DATA]) {
		nfk_attr_for_each(a, rem, nfk_attr_data(tb[NFTA_CT_TIMEOUT_DATA]),
				  nfk_attr_len(tb[NFTA_CT_TIMEOUT_DATA])) {
			uint64_t v;
			unsigned t = nfk_attr_type(a);

			if (!nfk_schema_get_uint(&nfk_obj_ct_timeout_data_schema, a, &v))
				continue;
			if (pr && t >= 1 && t <= pr->nstates) {
				if (v == pr->dflt[t])
					continue;
				fprintf(f, "%s%s : %" PRIu64, sep, pr->states[t], v);
			} else
				fprintf(f, "%s%u : %" PRIu64, sep, t, v);
			sep = ", ";
		}
	}
	fputs(" }\n", f);
}

void ks_print_obj_body(FILE *f, uint32_t type, const struct nlattr *data,
		       const struct nfk_list_opts *o, const char *indent)
{
	const struct nlattr *tb[16];

	dc_nest_index(data, tb, 15);
	switch (type) {
	case NFT_OBJECT_COUNTER:
		if (!o->stateless) {
			fputs(indent, f);
			dc_print_counter(f, tb, o, "");
			fputc('\n', f);
		}
		break;
	case NFT_OBJECT_QUOTA:
		fputs(indent, f);
		dc_print_quota(f, tb, o);
		fputc('\n', f);
		break;
	case NFT_OBJECT_LIMIT:
		fputs(indent, f);
		dc_print_limit(f, tb);
		fputc('\n', f);
		break;
	case NFT_OBJECT_CT_HELPER:
		fprintf(f, "%stype \"%s\" protocol ", indent, nfk_tb_str(tb, NFTA_CT_HELPER_NAME, ""));
		print_l4proto(f, &nfk_obj_ct_helper_schema, tb, NFTA_CT_HELPER_L4PROTO);
		fprintf(f, "\n%sl3proto ", indent);
		print_l3proto(f, &nfk_obj_ct_helper_schema, tb, NFTA_CT_HELPER_L3PROTO);
		fputc('\n', f);
		break;
	case NFT_OBJECT_CT_TIMEOUT:
		print_ct_timeout(f, tb, indent);
		break;
	case NFT_OBJECT_CT_EXPECT: {
		const struct nfk_schema *sc = &nfk_obj_ct_expect_schema;

		fprintf(f, "%sprotocol ", indent);
		print_l4proto(f, sc, tb, NFTA_CT_EXPECT_L4PROTO);
		fprintf(f, "\n%sdport %u\n%stimeout ", indent,
			(unsigned)nfk_tb_uint(sc, tb, NFTA_CT_EXPECT_DPORT, 0), indent);
		/* the kernel keeps this one in host order (the schema says so) */
		ks_print_time_flags(f, nfk_tb_uint(sc, tb, NFTA_CT_EXPECT_TIMEOUT, 0), o->print);
		fprintf(f, "\n%ssize %u\n%sl3proto ", indent,
			(unsigned)nfk_tb_uint(sc, tb, NFTA_CT_EXPECT_SIZE, 0), indent);
		print_l3proto(f, sc, tb, NFTA_CT_EXPECT_L3PROTO);
		fputc('\n', f);
		break;
	}
	case NFT_OBJECT_SYNPROXY: {
		uint32_t fl = nfk_tb_uint(nfk_expr_synproxy.schema, tb, NFTA_SYNPROXY_FLAGS, 0);
		unsigned mss = (unsigned)nfk_tb_uint(nfk_expr_synproxy.schema, tb, NFTA_SYNPROXY_MSS, 0);
		unsigned ws = (unsigned)nfk_tb_uint(nfk_expr_synproxy.schema, tb, NFTA_SYNPROXY_WSCALE, 0);
		if (fl & NF_SYNPROXY_OPT_MSS)
			fprintf(f, "%smss %u\n", indent, mss);
		if (fl & NF_SYNPROXY_OPT_WSCALE)
			fprintf(f, "%swscale %u\n", indent, ws);
		/* nft puts both flags on one line, space-separated even when one
		 * is missing: "timestamp ", " sack-perm" */
		if (fl & (NF_SYNPROXY_OPT_TIMESTAMP | NF_SYNPROXY_OPT_SACK_PERM))
			fprintf(f, "%s%s %s\n", indent, fl & NF_SYNPROXY_OPT_TIMESTAMP ? "timestamp" : "",
				fl & NF_SYNPROXY_OPT_SACK_PERM ? "sack-perm" : "");
		break;
	}
	case NFT_OBJECT_SECMARK:
		fprintf(f, "%s\"%s\"\n", indent, nfk_tb_str(tb, NFTA_SECMARK_CTX, ""));
		break;
	default:
		break;
	}
}

/* How a rule names each object type: counter name "x", ct helper set "x". */
static const struct {
	const char *name;
	bool set;
} objref_names[] = {
	[NFT_OBJECT_COUNTER] = { "counter", false }, [NFT_OBJECT_QUOTA] = { "quota", false },
	[NFT_OBJECT_CT_HELPER] = { "ct helper", true }, [NFT_OBJECT_LIMIT] = { "limit", false },
	[NFT_OBJECT_CT_TIMEOUT] = { "ct timeout", true },
	[NFT_OBJECT_SECMARK] = { "meta secmark", true },
	[NFT_OBJECT_CT_EXPECT] = { "ct expectation", true },
	[NFT_OBJECT_SYNPROXY] = { "synproxy", false },
	[NFT_OBJECT_CONNLIMIT] = { "connlimit", false }, [NFT_OBJECT_TUNNEL] = { "tunnel", false },
};

static void objref_prefix(FILE *f, uint32_t t)
{
	if (t < sizeof(objref_names) / sizeof(objref_names[0]) && objref_names[t].name)
		fprintf(f, "%s %s ", objref_names[t].name, objref_names[t].set ? "set" : "name");
	else
		fputs("unknown name ", f);
}

static void stmt_objref(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint32_t t = dc_u32(e, NFTA_OBJREF_IMM_TYPE, 0);
	const char *name = dc_str(e, NFTA_OBJREF_IMM_NAME);

	if (name) {
		objref_prefix(f, t);
		fprintf(f, "\"%s\"", name);
		return;
	}
	{
		const char *set = dc_str(e, NFTA_OBJREF_SET_NAME);
		const struct ks_set *st = ks_set_find(r->ks, r->family, r->table, set);
		char sel[512] = "?";
		const struct dc_rv *v = dc_operand(r, e, NFTA_OBJREF_SET_SREG);

		t = st ? st->info.objtype : 0;
		if (v)
			dc_key_text(r, dc_u32(e, NFTA_OBJREF_SET_SREG, 0), st ? st->info.key_len : 4,
				    sel, sizeof(sel));
		objref_prefix(f, t);
		fprintf(f, "%s map ", sel);
		dc_print_set_ref(r, f, set ? set : "", NULL);
	}
}

/* synproxy's options, shared with the synproxy object's body. */
void dc_print_synproxy(FILE *f, uint32_t flags, uint16_t mss, uint8_t wscale, const char *sep)
{
	if (flags & NF_SYNPROXY_OPT_MSS)
		fprintf(f, "%smss %u", sep, mss);
	if (flags & NF_SYNPROXY_OPT_WSCALE)
		fprintf(f, "%swscale %u", sep, wscale);
	if (flags & NF_SYNPROXY_OPT_TIMESTAMP)
		fprintf(f, "%stimestamp", sep);
	if (flags & NF_SYNPROXY_OPT_SACK_PERM)
		fprintf(f, "%ssack-perm", sep);
}

static void stmt_synproxy(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint16_t mss = 0;
	uint8_t ws = 0;
	(void)r;

	if (e->tb[NFTA_SYNPROXY_MSS])
		mss = dc_u32(e, NFTA_SYNPROXY_MSS, mss);
	if (e->tb[NFTA_SYNPROXY_WSCALE])
		ws = dc_u32(e, NFTA_SYNPROXY_WSCALE, ws);
	fputs("synproxy", f);
	dc_print_synproxy(f, dc_u32(e, NFTA_SYNPROXY_FLAGS, 0), mss, ws, " ");
}

/* ---- registration ----------------------------------------------------------- */

/* synproxy at its keyword; an object reference at its name, or at its key
 * to its map */
static struct nfk_loc object_err_loc(const struct stmt *st)
{
	struct nfk_loc l;

	if (st->kind == ST_SYNPROXY)
		return cc_stmt_keyword(st);
	if (!st->objref.key)
		return st->objref.name_loc.line ? st->objref.name_loc : cc_stmt_whole(st);
	l = st->objref.key->loc;
	if (st->objref.map->loc.line == l.line && st->objref.map->loc.col_end > l.col_end)
		l.col_end = st->objref.map->loc.col_end;
	return l;
}

const struct lang_family nfk_lang_object = {
	.name = "object",
	.words = (const struct lang_word[]){
		{ "ct", parse_ct_objref }, { "synproxy", parse_synproxy }, { NULL, NULL },
	},
	.st_kinds = (const enum st_kind[]){ ST_OBJREF, ST_SYNPROXY, ST_NONE },
	.compile = object_compile,
	.err_loc = object_err_loc,
	.dc = (const struct lang_dc[]){
		{ "objref", NULL, stmt_objref }, { "synproxy", NULL, stmt_synproxy },
		{ NULL, NULL, NULL },
	},
};
