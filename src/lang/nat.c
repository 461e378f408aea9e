// SPDX-License-Identifier: MIT
/*
 * snat, dnat, masquerade, redirect and tproxy.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nf_nat.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

static const struct { const char *w; uint32_t flag; } nat_flags[] = {
	{ "random", NF_NAT_RANGE_PROTO_RANDOM }, { "fully-random", NF_NAT_RANGE_PROTO_RANDOM_FULLY },
	{ "persistent", NF_NAT_RANGE_PERSISTENT },
};

static bool parse_nat_flags(P *p, struct stmt *s)
{
	do {
		bool ok = false;
		for (size_t i = 0; i < sizeof(nat_flags) / sizeof(nat_flags[0]); i++)
			if (ps_accept(p, nat_flags[i].w)) {
				s->nat.flags |= nat_flags[i].flag;
				ok = true;
				break;
			}
		if (!ok) {
			if (s->nat.flags)
				ps_unexpected(p, NULL);
			return !s->nat.flags ? true : false;
		}
	} while (ps_accept_kind(p, ','));
	return true;
}

/* A nat/dup operand: a value or range, or "selector map { ... }". */
struct ex *ps_nat_operand(P *p)
{
	struct ex *key = ps_lhs(p);

	if (!key)
		return p->failed ? NULL : ps_range_value(p);
	if (!ps_accept(p, "map"))
		return ps_unexpected(p, "map"), NULL;
	struct ex *m = ps_value(p), *mx;
	if (!m || !(mx = ps_ex(p, EX_MAP, &key->loc)))
		return NULL;
	mx->a = key;
	mx->b = m;
	ps_span(&mx->loc, &p->prev);   /* nft's map expression: key to map */
	return mx;
}

/* snat/dnat [ip|ip6] [to] addr[:port] [flags]; masquerade/redirect [to :port] */
static struct stmt *parse_nat(P *p)
{
	struct stmt *s = ps_st(p, ST_NAT, &p->tok.loc);

	if (!s)
		return NULL;
	if (ps_is(p, "masquerade"))
		s->kind = ST_MASQ;
	else if (ps_is(p, "redirect"))
		s->kind = ST_REDIR;
	else
		s->nat.type = ps_is(p, "snat") ? NFT_NAT_SNAT : NFT_NAT_DNAT;
	ps_next(p);
	if (s->kind == ST_NAT) {
		/* "snat ip to ..." names the family; "snat ip saddr map ..."
		 * (no "to": nft 1.0.6 takes it) starts the operand */
		bool fam_word = (ps_is(p, "ip") || ps_is(p, "ip6")) &&
				(nfk_tok_is(ps_peek(p), "to") || nfk_tok_is(ps_peek(p), "prefix"));
		if (fam_word && ps_accept(p, "ip"))
			s->nat.family = NFPROTO_IPV4;
		else if (fam_word && ps_accept(p, "ip6"))
			s->nat.family = NFPROTO_IPV6;
		if (ps_accept(p, "prefix"))
			s->nat.flags |= NF_NAT_RANGE_NETMAP;
		if (!ps_accept(p, "to") && s->nat.family)
			return ps_unexpected(p, "to"), NULL;
		if (p->tok.kind != ':') {
			if (!(s->nat.addr = ps_nat_operand(p)))
				return NULL;
		}
	} else {
		if (!ps_accept(p, "to"))
			goto flags;
	}
	if (ps_accept_kind(p, ':')) {
		if (!(s->nat.port = ps_nat_operand(p)))
			return NULL;
	}
flags:
	for (size_t i = 0; i < sizeof(nat_flags) / sizeof(nat_flags[0]); i++)
		if (ps_is(p, nat_flags[i].w))
			return parse_nat_flags(p, s) ? s : NULL;
	return s;
}

/* tproxy [ip|ip6] to [addr][:port] */
static struct stmt *parse_tproxy(P *p)
{
	struct stmt *s = ps_st(p, ST_TPROXY, &p->tok.loc);

