// SPDX-License-Identifier: MIT
/*
 * meta: its keys, the meta selector (qualified and bare), meta set, and
 * the secmark object reference "meta secmark set" makes.
 */
#include <string.h>

#include "family.h"

#define DT(ID) (&nfk_dtypes[NFK_TYPE_##ID])
#define HO NFK_BO_HOST
#define BE NFK_BO_BIG
#define UNQ NFK_KEY_UNQUALIFIED
#define BARE (NFK_KEY_UNQUALIFIED | NFK_KEY_PRINT_BARE)

/* The keys: types, widths and byte orders as `nft describe meta KEY` of
 * nftables 1.0.6 gives them. */
/* First entry of a key number is the one printed; later ones are aliases. */
const struct nfk_key nfk_meta_keys[] = {
	{ "length", NFT_META_LEN, DT(INTEGER), 32, HO, 0 },
	{ "protocol", NFT_META_PROTOCOL, DT(ETHERTYPE), 16, BE, 0 },
	{ "priority", NFT_META_PRIORITY, DT(CLASSID), 32, HO, 0 },
	{ "mark", NFT_META_MARK, DT(MARK), 32, HO, UNQ },
	{ "iif", NFT_META_IIF, DT(IFINDEX), 32, HO, BARE },
	{ "oif", NFT_META_OIF, DT(IFINDEX), 32, HO, BARE },
	{ "iifname", NFT_META_IIFNAME, DT(IFNAME), 128, HO, BARE },
	{ "oifname", NFT_META_OIFNAME, DT(IFNAME), 128, HO, BARE },
	{ "iiftype", NFT_META_IIFTYPE, DT(ARPHRD), 16, HO, UNQ },
	{ "oiftype", NFT_META_OIFTYPE, DT(ARPHRD), 16, HO, UNQ },
	{ "skuid", NFT_META_SKUID, DT(UID), 32, HO, UNQ },
	{ "skgid", NFT_META_SKGID, DT(GID), 32, HO, UNQ },
	{ "nftrace", NFT_META_NFTRACE, DT(INTEGER), 1, HO, UNQ },
	{ "rtclassid", NFT_META_RTCLASSID, DT(REALM), 32, HO, UNQ },
	{ "secmark", NFT_META_SECMARK, DT(INTEGER), 32, HO, 0 },
	{ "nfproto", NFT_META_NFPROTO, DT(NFPROTO), 8, HO, 0 },
	{ "l4proto", NFT_META_L4PROTO, DT(INET_PROTOCOL), 8, HO, 0 },
	{ "ibrname", NFT_META_BRI_IIFNAME, DT(IFNAME), 128, HO, UNQ },
	{ "obrname", NFT_META_BRI_OIFNAME, DT(IFNAME), 128, HO, UNQ },
	{ "pkttype", NFT_META_PKTTYPE, DT(PKTTYPE), 8, HO, UNQ },
	{ "cpu", NFT_META_CPU, DT(INTEGER), 32, HO, UNQ },
	{ "iifgroup", NFT_META_IIFGROUP, DT(DEVGROUP), 32, HO, BARE },
	{ "oifgroup", NFT_META_OIFGROUP, DT(DEVGROUP), 32, HO, BARE },
	{ "cgroup", NFT_META_CGROUP, DT(INTEGER), 32, HO, UNQ },
	{ "random", NFT_META_PRANDOM, DT(INTEGER), 32, BE, UNQ | NFK_KEY_NOSET },
	{ "ipsec", NFT_META_SECPATH, DT(BOOLEAN), 8, HO, UNQ | NFK_KEY_NOSET },
	{ "iifkind", NFT_META_IIFKIND, DT(IFNAME), 128, HO, UNQ },
	{ "oifkind", NFT_META_OIFKIND, DT(IFNAME), 128, HO, UNQ },
	{ "ibrpvid", NFT_META_BRI_IIFPVID, DT(INTEGER), 16, HO, 0 },
	{ "ibrvproto", NFT_META_BRI_IIFVPROTO, DT(ETHERTYPE), 16, BE, 0 },
	{ "time", NFT_META_TIME_NS, DT(TIME_DATE), 64, HO, UNQ | NFK_KEY_NOSET },
	{ "day", NFT_META_TIME_DAY, DT(TIME_DAY), 8, HO, UNQ | NFK_KEY_NOSET },
	{ "hour", NFT_META_TIME_HOUR, DT(TIME_HOUR), 32, HO, UNQ | NFK_KEY_NOSET },
	{ "sdif", NFT_META_SDIF, DT(IFINDEX), 32, HO, 0 },
	{ "sdifname", NFT_META_SDIFNAME, DT(IFNAME), 128, HO, 0 },
	/* old spellings nft still accepts */
	{ "ibriport", NFT_META_BRI_IIFNAME, DT(IFNAME), 128, HO, UNQ | NFK_KEY_ALIAS },
	{ "obriport", NFT_META_BRI_OIFNAME, DT(IFNAME), 128, HO, UNQ | NFK_KEY_ALIAS },
	{ "secpath", NFT_META_SECPATH, DT(BOOLEAN), 8, HO, NFK_KEY_ALIAS | NFK_KEY_NOSET },
	{ NULL, 0, NULL, 0, 0, 0 },
};

/* ---- parse ------------------------------------------------------------- */

static struct ex *parse_meta(P *p, bool qualified)
{
	struct nfk_tok t = p->tok;
	char name[64];

