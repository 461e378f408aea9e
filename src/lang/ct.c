// SPDX-License-Identifier: MIT
/*
 * ct: conntrack keys, the ct selector with its direction, ct set, and
 * notrack.
 */
#include <stdio.h>
#include <string.h>

#include "family.h"

#define DT(ID) (&nfk_dtypes[NFK_TYPE_##ID])
#define HO NFK_BO_HOST
#define BE NFK_BO_BIG

/* The keys: types, widths and byte orders as `nft describe ct KEY` of
 * nftables 1.0.6 gives them. */
#define DIR NFK_KEY_DIR
#define DONLY (NFK_KEY_DIR | NFK_KEY_DIR_ONLY)
#define NODIR NFK_KEY_NODIR

const struct nfk_key nfk_ct_keys[] = {
	{ "state", NFT_CT_STATE, DT(CT_STATE), 32, HO, NODIR | NFK_KEY_NOSET },
	{ "direction", NFT_CT_DIRECTION, DT(CT_DIR), 8, HO, NODIR | NFK_KEY_NOSET },
	{ "status", NFT_CT_STATUS, DT(CT_STATUS), 32, HO, NODIR | NFK_KEY_NOSET },
	{ "mark", NFT_CT_MARK, DT(MARK), 32, HO, NODIR },
	{ "secmark", NFT_CT_SECMARK, DT(INTEGER), 32, HO, NODIR },
	{ "expiration", NFT_CT_EXPIRATION, DT(TIME), 32, HO, NODIR },
	{ "helper", NFT_CT_HELPER, DT(STRING), 128, HO, NODIR },
	{ "l3proto", NFT_CT_L3PROTOCOL, DT(NFPROTO), 8, HO, DIR | NFK_KEY_NOSET },
	/* dtype depends on the family: see nfk_ct_key_dtype() */
	{ "saddr", NFT_CT_SRC, NULL, 0, BE, DONLY | NFK_KEY_NOSET },
	{ "daddr", NFT_CT_DST, NULL, 0, BE, DONLY | NFK_KEY_NOSET },
	{ "protocol", NFT_CT_PROTOCOL, DT(INET_PROTOCOL), 8, BE, DIR | NFK_KEY_NOSET },
	{ "proto-src", NFT_CT_PROTO_SRC, DT(INET_SERVICE), 16, BE, DONLY | NFK_KEY_NOSET },
	{ "proto-dst", NFT_CT_PROTO_DST, DT(INET_SERVICE), 16, BE, DONLY | NFK_KEY_NOSET },
	{ "label", NFT_CT_LABELS, DT(CT_LABEL), 128, HO, NODIR },
	{ "packets", NFT_CT_PKTS, DT(INTEGER), 64, HO, DIR | NFK_KEY_NOSET },
	{ "bytes", NFT_CT_BYTES, DT(INTEGER), 64, HO, DIR | NFK_KEY_NOSET },
	{ "avgpkt", NFT_CT_AVGPKT, DT(INTEGER), 64, HO, DIR | NFK_KEY_NOSET },
	{ "zone", NFT_CT_ZONE, DT(INTEGER), 16, HO, DIR },
	{ "event", NFT_CT_EVENTMASK, DT(CT_EVENTBIT), 32, HO, NODIR },
	{ "ip saddr", NFT_CT_SRC_IP, DT(IPADDR), 32, BE, DONLY | NFK_KEY_NOSET },
	{ "ip daddr", NFT_CT_DST_IP, DT(IPADDR), 32, BE, DONLY | NFK_KEY_NOSET },
	{ "ip6 saddr", NFT_CT_SRC_IP6, DT(IP6ADDR), 128, BE, DONLY | NFK_KEY_NOSET },
	{ "ip6 daddr", NFT_CT_DST_IP6, DT(IP6ADDR), 128, BE, DONLY | NFK_KEY_NOSET },
	{ "id", NFT_CT_ID, DT(INTEGER), 32, BE, NODIR | NFK_KEY_NOSET },
	{ NULL, 0, NULL, 0, 0, 0 },
};

const struct nfk_dtype *nfk_ct_key_dtype(const struct nfk_key *k, unsigned nfproto,
					 unsigned *bits)
{
	if (k->dtype) {
		if (bits)
			*bits = k->bits;
		return k->dtype;
	}
	if (nfproto != NFPROTO_IPV4 && nfproto != NFPROTO_IPV6)
		return NULL;
	if (bits)
		*bits = nfproto == NFPROTO_IPV4 ? 32 : 128;
	return nfproto == NFPROTO_IPV4 ? DT(IPADDR) : DT(IP6ADDR);
}