	ps_next(p);
	if (!s)
		return NULL;
	if (ps_accept(p, "ip"))
		s->fwd.family = NFPROTO_IPV4;
	else if (ps_accept(p, "ip6"))
		s->fwd.family = NFPROTO_IPV6;
	if (!ps_accept(p, "to"))
		return ps_unexpected(p, "to"), NULL;
	if (p->tok.kind != ':' && !(s->fwd.addr = ps_value(p)))
		return NULL;
	if (ps_accept_kind(p, ':') && !(s->fwd.port = ps_value(p)))
		return NULL;
	return s;
}

/* ---- compile ----------------------------------------------------------- */

/* Loads a nat address or port (or a range of them) into registers. */
bool cc_nat_operand(struct rctx *r, const struct ex *x, const struct nfk_dtype *t,
			unsigned bits, unsigned *reg, unsigned *regmax, unsigned *next_reg)
{
	uint8_t v[NFK_REGS_LEN], h[NFK_REGS_LEN];
	unsigned l = bits / 8, l2 = l;

	if (x->kind == EX_MAP) {
		struct sel target = { .dtype = t, .bits = bits, .len = bits / 8, .bo = NFK_BO_BIG };
		struct sel got;
		*reg = (*next_reg)++;
		*regmax = 0;
		r->map_data = &target;
		bool ok = cc_load_expr(r, x, &got, *reg);
		r->map_data = NULL;
		return ok;
	}
	if (x->kind == EX_RANGE) {
		if (!cc_value(r->c, x->a, t, NFK_BO_BIG, bits, v, &l) ||
		    !cc_value(r->c, x->b, t, NFK_BO_BIG, bits, h, &l2))
			return false;
		*reg = (*next_reg)++;
		*regmax = (*next_reg)++;
		return cc_emit_immediate(r->b, *reg, v, l) && cc_emit_immediate(r->b, *regmax, h, l2);
	}
	if (x->kind == EX_PREFIX) {
		/* "to 10.0.0.0/24": the range the prefix covers */
		uint8_t m[NFK_REGS_LEN];
		if (!cc_value(r->c, x->a, t, NFK_BO_BIG, bits, v, &l))
			return false;
		cc_prefix_mask(m, l, x->plen);
		for (unsigned i = 0; i < l; i++) {
			v[i] &= m[i];
			h[i] = v[i] | ~m[i];
		}
		*reg = (*next_reg)++;
		*regmax = (*next_reg)++;
		return cc_emit_immediate(r->b, *reg, v, l) && cc_emit_immediate(r->b, *regmax, h, l);
	}
	if (!cc_value(r->c, x, t, NFK_BO_BIG, bits, v, &l))
		return false;
	*reg = (*next_reg)++;
	*regmax = 0;
	return cc_emit_immediate(r->b, *reg, v, l);
}

/* What a nat address map holds: the address alone or "address . port",
 * either of them as intervals.  Anonymous maps show it in their elements,
 * named ones in their declaration. */
static void nat_map_shape(struct rctx *r, const struct ex *m, const struct nfk_dtype *t,
			  unsigned alen, struct kset *sh)
{
	memset(sh, 0, sizeof(*sh));
	sh->datat = t;
	if (m->b->kind == EX_SETREF) {
		struct kset tmp;
		const struct kset *ks = cc_find_set(r->c, r->family, r->table, m->b->s, &tmp);
		if (ks) {
			sh->ndata = ks->ndata;
			sh->dinterval = ks->dinterval;
		}
	} else if (m->b->kind == EX_SET) {
		for (size_t i = 0; i < m->b->n; i++) {
			const struct ex *e = m->b->v[i];
			if (e->kind != EX_MAPPING)
				continue;
			const struct ex *d = e->b;
			const struct ex *const *items = &d;
			size_t n = 1;
			if (d->kind == EX_CONCAT) {
				items = (const struct ex *const *)d->v;
				n = d->n;
				if (!sh->ndata)
					sh->ndata = (unsigned)n;
			}
			for (size_t j = 0; j < n; j++)
				if (items[j]->kind == EX_RANGE || items[j]->kind == EX_PREFIX)
					sh->dinterval = true;
		}
	}
	if (sh->ndata > 1) {
		sh->ndata = 2;
		sh->dtypes[0] = t;
		sh->dtypes[1] = NFK_DTYPE(INET_SERVICE);
	}
	unsigned half = sh->ndata > 1 ? cc_round4(alen) + 4 : alen;
	sh->data_len = sh->dinterval ? 2 * half : half;
}

