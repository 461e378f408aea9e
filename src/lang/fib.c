// SPDX-License-Identifier: MIT
/*
 * fib, rt, socket, osf and ipsec (xfrm): selectors the kernel answers from
 * its routing tables, sockets, fingerprints and security paths.  One key
 * table per expression serves parse, compile, listing and typeof.
 */
#include <stdio.h>
#include <string.h>
#include <linux/xfrm.h>

#include "family.h"

#define DT(ID) (&nfk_dtypes[NFK_TYPE_##ID])
#define HO NFK_BO_HOST
#define BE NFK_BO_BIG

/* ---- the keys: what each loads, as nft describes it ------------------------ */

static const struct nfk_key fib_results[] = {
	{ "oif", NFT_FIB_RESULT_OIF, DT(IFINDEX), 32, HO, 0 },
	{ "oifname", NFT_FIB_RESULT_OIFNAME, DT(IFNAME), 128, HO, 0 },
	{ "type", NFT_FIB_RESULT_ADDRTYPE, DT(FIB_ADDR), 32, HO, 0 },
	{ NULL, 0, NULL, 0, 0, 0 },
};

/* fib's inputs, in the order nft lists them */
static const struct nfk_sym fib_flags[] = {
	{ "saddr", NFTA_FIB_F_SADDR }, { "daddr", NFTA_FIB_F_DADDR }, { "mark", NFTA_FIB_F_MARK },
	{ "iif", NFTA_FIB_F_IIF }, { "oif", NFTA_FIB_F_OIF }, { NULL, 0 },
};

/* "nexthop" is NEXTHOP4 or NEXTHOP6 by the family; listed as "ip nexthop"
 * or "ip6 nexthop" */
static const struct nfk_key rt_keys[] = {
	{ "classid", NFT_RT_CLASSID, DT(REALM), 32, HO, 0 },
	{ "nexthop", NFT_RT_NEXTHOP4, DT(IPADDR), 32, BE, 0 },
	{ "nexthop", NFT_RT_NEXTHOP6, DT(IP6ADDR), 128, BE, 0 },
	{ "mtu", NFT_RT_TCPMSS, DT(INTEGER), 16, HO, 0 },
	{ "ipsec", NFT_RT_XFRM, DT(BOOLEAN), 8, HO, 0 },
	{ NULL, 0, NULL, 0, 0, 0 },
};

static const struct nfk_key socket_keys[] = {
	{ "transparent", NFT_SOCKET_TRANSPARENT, DT(INTEGER), 8, HO, 0 },
	{ "mark", NFT_SOCKET_MARK, DT(MARK), 32, HO, 0 },
	{ "wildcard", NFT_SOCKET_WILDCARD, DT(INTEGER), 8, HO, 0 },
	{ "cgroupv2", NFT_SOCKET_CGROUPV2, DT(CGROUPV2), 64, HO, 0 },
	{ NULL, 0, NULL, 0, 0, 0 },
};

static const struct nfk_key xfrm_keys[] = {
	{ "ip daddr", NFT_XFRM_KEY_DADDR_IP4, DT(IPADDR), 32, BE, 0 },
	{ "ip6 daddr", NFT_XFRM_KEY_DADDR_IP6, DT(IP6ADDR), 128, BE, 0 },
	{ "ip saddr", NFT_XFRM_KEY_SADDR_IP4, DT(IPADDR), 32, BE, 0 },
	{ "ip6 saddr", NFT_XFRM_KEY_SADDR_IP6, DT(IP6ADDR), 128, BE, 0 },
	{ "reqid", NFT_XFRM_KEY_REQID, DT(INTEGER), 32, HO, 0 },
	{ "spi", NFT_XFRM_KEY_SPI, DT(INTEGER), 32, BE, 0 },
	{ NULL, 0, NULL, 0, 0, 0 },
};

