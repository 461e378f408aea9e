// SPDX-License-Identifier: MIT
/*
 * Match statements (selector, operator, value or set), verdict maps and
 * verdicts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

static const struct { const char *w; int op; } relops[] = {
	{ "eq", T_EQ }, { "ne", T_NE }, { "lt", '<' }, { "gt", '>' }, { "le", T_LE },
	{ "ge", T_GE },
};

static int parse_relop(P *p)
{
	int k = p->tok.kind;

	if (k == T_EQ || k == T_NE || k == '<' || k == '>' || k == T_LE || k == T_GE) {
		ps_next(p);
		return k;
	}
	for (size_t i = 0; i < sizeof(relops) / sizeof(relops[0]); i++)
		if (ps_accept(p, relops[i].w))
			return relops[i].op;
	if (k == '!') {   /* "tcp flags ! fin,rst": none of these flags */
		ps_next(p);
		return '!';
	}
	return 0;
}

struct stmt *ps_match(P *p, struct ex *lhs)
{
	struct stmt *s = ps_st(p, ST_MATCH, &lhs->loc);

	if (!s)
		return NULL;
	s->match.left = lhs;
	if (ps_is(p, "vmap") || ps_is(p, "map")) {
		bool vmap = ps_is(p, "vmap");
		ps_next(p);
		struct ex *m = ps_value(p);
		if (!m)
			return NULL;
		if (vmap) {
			s->kind = ST_VMAP;
			s->match.right = m;
			return s;
		}
		/* "x map {}" as a value is for statements (nat, mark set) */
		ps_err(p, &lhs->loc, "map expression unsupported here");
		return NULL;
	}
	s->match.op = parse_relop(p);
	if (ps_at_end(p)) {
		ps_unexpected(p, NULL);
		return NULL;
	}
	s->match.right = ps_rhs(p);
	if (!s->match.right)
		return NULL;
	ps_span(&s->loc, &s->match.right->loc);
	return s;
}

static struct stmt *parse_verdict_stmt(P *p)
{
	struct nfk_loc loc = p->tok.loc;
	struct ex *v = ps_verdict_expr(p);

	if (!v)
		return NULL;
	struct stmt *s = ps_st(p, ST_VERDICT, &loc);
	if (s)
		s->verdict = v;
	return s;
}

/* ---- compile ----------------------------------------------------------- */

static unsigned relop(int op)
{
	switch (op) {
	case T_NE: return NFT_CMP_NEQ;
	case '<': return NFT_CMP_LT;
	case '>': return NFT_CMP_GT;
	case T_LE: return NFT_CMP_LTE;
	case T_GE: return NFT_CMP_GTE;
	default: return NFT_CMP_EQ;
	}
}

/* "ip saddr @ports" with a set of another type: nft's datatype mismatch,
 * under the set with the matched expression marked as context. */
static bool set_key_matches(struct cctx *c, const struct kset *ks, const struct sel *s,
			    unsigned nsel, const struct ex *lhs, const struct ex *rhs)
{
	if (cc_key_matches(ks, s, nsel) || !s[0].dtype || !ks->keyt[0])
		return true;
	char want[200], have[200];
	cc_sel_types_desc(want, sizeof(want), s, nsel);
	cc_types_desc(have, sizeof(have), ks->keyt, ks->nkey);
	char msg[256];
	snprintf(msg, sizeof(msg), "datatype mismatch, expected %.100s, expression has type %.100s",
		 want, have);
	cc_err_ctx(c, &rhs->loc, &lhs->loc, msg);
	return false;
}

static bool compile_lookup(struct rctx *r, const struct stmt *st, const struct sel *s,
			   unsigned nsel, const struct ex *rhs, bool inv)
{
	struct cctx *c = r->c;
	struct kset tmp;
	const struct kset *ks;
	const struct ex *l = st->match.left;

	/* "meta l4proto { tcp, udp }": nat may then map ports, as after one
	 * protocol */
	if (!inv && ((l->kind == EX_META && l->sk.key->key == NFT_META_L4PROTO) ||
		     (l->kind == EX_PAYLOAD && l->pl.proto->base == NFK_BASE_NETWORK && l->pl.field &&
		      (!strcmp(l->pl.field->name, "protocol") || !strcmp(l->pl.field->name, "nexthdr")))))
		r->l4_set = true;
	if (rhs->kind == EX_SETREF) {
		ks = cc_find_set(c, r->family, r->table, rhs->s, &tmp);
		if (!ks) {
			cc_set_missing(c, &rhs->loc, r->family, r->table, rhs->s);
			return false;
		}
		if (!set_key_matches(c, ks, s, nsel, st->match.left, rhs))
			return false;
	} else {
		ks = cc_anon_set(r, rhs, st->match.left, s, nsel, NULL, false, &st->loc);
		if (!ks)
			return false;
	}
	return cc_emit_lookup(r->b, ks->name, ks->id, NFT_REG_1, -1, inv);
}