/* A nat address map whose data carry a port and/or an upper bound: one
 * lookup fills the registers the nat expression then names, member by
 * member (nft counts them in 32-bit registers for IPv4 addresses and in
 * 128-bit ones for IPv6 addresses). */
/* The statement's keyword, which nft marks as the context of errors. */
static struct nfk_loc nat_keyword(const struct stmt *st)
{
	struct nfk_loc kw = st->loc;

	kw.col_end = kw.col + (st->kind == ST_MASQ ? 10 : st->kind == ST_REDIR ? 8 : 4) - 1;
	return kw;
}

static bool nat_map_regs(struct rctx *r, const struct stmt *st, const struct kset *sh,
			 unsigned fam, unsigned *next_reg, unsigned regs[4])
{
	if (sh->ndata > 1 && r->l4 != 6 && r->l4 != 17 && r->l4 != 33 && r->l4 != 132 &&
	    !r->l4_set) {
		/* nft marks the whole map expression and, as context, the
		 * statement's keyword */
		struct nfk_loc loc = st->nat.addr->loc, kw = nat_keyword(st);
		const struct nfk_loc *end = &st->nat.addr->b->loc;
		if (end->line == loc.line && end->col_end > loc.col_end)
			loc.col_end = end->col_end;
		cc_err_ctx(r->c, &loc, &kw,
			 "transport protocol mapping is only valid after transport protocol match");
		return false;
	}
	const struct nfk_dtype *t = sh->datat;
	unsigned alen = nfk_dtype_len(t);
	struct sel target = { .dtype = t, .bits = alen * 8, .len = sh->data_len, .bo = NFK_BO_BIG };
	struct sel got;
	unsigned dreg = (*next_reg)++;
	r->map_data = &target;
	r->map_shape = sh;
	bool ok = cc_load_expr(r, st->nat.addr, &got, dreg);
	r->map_data = NULL;
	r->map_shape = NULL;
	if (!ok)
		return false;
	/* regs: addr_min, addr_max, proto_min, proto_max */
	unsigned i = 0, idx[4] = { 0 };
	idx[0] = i++;
	if (sh->ndata > 1)
		idx[2] = i++;
	if (sh->dinterval)
		idx[1] = i++;
	if (sh->ndata > 1 && sh->dinterval)
		idx[3] = i++;
	for (unsigned k = 0; k < 4; k++) {
		bool used = k == 0 || (k == 1 && sh->dinterval) || (k == 2 && sh->ndata > 1) ||
			    (k == 3 && sh->ndata > 1 && sh->dinterval);
		if (!used)
			regs[k] = 0;
		else if (!idx[k])
			regs[k] = dreg;
		else
			regs[k] = fam == NFPROTO_IPV6 ? dreg + idx[k] :
				  NFT_REG32_00 + (dreg - NFT_REG_1) * 4 + idx[k];
	}
	return true;
}