/* The key named by the current word (and the next, for "ip saddr"). */
static const struct nfk_key *key_word(P *p, const struct nfk_key *tab)
{
	const struct nfk_key *k;
	char name[64];

	if (p->tok.kind != T_WORD)
		return NULL;
	if ((ps_is(p, "ip") || ps_is(p, "ip6")) && ps_peek(p)->kind == T_WORD) {
		snprintf(name, sizeof(name), "%.*s %.*s", (int)p->tok.len, p->tok.s,
			 (int)p->la.len, p->la.s);
		if ((k = nfk_key_by_name(tab, name))) {
			ps_next(p);
			ps_next(p);
			return k;
		}
		/* "ip" then something else: the error is at that */
		if (!nfk_key_by_name(tab, ps_is(p, "ip") ? "ip" : "ip6")) {
			ps_next(p);
			return NULL;
		}
	}
	nfk_tok_copy(name, sizeof(name), &p->tok);
	if ((k = nfk_key_by_name(tab, name)))
		ps_next(p);
	return k;
}

static const char *rt_family_prefix(const struct nfk_key *k)
{
	return k->key == NFT_RT_NEXTHOP4 ? "ip " : k->key == NFT_RT_NEXTHOP6 ? "ip6 " : "";
}

/* ---- parse ------------------------------------------------------------- */

/* fib, rt, socket, osf, ipsec; NULL without error when the word is none of
 * them ("rt" followed by a field of the IPv6 routing header is exthdr's) */
static struct ex *fib_selector(P *p)
{
	struct nfk_loc loc = p->tok.loc;
	const struct nfk_key *k;
	struct ex *e;
	unsigned v;
	uint64_t n;

	if (ps_accept(p, "fib")) {
		if (!(e = ps_ex(p, EX_FIB, &loc)))
			return NULL;
		do {
			if (!ps_word_in(p, fib_flags, &v))
				return ps_unexpected(p, NULL), NULL;
			e->fib.flags |= v;
		} while (ps_accept_kind(p, '.'));
		if (!(k = key_word(p, fib_results)))
			return ps_unexpected(p, NULL), NULL;
		e->fib.result = k->key;
		return e;
	}
	if (ps_is(p, "rt") && ps_peek(p)->kind == T_WORD &&
	    !ps_exthdr_has_field(nfk_exthdr_by_name(NFT_EXTHDR_OP_IPV6, "rt"), &p->la)) {
		ps_next(p);
		if (!(e = ps_ex(p, EX_RT, &loc)))
			return NULL;
		if (ps_accept(p, "ip"))
			e->rt.family = NFPROTO_IPV4;
		else if (ps_accept(p, "ip6"))
			e->rt.family = NFPROTO_IPV6;
		if (!(k = key_word(p, rt_keys)))
			return ps_unexpected(p, NULL), NULL;
		e->rt.key = k->key;
		return e;
	}
	if (ps_accept(p, "socket")) {
		if (!(e = ps_ex(p, EX_SOCKET, &loc)))
			return NULL;
		if (!(k = key_word(p, socket_keys)))
			return ps_unexpected(p, NULL), NULL;
		e->sock.key = k->key;
		if (e->sock.key == NFT_SOCKET_CGROUPV2) {
			if (!ps_accept(p, "level") || !ps_number(p, &n))
				return p->failed ? NULL : (ps_unexpected(p, "level"), NULL);
			e->sock.level = n;
		}
		return e;
	}
	if (ps_accept(p, "osf")) {
		if (!(e = ps_ex(p, EX_OSF, &loc)))
			return NULL;
		if (ps_accept(p, "ttl")) {
			if (ps_accept(p, "loose"))
				e->osf.ttl = 1;
			else if (ps_accept(p, "skip"))
				e->osf.ttl = 2;
			else if (!ps_accept(p, "global"))
				return ps_unexpected(p, NULL), NULL;
		}
		if (ps_accept(p, "version"))
			e->osf.flags = NFT_OSF_F_VERSION;
		else if (!ps_accept(p, "name"))
			return ps_unexpected(p, NULL), NULL;
		return e;
	}
	if (ps_accept(p, "ipsec")) {
		if (!(e = ps_ex(p, EX_XFRM, &loc)))
			return NULL;
		if (ps_accept(p, "in"))
			e->xfrm.dir = XFRM_POLICY_IN;
		else if (ps_accept(p, "out"))
			e->xfrm.dir = XFRM_POLICY_OUT;
		else
			return ps_unexpected(p, NULL), NULL;
		if (ps_accept(p, "spnum")) {
			if (!ps_number(p, &n))
				return NULL;
			e->xfrm.spnum = n;
		}
		if (!(k = key_word(p, xfrm_keys)))
			return ps_unexpected(p, NULL), NULL;
		e->xfrm.key = k->key;
		return e;
	}
	return NULL;
}