/* ---- parse ------------------------------------------------------------- */

static struct ex *parse_ct(P *p)
{
	struct nfk_tok t = p->tok;
	char name[64];
	int dir = -1;

	ps_next(p);
	if (ps_accept(p, "original"))
		dir = 0;
	else if (ps_accept(p, "reply"))
		dir = 1;
	if (p->tok.kind != T_WORD) {
		ps_unexpected(p, NULL);
		return NULL;
	}
	nfk_tok_copy(name, sizeof(name), &p->tok);
	/* "ct original ip saddr": the address keys by protocol */
	if (dir >= 0 && (ps_is(p, "ip") || ps_is(p, "ip6")) && ps_peek(p)->kind == T_WORD) {
		/* "ct original ip saddr": keys named "ip saddr", "ip6 daddr" */
		snprintf(name, sizeof(name), "%.*s %.*s", (int)p->tok.len, p->tok.s,
			 (int)p->la.len, p->la.s);
		ps_next(p);
	}
	const struct nfk_key *k = nfk_ct_key_by_name(name);
	if (!k || (dir >= 0 && !(k->flags & NFK_KEY_DIR)) ||
	    (dir < 0 && (k->flags & NFK_KEY_DIR_ONLY))) {
		ps_unexpected(p, NULL);
		return NULL;
	}
	struct ex *e = ps_ex(p, EX_CT, &t.loc);
	if (!e)
		return NULL;
	e->sk.key = k;
	e->sk.dir = dir;
	ps_span(&e->loc, &p->tok.loc);
	ps_next(p);
	return e;
}

static struct ex *ct_selector(P *p)
{
	return ps_is(p, "ct") ? parse_ct(p) : NULL;
}

static struct stmt *parse_notrack(P *p)
{
	struct stmt *s = ps_st(p, ST_NOTRACK, &p->tok.loc);

	ps_next(p);
	return s;
}

/* ---- compile ----------------------------------------------------------- */

static bool ct_resolve(struct rctx *r, const struct ex *e, struct sel *s)
{
	const struct nfk_key *k = e->sk.key;

	if (k->dtype && r->l3 && ((k->dtype->id == NFK_TYPE_IPADDR && r->l3 != NFPROTO_IPV4) ||
				  (k->dtype->id == NFK_TYPE_IP6ADDR && r->l3 != NFPROTO_IPV6))) {
		cc_err(r->c, &e->loc, "conflicting protocols specified");
		return false;
	}
	if (!k->dtype && r->key_ctx && (k->key == NFT_CT_SRC || k->key == NFT_CT_DST)) {
		/* a value cannot tell the family of a map key or concatenation */
		cc_err(r->c, &e->loc, "specify either ip or ip6 for address matching");
		return false;
	}
	s->dtype = k->dtype;
	s->bits = k->bits ? k->bits : (k->dtype ? k->dtype->bits : 0);
	if (!s->dtype || !s->bits) {
		unsigned l3 = r->l3 ? r->l3 :
			      (r->family == NFPROTO_IPV4 || r->family == NFPROTO_IPV6) ? (unsigned)r->family : 0;
		unsigned bits = 0;
		const struct nfk_dtype *t = nfk_ct_key_dtype(k, l3, &bits);
		if (!t) {
			cc_err(r->c, &e->loc, "cannot determine ip protocol version, use \"ip %s\" or \"ip6 %s\" instead",
			       k->name, k->name);
			return false;
		}
		s->dtype = t;
		s->bits = bits;
	}
	s->bo = k->bo ? k->bo : nfk_dtype_bo(s->dtype);
	s->len = (s->bits + 7) / 8;
	s->key = k->key;
	s->dir = e->sk.dir;
	return true;
}

/* ct KEY [direction] into dreg, or from sreg (ct set) */
static bool ct_expr(struct rctx *r, unsigned key, int dir, uint16_t reg_attr, unsigned reg)
{
	const struct nfk_schema *sc = nfk_expr_ct.schema;
	struct ebuf e;

	if (reg_attr == NFTA_CT_DREG)
		return cc_expr_begin(r->b, &e, "ct") && nfk_schema_put_uint(r->b, sc, NFTA_CT_DREG, reg) &&
		       nfk_schema_put_uint(r->b, sc, NFTA_CT_KEY, key) &&
		       (dir < 0 || nfk_schema_put_uint(r->b, sc, NFTA_CT_DIRECTION, dir)) &&
		       cc_expr_end(r->b, &e);
	return cc_expr_begin(r->b, &e, "ct") && nfk_schema_put_uint(r->b, sc, NFTA_CT_KEY, key) &&
	       (dir < 0 || nfk_schema_put_uint(r->b, sc, NFTA_CT_DIRECTION, dir)) &&
	       nfk_schema_put_uint(r->b, sc, NFTA_CT_SREG, reg) && cc_expr_end(r->b, &e);
}