static bool compile_nat(struct rctx *r, const struct stmt *st)
{
	struct cctx *c = r->c;
	struct ebuf e;
	unsigned amin = 0, amax = 0, pmin = 0, pmax = 0, next_reg = NFT_REG_1;
	uint32_t flags = st->nat.flags;
	unsigned fam = st->nat.family;

	if (!fam)
		fam = r->family == NFPROTO_IPV6 ? NFPROTO_IPV6 :
		      r->family == NFPROTO_IPV4 ? NFPROTO_IPV4 : r->l3;
	if (st->nat.addr) {
		if (!fam) {
			cc_err(c, &st->loc, "specify `%s ip' or '%s ip6' in %s table to disambiguate",
			     st->nat.type == NFT_NAT_SNAT ? "snat" : "dnat",
			     st->nat.type == NFT_NAT_SNAT ? "snat" : "dnat",
			     nfk_family_name(r->family));
			return false;
		}
		const struct nfk_dtype *t = fam == NFPROTO_IPV6 ? NFK_DTYPE(IP6ADDR) : NFK_DTYPE(IPADDR);
		/* "dnat ip to" in an inet table adds no family match: only a
		 * map key such as ip saddr brings its own dependency */
		struct kset sh;
		if (st->nat.addr->kind == EX_MAP)
			nat_map_shape(r, st->nat.addr, t, nfk_dtype_len(t), &sh);
		if (st->nat.addr->kind == EX_MAP && (sh.ndata > 1 || sh.dinterval)) {
			unsigned regs[4];
			if (!nat_map_regs(r, st, &sh, fam, &next_reg, regs))
				return false;
			amin = regs[0], amax = regs[1], pmin = regs[2], pmax = regs[3];
		} else {
			/* a map of the wrong data: nft marks the statement's keyword */
			struct nfk_loc kw = nat_keyword(st);
			r->map_ctx = &kw;
			bool ok = cc_nat_operand(r, st->nat.addr, t, fam == NFPROTO_IPV6 ? 128 : 32, &amin,
						 &amax, &next_reg);
			r->map_ctx = NULL;
			if (!ok)
				return false;
		}
	}
	if (st->nat.port) {
		if (r->l4 != 6 && r->l4 != 17 && r->l4 != 33 && r->l4 != 132) {
			struct nfk_loc kw = nat_keyword(st);

			cc_err_ctx(c, &st->nat.port->loc, &kw,
				   "transport protocol mapping is only valid after transport protocol match");
			return false;
		}
		if (!cc_nat_operand(r, st->nat.port, NFK_DTYPE(INET_SERVICE), 16, &pmin, &pmax, &next_reg))
			return false;
		flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
	}
	if (st->kind == ST_NAT) {
		if (!cc_expr_begin(r->b, &e, "nat") || !nfk_schema_put_uint(r->b, nfk_expr_nat.schema, NFTA_NAT_TYPE, st->nat.type) ||
		    !nfk_schema_put_uint(r->b, nfk_expr_nat.schema, NFTA_NAT_FAMILY, fam))
			return false;
		if (amin && !nfk_schema_put_uint(r->b, nfk_expr_nat.schema, NFTA_NAT_REG_ADDR_MIN, amin))
			return false;
		if (amax && !nfk_schema_put_uint(r->b, nfk_expr_nat.schema, NFTA_NAT_REG_ADDR_MAX, amax))
			return false;
		if (pmin && !nfk_schema_put_uint(r->b, nfk_expr_nat.schema, NFTA_NAT_REG_PROTO_MIN, pmin))
			return false;
		if (pmax && !nfk_schema_put_uint(r->b, nfk_expr_nat.schema, NFTA_NAT_REG_PROTO_MAX, pmax))
			return false;
		if (flags && !nfk_schema_put_uint(r->b, nfk_expr_nat.schema, NFTA_NAT_FLAGS, flags))
			return false;
		return cc_expr_end(r->b, &e);
	}
	bool masq = st->kind == ST_MASQ;
	if (!cc_expr_begin(r->b, &e, masq ? "masq" : "redir"))
		return false;
	if (masq) {
		if ((flags && !nfk_schema_put_uint(r->b, nfk_expr_masq.schema, NFTA_MASQ_FLAGS, flags)) ||
		    (pmin && !nfk_schema_put_uint(r->b, nfk_expr_masq.schema, NFTA_MASQ_REG_PROTO_MIN, pmin)) ||
		    (pmax && !nfk_schema_put_uint(r->b, nfk_expr_masq.schema, NFTA_MASQ_REG_PROTO_MAX, pmax)))
			return false;
	} else {
		if ((pmin && !nfk_schema_put_uint(r->b, nfk_expr_redir.schema, NFTA_REDIR_REG_PROTO_MIN, pmin)) ||
		    (pmax && !nfk_schema_put_uint(r->b, nfk_expr_redir.schema, NFTA_REDIR_REG_PROTO_MAX, pmax)) ||
		    (flags && !nfk_schema_put_uint(r->b, nfk_expr_redir.schema, NFTA_REDIR_FLAGS, flags)))
			return false;
	}
	return cc_expr_end(r->b, &e);
}