/* ---- compile ----------------------------------------------------------- */

static void key_sel(struct sel *s, const struct nfk_key *k)
{
	cc_sel_type(s, k->dtype, k->bits, k->bo);
	s->key = k->key;
}

static bool fib_resolve(struct rctx *r, const struct ex *e, struct sel *s)
{
	const struct nfk_key *k;

	switch (e->kind) {
	case EX_FIB:
		if (e->fib.flags & NFTA_FIB_F_PRESENT)
			cc_sel_type(s, NFK_DTYPE(BOOLEAN), 8, NFK_BO_HOST);
		else
			key_sel(s, nfk_key_by_num(fib_results, e->fib.result));
		return true;
	case EX_RT: {
		unsigned fam = e->rt.family ? e->rt.family : r->l3 ? r->l3 :
			       (r->family == NFPROTO_IPV4 || r->family == NFPROTO_IPV6) ? (unsigned)r->family : 0;
		unsigned key = e->rt.key;

		if (key == NFT_RT_NEXTHOP4) {
			if (!fam) {
				cc_err(r->c, &e->loc, "Cannot determine IP protocol version, use \"rt ip nexthop\" or \"rt ip6 nexthop\" instead");
				return false;
			}
			key = fam == NFPROTO_IPV6 ? NFT_RT_NEXTHOP6 : NFT_RT_NEXTHOP4;
		}
		key_sel(s, nfk_key_by_num(rt_keys, key));
		return true;
	}
	case EX_SOCKET:
		key_sel(s, nfk_key_by_num(socket_keys, e->sock.key));
		return true;
	case EX_OSF:
		cc_sel_type(s, NFK_DTYPE(STRING), 128, NFK_BO_HOST);
		return true;
	case EX_XFRM:
		key_sel(s, (k = nfk_key_by_num(xfrm_keys, e->xfrm.key)));
		return k != NULL;
	default:
		return false;
	}
}

static bool fib_load(struct rctx *r, const struct sel *s, unsigned dreg)
{
	const struct ex *x = s->fx;
	const struct nfk_schema *sc;
	struct nfk_buf *b = r->b;
	struct ebuf e;

	switch (x->kind) {
	case EX_FIB:
		sc = nfk_expr_fib.schema;
		return cc_expr_begin(b, &e, "fib") && nfk_schema_put_uint(b, sc, NFTA_FIB_DREG, dreg) &&
		       nfk_schema_put_uint(b, sc, NFTA_FIB_RESULT, x->fib.result) &&
		       nfk_schema_put_uint(b, sc, NFTA_FIB_FLAGS, x->fib.flags) && cc_expr_end(b, &e);
	case EX_RT:
		sc = nfk_expr_rt.schema;
		return cc_expr_begin(b, &e, "rt") && nfk_schema_put_uint(b, sc, NFTA_RT_DREG, dreg) &&
		       nfk_schema_put_uint(b, sc, NFTA_RT_KEY, s->key) && cc_expr_end(b, &e);
	case EX_SOCKET:
		sc = nfk_expr_socket.schema;
		return cc_expr_begin(b, &e, "socket") && nfk_schema_put_uint(b, sc, NFTA_SOCKET_KEY, x->sock.key) &&
		       nfk_schema_put_uint(b, sc, NFTA_SOCKET_DREG, dreg) &&
		       (x->sock.key != NFT_SOCKET_CGROUPV2 ||
			nfk_schema_put_uint(b, sc, NFTA_SOCKET_LEVEL, x->sock.level)) &&
		       cc_expr_end(b, &e);
	case EX_OSF:
		sc = nfk_expr_osf.schema;
		return cc_expr_begin(b, &e, "osf") && nfk_schema_put_uint(b, sc, NFTA_OSF_DREG, dreg) &&
		       nfk_schema_put_uint(b, sc, NFTA_OSF_TTL, x->osf.ttl) &&
		       (!x->osf.flags || nfk_schema_put_uint(b, sc, NFTA_OSF_FLAGS, x->osf.flags)) &&
		       cc_expr_end(b, &e);
	case EX_XFRM:
		sc = nfk_expr_xfrm.schema;
		return cc_expr_begin(b, &e, "xfrm") && nfk_schema_put_uint(b, sc, NFTA_XFRM_DREG, dreg) &&
		       nfk_schema_put_uint(b, sc, NFTA_XFRM_KEY, x->xfrm.key) &&
		       nfk_schema_put_uint(b, sc, NFTA_XFRM_DIR, x->xfrm.dir) &&
		       nfk_schema_put_uint(b, sc, NFTA_XFRM_SPNUM, x->xfrm.spnum) && cc_expr_end(b, &e);
	default:
		return false;
	}
}