static bool ct_load(struct rctx *r, const struct sel *s, unsigned dreg)
{
	return ct_expr(r, s->key, s->dir, NFTA_CT_DREG, dreg);
}

static bool ct_store(struct rctx *r, const struct stmt *st)
{
	struct sel s, src;

	return cc_resolve(r, st->set.left, &s) && cc_set_source(r, st, &s, &src) &&
	       ct_expr(r, s.key, st->set.left->sk.dir, NFTA_CT_SREG, NFT_REG_1);
}

static bool ct_compile(struct rctx *r, const struct stmt *st)
{
	struct ebuf e;

	(void)st;
	return cc_expr_begin(r->b, &e, "notrack") && cc_expr_end(r->b, &e);
}

/* ---- list -------------------------------------------------------------- */

static void stmt_ct_set(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct nfk_key *k = nfk_ct_key_by_num(dc_u32(e, NFTA_CT_KEY, 0));

	if (!k) {
		fputs("ct unknown", f);
		return;
	}
	fputs("ct ", f);
	if (e->tb[NFTA_CT_DIRECTION]) {
		uint8_t d = 0;

		d = dc_u32(e, NFTA_CT_DIRECTION, d);
		fputs(d ? "reply " : "original ", f);
	}
	fprintf(f, "%s set ", k->name);
	dc_print_operand(r, f, dc_operand(r, e, NFTA_CT_SREG), k->dtype, k->bo, (k->bits + 7) / 8);
}

static void stmt_notrack(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	(void)e;
	(void)r;
	fputs("notrack", f);
}

static void ct_dc_load(struct dc_rule *r, const struct dc_expr *e)
{
	struct dc_rv v = { .kind = RV_CT };
	const struct nfk_key *k;

	if (!e->tb[NFTA_CT_DREG]) {
		dc_stmt_run(r, e, stmt_ct_set);   /* ct set */
		return;
	}
	v.key = dc_u32(e, NFTA_CT_KEY, 0);
	v.dir = UINT32_MAX;
	if (e->tb[NFTA_CT_DIRECTION]) {
		uint8_t d = 0;

		d = dc_u32(e, NFTA_CT_DIRECTION, d);
		v.dir = d;
	}
	k = nfk_ct_key_by_num(v.key);
	v.len = k && k->bits ? (k->bits + 7) / 8 : 4;
	dc_set_reg(r, dc_u32(e, NFTA_CT_DREG, 0), &v);
}

/* ---- typeof: the key and the direction --------------------------------------- */

static bool ct_typeof_put(struct ud_buf *u, const struct ex *e)
{
	return ud_put_u32(u, 0, e->sk.key->key) &&
	       ud_put_u32(u, 1, e->sk.dir < 0 ? UINT32_MAX : (uint32_t)e->sk.dir);
}

static bool ct_typeof_print(FILE *f, const struct ud_tlv *d)
{
	uint32_t key, dir = UINT32_MAX;
	const struct nfk_key *k;

	if (!ud_get_u32(d, 0, &key) || !(k = nfk_ct_key_by_num(key)))
		return false;
	ud_get_u32(d, 1, &dir);
	fprintf(f, "ct %s%s", dir == 0 ? "original " : dir == 1 ? "reply " : "", k->name);
	return true;
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_ct = {
	.name = "ct",
	.words = (const struct lang_word[]){ { "notrack", parse_notrack }, { NULL, NULL } },
	.selector = ct_selector,
	.ex_kinds = (const enum ex_kind[]){ EX_CT, EX_NONE },
	.resolve = ct_resolve,
	.load = ct_load,
	.store = ct_store,
	.st_kinds = (const enum st_kind[]){ ST_NOTRACK, ST_NONE },
	.err_loc = cc_stmt_keyword,
	.compile = ct_compile,
	.dc = (const struct lang_dc[]){
		{ "ct", ct_dc_load, NULL }, { "notrack", NULL, stmt_notrack }, { NULL, NULL, NULL },
	},
	.typeofs = (const struct lang_typeof[]){
		{ EX_CT, 12, ct_typeof_put, ct_typeof_print }, { EX_NONE, 0, NULL, NULL },
	},
};