/* The operands of tproxy, dup and fwd: an address (or a range, or a map
 * lookup) in the statement's family, a port, a device (by index), each
 * loaded into the next register.  *fam: the family the address is in. */
bool cc_fwd_operands(struct rctx *r, const struct stmt *st, unsigned *fam, unsigned *areg,
		     unsigned *preg, unsigned *dreg)
{
	unsigned next_reg = NFT_REG_1, amax;

	*fam = st->fwd.family;
	*areg = *preg = *dreg = 0;
	if (!*fam && st->fwd.addr)
		*fam = r->family == NFPROTO_IPV6 ? NFPROTO_IPV6 :
		       r->family == NFPROTO_IPV4 ? NFPROTO_IPV4 : r->l3;
	if (st->fwd.addr) {
		if (!*fam) {
			cc_err(r->c, &st->loc, "unsupported family");
			return false;
		}
		if (!cc_nat_operand(r, st->fwd.addr, *fam == NFPROTO_IPV6 ? NFK_DTYPE(IP6ADDR) :
					NFK_DTYPE(IPADDR), *fam == NFPROTO_IPV6 ? 128 : 32, areg,
				    &amax, &next_reg))
			return false;
	}
	if (st->fwd.port &&
	    !cc_nat_operand(r, st->fwd.port, NFK_DTYPE(INET_SERVICE), 16, preg, &amax, &next_reg))
		return false;
	if (st->fwd.dev) {
		uint8_t v[NFK_REGS_LEN];
		unsigned l = 4;

		if (!cc_value(r->c, st->fwd.dev, NFK_DTYPE(IFINDEX), NFK_BO_HOST, 32, v, &l))
			return false;
		*dreg = next_reg++;
		if (!cc_emit_immediate(r->b, *dreg, v, l))
			return false;
	}
	return true;
}

static bool compile_tproxy(struct rctx *r, const struct stmt *st)
{
	const struct nfk_schema *sc = nfk_expr_tproxy.schema;
	unsigned fam, areg, preg, dreg;
	struct nfk_buf *b = r->b;
	struct ebuf e;

	if (r->l4 != 6 && r->l4 != 17) {
		cc_err(r->c, &st->loc, "Transparent proxy support requires transport protocol match");
		return false;
	}
	if (!cc_fwd_operands(r, st, &fam, &areg, &preg, &dreg))
		return false;
	return cc_expr_begin(b, &e, "tproxy") &&
	       nfk_schema_put_uint(b, sc, NFTA_TPROXY_FAMILY,
				   st->fwd.family ? st->fwd.family :
				   r->family == NFPROTO_INET ? (unsigned)NFPROTO_UNSPEC : (unsigned)r->family) &&
	       (!areg || nfk_schema_put_uint(b, sc, NFTA_TPROXY_REG_ADDR, areg)) &&
	       (!preg || nfk_schema_put_uint(b, sc, NFTA_TPROXY_REG_PORT, preg)) && cc_expr_end(b, &e);
}

static bool nat_compile(struct rctx *r, const struct stmt *st)
{
	return st->kind == ST_TPROXY ? compile_tproxy(r, st) : compile_nat(r, st);
}

/* ---- list -------------------------------------------------------------- */

static void print_nat_flags(FILE *f, uint32_t flags)
{
	const char *d = " ";

	if (flags & NF_NAT_RANGE_PROTO_RANDOM) {
		fprintf(f, "%srandom", d);
		d = ",";
	}
	if (flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) {
		fprintf(f, "%sfully-random", d);
		d = ",";
	}
	if (flags & NF_NAT_RANGE_PERSISTENT)
		fprintf(f, "%spersistent", d);
}

static void print_proto_range(struct dc_rule *r, FILE *f, const struct dc_rv *pmin,
			      const struct dc_rv *pmax)
{
	const struct nfk_dtype *svc = nfk_dtype_by_name("inet_service");

	if (!pmin)
		return;
	fputc(':', f);
	dc_print_operand(r, f, pmin, svc, NFK_BO_BIG, 2);
	if (pmax && pmax != pmin && (pmax->kind != RV_IMM || memcmp(pmax->val, pmin->val, 2))) {
		fputc('-', f);
		dc_print_operand(r, f, pmax, svc, NFK_BO_BIG, 2);
	}
}