/* "fib ... exists" / "missing": whether there is a result at all */
static bool fib_match_value(struct ex *lhs, const struct ex *rhs)
{
	if (lhs->kind != EX_FIB || rhs->kind != EX_SYM ||
	    (strcmp(rhs->s, "exists") && strcmp(rhs->s, "missing")))
		return false;
	lhs->fib.flags |= NFTA_FIB_F_PRESENT;
	return true;
}

/* ---- list: a register holding the selector's text ------------------------------ */

static bool key_rv(struct dc_rv *v, const struct nfk_key *k)
{
	if (!k)
		return false;
	v->dtype = k->dtype;
	v->bo = k->bo;
	v->len = (k->bits + 7) / 8;
	return true;
}

static bool socket_text(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	const struct nfk_key *k = nfk_key_by_num(socket_keys, dc_u32(e, NFTA_SOCKET_KEY, ~0u));

	(void)r;
	if (!k)
		return false;
	if (k->key == NFT_SOCKET_CGROUPV2)
		dc_rv_text(v, "socket %s level %u", k->name, dc_u32(e, NFTA_SOCKET_LEVEL, 0));
	else
		dc_rv_text(v, "socket %s", k->name);
	return key_rv(v, k);
}

static bool rt_text(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	const struct nfk_key *k = nfk_key_by_num(rt_keys, dc_u32(e, NFTA_RT_KEY, ~0u));

	(void)r;
	if (!k)
		return false;
	dc_rv_text(v, "rt %s%s", rt_family_prefix(k), k->name);
	return key_rv(v, k);
}

static bool xfrm_text(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	const struct nfk_key *k = nfk_key_by_num(xfrm_keys, dc_u32(e, NFTA_XFRM_KEY, ~0u));
	uint32_t spnum = dc_u32(e, NFTA_XFRM_SPNUM, 0);
	char sp[32] = "";

	(void)r;
	if (!k)
		return false;
	if (spnum)
		snprintf(sp, sizeof(sp), " spnum %u", spnum);
	dc_rv_text(v, "ipsec %s%s %s", dc_u32(e, NFTA_XFRM_DIR, 0) ? "out" : "in", sp, k->name);
	return key_rv(v, k);
}

static bool fib_text(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	uint32_t flags = dc_u32(e, NFTA_FIB_FLAGS, 0);
	const struct nfk_key *k = nfk_key_by_num(fib_results, dc_u32(e, NFTA_FIB_RESULT, ~0u));
	size_t at;
	const char *sep = "";

	(void)r;
	if (!k)
		return false;
	at = (size_t)dc_rv_text(v, "fib ");
	for (const struct nfk_sym *fl = fib_flags; fl->name; fl++) {
		if (!(flags & fl->value) || at >= sizeof(v->text))
			continue;
		at += (size_t)snprintf(v->text + at, sizeof(v->text) - at, "%s%s", sep, fl->name);
		sep = " . ";
	}
	if (at < sizeof(v->text))
		snprintf(v->text + at, sizeof(v->text) - at, " %s", k->name);
	key_rv(v, k);
	if (flags & NFTA_FIB_F_PRESENT) {
		v->dtype = NFK_DTYPE(BOOLEAN);
		v->len = 1;
	}
	return true;
}