	if (qualified)
		ps_next(p);
	if (p->tok.kind != T_WORD) {
		ps_unexpected(p, NULL);
		return NULL;
	}
	nfk_tok_copy(name, sizeof(name), &p->tok);
	const struct nfk_key *k = nfk_meta_key_by_name(name);
	if (!k) {
		ps_unexpected(p, NULL);
		return NULL;
	}
	struct ex *e = ps_ex(p, EX_META, &t.loc);
	if (!e)
		return NULL;
	e->sk.key = k;
	e->sk.dir = -1;
	ps_span(&e->loc, &p->tok.loc);
	ps_next(p);
	return e;
}

/* "meta KEY", or a key usable without "meta" ("mark", "iif") */
static struct ex *meta_selector(P *p)
{
	const struct nfk_key *k;
	char name[64];

	if (p->tok.kind != T_WORD)
		return NULL;
	if (ps_is(p, "meta"))
		return parse_meta(p, true);
	nfk_tok_copy(name, sizeof(name), &p->tok);
	k = nfk_meta_key_by_name(name);
	return k && (k->flags & NFK_KEY_UNQUALIFIED) ? parse_meta(p, false) : NULL;
}

/* "meta secmark set VALUE" is the objref statement nft makes of it (unless
 * the value is ct secmark): a name, or "KEY map @m" / "KEY map { k : NAME }"
 * through an object map. */
static bool meta_set_parsed(P *p, struct stmt *s)
{
	struct ex *v = s->set.right;

	if (s->set.left->sk.key->key != NFT_META_SECMARK || v->kind == EX_CT)
		return true;
	s->kind = ST_OBJREF;
	s->objref = (struct st_objref){ .type = NFT_OBJECT_SECMARK };
	if (v->kind == EX_MAP) {
		s->objref.key = v->a;
		s->objref.map = v->b;
		return true;
	}
	if (v->kind == EX_SYM || v->kind == EX_STR) {
		s->objref.name = v->s;
		s->objref.name_loc = v->loc;
		s->loc = v->loc;
		return true;
	}
	ps_err(p, &v->loc, "unsupported secmark value");
	return false;
}

/* ---- compile ----------------------------------------------------------- */

static bool meta_resolve(struct rctx *r, const struct ex *e, struct sel *s)
{
	const struct nfk_key *k = e->sk.key;

	if (k->key == NFT_META_NFPROTO && r->family != NFPROTO_INET) {
		cc_err(r->c, &e->loc, "meta nfproto is only useful in the inet family");
		return false;
	}
	s->dtype = k->dtype;
	s->bo = k->bo ? k->bo : nfk_dtype_bo(k->dtype);
	s->bits = k->bits ? k->bits : k->dtype->bits;
	s->len = (s->bits + 7) / 8;
	s->key = k->key;
	return true;
}

static bool meta_load(struct rctx *r, const struct sel *s, unsigned dreg)
{
	return cc_emit_meta_load(r->b, s->key, dreg);
}

static bool meta_store(struct rctx *r, const struct stmt *st)
{
	const struct nfk_schema *sc = nfk_expr_meta.schema;
	struct sel s, src;
	struct ebuf e;

	return cc_resolve(r, st->set.left, &s) && cc_set_source(r, st, &s, &src) &&
	       cc_expr_begin(r->b, &e, "meta") && nfk_schema_put_uint(r->b, sc, NFTA_META_KEY, s.key) &&
	       nfk_schema_put_uint(r->b, sc, NFTA_META_SREG, NFT_REG_1) && cc_expr_end(r->b, &e);
}

/* ---- list -------------------------------------------------------------- */

static void stmt_meta_set(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct nfk_key *k = nfk_meta_key_by_num(dc_u32(e, NFTA_META_KEY, 0));

	if (!k) {
		fputs("meta unknown", f);
		return;
	}
	fprintf(f, "%s%s set ", k->flags & NFK_KEY_PRINT_BARE ? "" : "meta ", k->name);
	dc_print_operand(r, f, dc_operand(r, e, NFTA_META_SREG), k->dtype, k->bo, (k->bits + 7) / 8);
}

static void meta_dc_load(struct dc_rule *r, const struct dc_expr *e)
{
	struct dc_rv v = { .kind = RV_META };
	const struct nfk_key *k;

	if (!e->tb[NFTA_META_DREG]) {
		dc_stmt_run(r, e, stmt_meta_set);   /* meta set */
		return;
	}
	v.key = dc_u32(e, NFTA_META_KEY, 0);
	k = nfk_meta_key_by_num(v.key);
	v.len = k && k->bits ? (k->bits + 7) / 8 : 4;
	dc_set_reg(r, dc_u32(e, NFTA_META_DREG, 0), &v);
}

/* ---- typeof: the key ------------------------------------------------------ */

static bool meta_typeof_put(struct ud_buf *u, const struct ex *e)
{
	return ud_put_u32(u, 0, e->sk.key->key);
}

static bool meta_typeof_print(FILE *f, const struct ud_tlv *d)
{
	uint32_t key;
	const struct nfk_key *k;

	if (!ud_get_u32(d, 0, &key) || !(k = nfk_meta_key_by_num(key)))
		return false;
	fprintf(f, "%s%s", k->flags & NFK_KEY_PRINT_BARE ? "" : "meta ", k->name);
	return true;
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_meta = {
	.name = "meta",
	.selector = meta_selector,
	.set_parsed = meta_set_parsed,
	.ex_kinds = (const enum ex_kind[]){ EX_META, EX_NONE },
	.resolve = meta_resolve,
	.load = meta_load,
	.store = meta_store,
	.dc = (const struct lang_dc[]){ { "meta", meta_dc_load, NULL }, { NULL, NULL, NULL } },
	.typeofs = (const struct lang_typeof[]){
		{ EX_META, 9, meta_typeof_put, meta_typeof_print }, { EX_NONE, 0, NULL, NULL },
	},
};