/* The family of an address a statement holds. */
/* The address family a statement works on: its own attribute, else the
 * table's, else what the rule matched. */
unsigned dc_stmt_family(const struct dc_rule *r, uint32_t fam)
{
	if (fam == NFPROTO_IPV4 || fam == NFPROTO_IPV6)
		return fam;
	if (r->family == NFPROTO_IPV4 || r->family == NFPROTO_IPV6)
		return (unsigned)r->family;
	return r->l3 == NFPROTO_IPV6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
}

/* An address operand: an immediate (bracketed for IPv6 with a port), or
 * the selector a register was loaded with. */
/* An address for family fam (NFPROTO_IPV4/IPV6): an immediate in its type
 * or any selector; brackets for IPv6 when a port follows. */
void dc_print_addr(struct dc_rule *r, FILE *f, const struct dc_rv *v, unsigned fam,
		       bool brackets)
{
	const struct nfk_dtype *t = fam == NFPROTO_IPV6 ? NFK_DTYPE(IP6ADDR) : NFK_DTYPE(IPADDR);
	char text[DC_TEXT];

	if (!v) {
		fputc('?', f);
		return;
	}
	if (v->kind == RV_IMM) {
		if (brackets)
			fputc('[', f);
		dc_print_typed(f, t, NFK_BO_BIG, v->val, fam == NFPROTO_IPV6 ? 16 : 4, r->o->print);
		if (brackets)
			fputc(']', f);
		return;
	}
	fputs(dc_rv_expr(r, v, text, sizeof(text)) ? text : "?", f);
}

static void stmt_nat(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint32_t type = dc_u32(e, NFTA_NAT_TYPE, 0);
	uint32_t fam = dc_u32(e, NFTA_NAT_FAMILY, 0);
	uint32_t flags = dc_u32(e, NFTA_NAT_FLAGS, 0);
	const struct dc_rv *amin = dc_operand(r, e, NFTA_NAT_REG_ADDR_MIN);
	const struct dc_rv *amax = dc_operand(r, e, NFTA_NAT_REG_ADDR_MAX);
	const struct dc_rv *pmin = dc_operand(r, e, NFTA_NAT_REG_PROTO_MIN);
	const struct dc_rv *pmax = dc_operand(r, e, NFTA_NAT_REG_PROTO_MAX);
	const struct nfk_dtype *at = nfk_dtype_by_name(fam == NFPROTO_IPV6 ? "ipv6_addr" : "ipv4_addr");
	unsigned alen = fam == NFPROTO_IPV6 ? 16 : 4;
	/* one map gives address and port (or both ends of a range) */
	bool multi = amin && amin->kind == RV_TEXT && !amin->cont &&
		     ((amax && amax->cont) || (pmin && pmin->cont));
	bool imm_pair = amin && amax && amin->kind == RV_IMM && amax->kind == RV_IMM &&
			amin->len >= alen && amax->len >= alen;

	fputs(type == NFT_NAT_SNAT ? "snat" : "dnat", f);
	if ((r->family == NFPROTO_INET || multi) && (amin || pmin))
		fputs(fam == NFPROTO_IPV6 ? " ip6" : " ip", f);
	if (flags & NF_NAT_RANGE_NETMAP)
		fputs(" prefix", f);
	if (amin || pmin)
		fputs(" to ", f);
	if (multi) {
		dc_print_operand(r, f, amin, at, NFK_BO_BIG, alen);
		print_nat_flags(f, flags);
		return;
	}
	if (imm_pair && memcmp(amin->val, amax->val, alen) &&
	    dc_range_prefix(amin->val, amax->val, alen) >= 0) {
		/* a range covering one block is printed as that prefix */
		dc_print_operand(r, f, amin, at, NFK_BO_BIG, alen);
		fprintf(f, "/%d", dc_range_prefix(amin->val, amax->val, alen));
	} else if (amin) {
		bool br = fam == NFPROTO_IPV6 && pmin;

		if (br)
			fputc('[', f);
		dc_print_operand(r, f, amin, at, NFK_BO_BIG, alen);
		if (amax && amax != amin &&
		    (amax->kind != RV_IMM || memcmp(amax->val, amin->val, alen))) {
			fputs(br ? "]-[" : "-", f);
			dc_print_operand(r, f, amax, at, NFK_BO_BIG, alen);
		}
		if (br)
			fputc(']', f);
	}
	print_proto_range(r, f, pmin, pmax);
	print_nat_flags(f, flags);
}