static bool bitmask_list(struct rctx *r, const struct sel *s, const struct ex *rhs,
			 uint8_t *out, unsigned *len)
{
	uint8_t v[NFK_REGS_LEN];
	unsigned l = s->len;
	size_t n = rhs->kind == EX_LIST ? rhs->n : 1;

	memset(out, 0, 16);
	for (size_t i = 0; i < n; i++) {
		const struct ex *x = rhs->kind == EX_LIST ? rhs->v[i] : rhs;
		if (!cc_sel_value(r->c, s, x, v, &l))
			return false;
		for (unsigned j = 0; j < l; j++)
			out[j] |= v[j];
	}
	*len = l;
	return true;
}

static bool compile_match(struct rctx *r, const struct stmt *st)
{
	struct cctx *c = r->c;
	const struct ex *lhs = st->match.left, *rhs = st->match.right;
	struct sel sels[NFK_CONCAT_MAX];
	unsigned nsel = 0;
	uint8_t v[64], h[64];
	unsigned len;

	if (st->match.op == '!' && lhs->kind == EX_BINOP) {
		cc_err_ctx(c, &lhs->loc, &rhs->loc, "cannot combine negation with binary expression");
		return false;
	}
	/* the selector's family may read the value ("fib ... exists") */
	const struct lang_family *fam = nfk_lang_by_ex(lhs->kind);
	struct ex lx;
	if (fam && fam->match_value && (lx = *lhs, fam->match_value(&lx, rhs)))
		lhs = &lx;
	/* binops: "meta mark & 0xff == 1" */
	const struct ex *binop = NULL;
	const struct ex *xorv = NULL;
	if (lhs->kind == EX_BINOP && lhs->binop == '^' && cc_is_selector(lhs->a) &&
	    (rhs->kind == EX_SYM || rhs->kind == EX_STR) &&
	    (!st->match.op || st->match.op == T_EQ || st->match.op == T_NE)) {
		/* (x ^ c) == v is x == v ^ c */
		xorv = lhs->b;
		lhs = lhs->a;
	}
	/* a concatenation against a concatenated value: refused before nft
	 * looks at the concatenation's members (or its size) */
	if (lhs->kind == EX_CONCAT && rhs->kind == EX_CONCAT) {
		cc_err_ctx(c, &lhs->loc, &rhs->loc,
			   "Use concatenations with sets and maps, not singleton values");
		return false;
	}
	if (lhs->kind == EX_BINOP) {
		binop = lhs;
		nsel = 1;
		if (!cc_load_expr(r, lhs, &sels[0], NFT_REG_1))
			return false;
		while (lhs->kind == EX_BINOP)
			lhs = lhs->a;
	} else {
		r->concat_hton = cc_concat_wants_hton(r, lhs, rhs);
		bool ok = cc_load_concat(r, lhs, sels, &nsel);
		r->concat_hton = false;
		if (!ok)
			return false;
	}
	struct sel *s = &sels[0];
	bool neg = st->match.op == T_NE;

	/* ordered comparisons of host-order values happen in network order */
	bool ordered = (st->match.op && st->match.op != T_EQ && st->match.op != T_NE && st->match.op != '!') ||
		       rhs->kind == EX_RANGE ||
		       (rhs->kind == EX_SET && cc_set_has_intervals(rhs));
	if (ordered && nsel == 1 && !binop && !cc_hton(r, s, NFT_REG_1))
		return false;

	/* a one-element anonymous set is just that element */
	if (rhs->kind == EX_SET && rhs->n == 1 && nsel == 1 &&
	    (rhs->v[0]->kind == EX_SYM || rhs->v[0]->kind == EX_STR ||
	     rhs->v[0]->kind == EX_RANGE || rhs->v[0]->kind == EX_PREFIX))
		rhs = rhs->v[0];

	if (rhs->kind == EX_SET || rhs->kind == EX_SETREF) {
		if (st->match.op && st->match.op != T_EQ && st->match.op != T_NE) {
			cc_err(c, &rhs->loc, "unsupported operation on a set");
			return false;
		}
		return compile_lookup(r, st, sels, nsel, rhs, neg);
	}
	if (nsel > 1) {
		/* a concatenation is matched against sets and maps only */
		char want[200];
		cc_sel_types_desc(want, sizeof(want), sels, nsel);
		if (rhs->kind == EX_CONCAT)
			cc_err_ctx(c, &lhs->loc, &rhs->loc,
				   "Use concatenations with sets and maps, not singleton values");
		else
			cc_err(c, &rhs->loc, "invalid data type, expected %.200s", want);
		return false;
	}

	if (rhs->kind == EX_LIST) {
		if (s->dtype->bitmask || (s->dtype->base && s->dtype->base->bitmask)) {
			if (st->match.op == T_EQ || st->match.op == T_NE) {
				/* explicit ==: the flags exactly */
			}
			if (!bitmask_list(r, s, rhs, v, &len))
				return false;
			uint8_t zero[NFK_REGS_LEN] = { 0 };
			if (st->match.op == '!')
				return cc_emit_bitwise(r->b, NFT_REG_1, v, zero, len) &&
				       cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, zero, len);
			if (st->match.op == T_EQ || st->match.op == T_NE)
				return cc_emit_cmp(r->b, NFT_REG_1, relop(st->match.op), v, len);
			return cc_emit_bitwise(r->b, NFT_REG_1, v, zero, len) &&
			       cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_NEQ, zero, len);
		}
		/* a plain list means a set */
		struct ex tmp = *rhs;
		tmp.kind = EX_SET;
		return compile_lookup(r, st, sels, nsel, &tmp, neg);
	}
	if (rhs->kind == EX_RANGE) {
		unsigned l2 = s->len;
		len = s->len;
		if (!cc_sel_value(c, s, rhs->a, v, &len) || !cc_sel_value(c, s, rhs->b, h, &l2))
			return false;
		if (s->bo != NFK_BO_HOST && memcmp(v, h, len) >= 0) {
			cc_err(c, &rhs->loc, "Range has zero or negative size");
			return false;
		}
		if (neg)
			return cc_emit_range(r->b, NFT_REG_1, NFT_RANGE_NEQ, v, h, len);
		return cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_GTE, v, len) &&
		       cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_LTE, h, len);
	}
	if (rhs->kind == EX_PREFIX && rhs->b) {
		/* "tcp flags syn / syn,ack": (x & mask) op value */
		uint8_t m[NFK_REGS_LEN], zero[NFK_REGS_LEN] = { 0 };
		unsigned ml = s->len;
		len = s->len;
		if (!cc_sel_value(c, s, rhs->a, v, &len) || !cc_sel_value(c, s, rhs->b, m, &ml))
			return false;
		return cc_emit_bitwise(r->b, NFT_REG_1, m, zero, ml) &&
		       cc_emit_cmp(r->b, NFT_REG_1, relop(st->match.op), v, len);
	}
	if (rhs->kind == EX_PREFIX) {
		len = s->len;
		if (!cc_sel_value(c, s, rhs->a, v, &len))
			return false;
		unsigned plen = rhs->plen;
		if (plen > len * 8) {
			cc_err(c, &rhs->loc, "Prefix length %u is invalid for type of %u bits",
			     plen, len * 8);
			return false;
		}
		uint8_t m[NFK_REGS_LEN];
		cc_prefix_mask_bo(m, len, plen, s->bo);
		for (unsigned i = 0; i < len; i++)
			v[i] &= m[i];
		if (plen % 8 == 0 && s->bo != NFK_BO_HOST && !binop && !s->masked) {
			/* byte-aligned: nft compares only the prefix bytes, and
			 * loads only them from packet headers */
			unsigned nl = plen / 8;
			if (!nl)
				return true;
			if (s->kind == EX_PAYLOAD) {
				uint32_t be = htonl(nl);
				memcpy(r->b->data + r->last_plen, &be, 4);
			}
			return cc_emit_cmp(r->b, NFT_REG_1, relop(st->match.op), v, nl);
		}
		uint8_t zero[NFK_REGS_LEN] = { 0 };
		return cc_emit_bitwise(r->b, NFT_REG_1, m, zero, len) &&
		       cc_emit_cmp(r->b, NFT_REG_1, relop(st->match.op), v, len);
	}
	/* a single value */
	len = s->len;
	if (!cc_sel_value(c, s, rhs, v, &len))
		return false;
	if (!len && nfk_dtype_is(s->dtype, NFK_DTYPE(STRING))) {   /* "*" */
		cc_err(c, &rhs->loc, "All-wildcard strings are not supported");
		return false;
	}
	if (xorv) {
		uint8_t xv[NFK_REGS_LEN];
		unsigned xl = s->len;
		if (!cc_sel_value(c, s, xorv, xv, &xl))
			return false;
		for (unsigned i = 0; i < len; i++)
			v[i] ^= xv[i];
	}
	bool bitmask = s->dtype->bitmask || (s->dtype->base && s->dtype->base->bitmask);
	uint8_t zero[NFK_REGS_LEN] = { 0 };
	if (st->match.op == '!') {
		return cc_emit_bitwise(r->b, NFT_REG_1, v, zero, len) &&
		       cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, zero, len);
	}
	if (bitmask && !st->match.op && !binop && memcmp(v, zero, len)) {
		return cc_emit_bitwise(r->b, NFT_REG_1, v, zero, len) &&
		       cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_NEQ, zero, len);
	}
	if (st->match.op == 0 || st->match.op == T_EQ) {
		cc_ctx_update(r, lhs, v, len);
		/* "meta protocol ip6" in an ip6 table says nothing: nft drops it,
		 * but only when another statement follows (as the last one of a
		 * rule it stays) */
		uint16_t fam_et = r->family == NFPROTO_IPV4 ? 0x0800 :
				  r->family == NFPROTO_IPV6 ? 0x86dd : 0;
		if (fam_et && st->next && lhs->kind == EX_META && lhs->sk.key->key == NFT_META_PROTOCOL &&
		    nsel == 1 && !binop && len == 2 && (v[0] << 8 | v[1]) == fam_et) {
			r->b->len = r->last_load;
			return true;
		}
	}
	if ((st->match.op == 0 || st->match.op == T_EQ) && nsel == 1 && !binop && s->kind == EX_PAYLOAD &&
	    !s->masked && r->last_load + 0 <= r->b->len) {
		/* drop the load just emitted: the pair may merge with the last one */
		r->b->len = r->last_load;
		return cc_payload_eq(r, s->base, s->offset, s->len, v, s->proto_key);
	}
	return cc_emit_cmp(r->b, NFT_REG_1, relop(st->match.op), v, len);
}