static bool osf_text(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	static const char *const ttl[] = { "", " ttl loose", " ttl skip" };
	uint32_t t = dc_u32(e, NFTA_OSF_TTL, 0);

	(void)r;
	dc_rv_text(v, "osf%s %s", t < 3 ? ttl[t] : "",
		   dc_u32(e, NFTA_OSF_FLAGS, 0) & NFT_OSF_F_VERSION ? "version" : "name");
	v->dtype = NFK_DTYPE(STRING);
	v->bo = NFK_BO_HOST;
	v->len = 16;
	return true;
}

static void fib_dc(struct dc_rule *r, const struct dc_expr *e)
{
	dc_load_text(r, e, NFTA_FIB_DREG, fib_text);
}

static void rt_dc(struct dc_rule *r, const struct dc_expr *e)
{
	dc_load_text(r, e, NFTA_RT_DREG, rt_text);
}

static void socket_dc(struct dc_rule *r, const struct dc_expr *e)
{
	dc_load_text(r, e, NFTA_SOCKET_DREG, socket_text);
}

static void osf_dc(struct dc_rule *r, const struct dc_expr *e)
{
	dc_load_text(r, e, NFTA_OSF_DREG, osf_text);
}

static void xfrm_dc(struct dc_rule *r, const struct dc_expr *e)
{
	dc_load_text(r, e, NFTA_XFRM_DREG, xfrm_text);
}

/* ---- typeof: each expression's key (and options) --------------------------------- */

static bool osf_typeof_print(FILE *f, const struct ud_tlv *d)
{
	(void)d;
	fputs("osf name", f);
	return true;
}

static bool rt_typeof_print(FILE *f, const struct ud_tlv *d)
{
	const struct nfk_key *k;
	uint32_t key;

	if (!ud_get_u32(d, 0, &key) || !(k = nfk_key_by_num(rt_keys, key)))
		return false;
	fprintf(f, "rt %s%s", rt_family_prefix(k), k->name);
	return true;
}

static bool xfrm_typeof_print(FILE *f, const struct ud_tlv *d)
{
	const struct nfk_key *k;
	uint32_t key, spnum = 0, dir = 0;

	if (!ud_get_u32(d, 0, &key) || !(k = nfk_key_by_num(xfrm_keys, key)))
		return false;
	ud_get_u32(d, 1, &spnum);
	ud_get_u32(d, 2, &dir);
	fprintf(f, "ipsec %s", dir ? "out" : "in");
	if (spnum)
		fprintf(f, " spnum %u", spnum);
	fprintf(f, " %s", k->name);
	return true;
}

static bool socket_typeof_print(FILE *f, const struct ud_tlv *d)
{
	const struct nfk_key *k;
	uint32_t key, level = 0;

	if (!ud_get_u32(d, 0, &key) || !(k = nfk_key_by_num(socket_keys, key)))
		return false;
	fprintf(f, "socket %s", k->name);
	if (key == NFT_SOCKET_CGROUPV2 && ud_get_u32(d, 1, &level))
		fprintf(f, " level %u", level);
	return true;
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_fib = {
	.name = "fib",
	.selector = fib_selector,
	.ex_kinds = (const enum ex_kind[]){ EX_FIB, EX_RT, EX_SOCKET, EX_OSF, EX_XFRM, EX_NONE },
	.resolve = fib_resolve,
	.load = fib_load,
	.match_value = fib_match_value,
	.dc = (const struct lang_dc[]){
		{ "fib", fib_dc, NULL }, { "rt", rt_dc, NULL }, { "socket", socket_dc, NULL },
		{ "osf", osf_dc, NULL }, { "xfrm", xfrm_dc, NULL }, { NULL, NULL, NULL },
	},
	.typeofs = (const struct lang_typeof[]){
		{ EX_SOCKET, 10, NULL, socket_typeof_print }, { EX_OSF, 11, NULL, osf_typeof_print },
		{ EX_RT, 25, NULL, rt_typeof_print }, { EX_XFRM, 27, NULL, xfrm_typeof_print },
		{ EX_NONE, 0, NULL, NULL },
	},
};