/* redirect and masquerade keep the matches their port map's key implies */
static void revive(struct dc_rule *r, const struct dc_rv *v)
{
	for (unsigned i = 0; v && v->kind == RV_TEXT && i < v->nrevive && i < 4; i++)
		if (v->revive[i] >= 0 && (unsigned)v->revive[i] < r->nst)
			r->st[v->revive[i]].dead = false;
}

static void stmt_masq(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *pmin = dc_operand(r, e, NFTA_MASQ_REG_PROTO_MIN);

	revive(r, pmin);
	fputs("masquerade", f);
	if (pmin) {
		fputs(" to ", f);
		print_proto_range(r, f, pmin, dc_operand(r, e, NFTA_MASQ_REG_PROTO_MAX));
	}
	print_nat_flags(f, dc_u32(e, NFTA_MASQ_FLAGS, 0));
}

static void stmt_redir(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *pmin = dc_operand(r, e, NFTA_REDIR_REG_PROTO_MIN);

	revive(r, pmin);
	fputs("redirect", f);
	if (pmin) {
		fputs(" to ", f);
		print_proto_range(r, f, pmin, dc_operand(r, e, NFTA_REDIR_REG_PROTO_MAX));
	}
	print_nat_flags(f, dc_u32(e, NFTA_REDIR_FLAGS, 0));
}

static void stmt_tproxy(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *addr = dc_operand(r, e, NFTA_TPROXY_REG_ADDR);
	const struct dc_rv *port = dc_operand(r, e, NFTA_TPROXY_REG_PORT);
	uint32_t fam = dc_u32(e, NFTA_TPROXY_FAMILY, 0);
	unsigned af = dc_stmt_family(r, fam);

	fputs("tproxy ", f);
	if (r->family == NFPROTO_INET && (fam == NFPROTO_IPV4 || fam == NFPROTO_IPV6))
		fprintf(f, "%s ", fam == NFPROTO_IPV6 ? "ip6" : "ip");
	fputs("to ", f);
	if (addr)
		dc_print_addr(r, f, addr, af, af == NFPROTO_IPV6);
	if (port) {
		char text[DC_TEXT];

		fputc(':', f);
		if (port->kind == RV_IMM)
			dc_print_typed(f, NFK_DTYPE(INET_SERVICE), NFK_BO_BIG, port->val, 2,
				       r->o->print);
		else
			fputs(dc_rv_expr(r, port, text, sizeof(text)) ? text : "?", f);
	}
}

/* ---- registration ----------------------------------------------------------- */

/* nft marks errors about snat/dnat/masquerade/redirect at the keyword,
 * about tproxy at the whole statement */
static struct nfk_loc nat_err_loc(const struct stmt *st)
{
	return st->kind == ST_TPROXY ? cc_stmt_whole(st) : cc_stmt_keyword(st);
}

const struct lang_family nfk_lang_nat = {
	.name = "nat",
	.words = (const struct lang_word[]){
		{ "snat", parse_nat }, { "dnat", parse_nat }, { "masquerade", parse_nat },
		{ "redirect", parse_nat }, { "tproxy", parse_tproxy }, { NULL, NULL },
	},
	.st_kinds = (const enum st_kind[]){ ST_NAT, ST_MASQ, ST_REDIR, ST_TPROXY, ST_NONE },
	.terminal = (const enum st_kind[]){ ST_NAT, ST_MASQ, ST_REDIR, ST_NONE },
	.compile = nat_compile,
	.err_loc = nat_err_loc,
	.dc = (const struct lang_dc[]){
		{ "nat", NULL, stmt_nat }, { "masq", NULL, stmt_masq }, { "redir", NULL, stmt_redir },
		{ "tproxy", NULL, stmt_tproxy }, { NULL, NULL, NULL },
	},
};