static bool compile_vmap(struct rctx *r, const struct stmt *st)
{
	struct cctx *c = r->c;
	struct sel sels[NFK_CONCAT_MAX];
	unsigned nsel;
	const struct kset *ks;
	struct kset tmp;

	r->concat_hton = cc_concat_wants_hton(r, st->match.left, st->match.right);
	bool ok = cc_load_concat(r, st->match.left, sels, &nsel);
	r->concat_hton = false;
	if (!ok)
		return false;
	if (st->match.right->kind == EX_SETREF) {
		ks = cc_find_set(c, r->family, r->table, st->match.right->s, &tmp);
		if (!ks) {
			cc_set_missing(c, &st->match.right->loc, r->family, r->table, st->match.right->s);
			return false;
		}
	} else if (st->match.right->kind == EX_SET) {
		ks = cc_anon_set(r, st->match.right, st->match.left, sels, nsel, NFK_DTYPE(VERDICT), true,
				 &st->loc);
		if (!ks)
			return false;
	} else {
		cc_err(c, &st->match.right->loc, "Expression is not a map");
		return false;
	}
	return cc_emit_lookup(r->b, ks->name, ks->id, NFT_REG_1, NFT_REG_VERDICT, false);
}

static bool match_compile(struct rctx *r, const struct stmt *st)
{
	bool ok;

	switch (st->kind) {
	case ST_MATCH:
		r->c->match_lhs = &st->match.left->loc;
		ok = compile_match(r, st);
		r->c->match_lhs = NULL;
		return ok;
	case ST_VMAP:
		return compile_vmap(r, st);
	case ST_VERDICT:
		return cc_emit_verdict(r->b, st->verdict->code, st->verdict->s);
	default:
		return false;
	}
}

/* ---- registration ----------------------------------------------------------- */

/* a verdict at its expression ("jump b": b), matches whole */
static struct nfk_loc match_err_loc(const struct stmt *st)
{
	return st->kind == ST_VERDICT ? st->verdict->loc : cc_stmt_whole(st);
}

const struct lang_family nfk_lang_match = {
	.name = "match",
	.words = (const struct lang_word[]){
		{ "accept", parse_verdict_stmt }, { "drop", parse_verdict_stmt },
		{ "continue", parse_verdict_stmt }, { "return", parse_verdict_stmt },
		{ "jump", parse_verdict_stmt }, { "goto", parse_verdict_stmt }, { NULL, NULL },
	},
	.st_kinds = (const enum st_kind[]){ ST_MATCH, ST_VMAP, ST_VERDICT, ST_NONE },
	.terminal = (const enum st_kind[]){ ST_VERDICT, ST_NONE },
	.compile = match_compile,
	.err_loc = match_err_loc,
};
