// SPDX-License-Identifier: MIT
/*
 * queue, dup and fwd.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

/* A number nft's scanner reads (decimal, 0x hex, leading 0 octal). */
static bool queue_num_text(P *p, const struct ex *x, uint64_t *v)
{
	char *end;

	if (x->kind == EX_SYM && isdigit((unsigned char)x->s[0])) {
		errno = 0;
		*v = strtoull(x->s, &end, 0);
		if (!*end && !errno)
			return true;
	}
	ps_err_eval(p, &x->loc, "Could not parse integer");
	*v = 0;
	return true;
}

/*
 * A queue number or range, written or from a variable, as nft checks it:
 * each number within 16 bits ("Value N exceeds valid range 0-65535" at
 * the number), then the range not empty.  at: where nft reports a single
 * number of "queue num N" (the original syntax): the words "num N".
 */
static bool parse_queue_nums(P *p, struct stmt *s, const struct nfk_loc *at,
			     struct nfk_loc *where)
{
	struct nfk_loc whole = at ? *at : p->tok.loc, first = p->tok.loc, last;
	bool range = false;
	uint64_t n, m;

	if (p->tok.kind == T_VAR) {
		const struct ex *d = ps_define(p, &p->tok);

		if (!d)
			return false;
		ps_next(p);
		whole = first = last = d->loc;
		range = d->kind == EX_RANGE;
		if (!queue_num_text(p, range ? d->a : d, &n) ||
		    (range && !queue_num_text(p, d->b, &m)))
			return false;
		if (range) {
			first = d->a->loc;
			last = d->b->loc;
		} else {
			m = n;
		}
	} else {
		if (!ps_number(p, &n))
			return false;
		last = first;
		m = n;
		if (ps_accept_kind(p, '-')) {
			range = true;
			last = p->tok.loc;
			if (!ps_number(p, &m))
				return false;
		}
		ps_span(&whole, &last);
	}
	const struct nfk_loc *bad = n > UINT16_MAX ? &first : &last;

	if (n > UINT16_MAX || m > UINT16_MAX)
		ps_err_eval(p, at && !range ? &whole : bad,
			    "Value %" PRIu64 " exceeds valid range 0-65535", n > UINT16_MAX ? n : m);
	else if (m < n)
		ps_err_eval(p, &whole, "Range has zero or negative size");
	s->queue.num = n;
	s->queue.total = m - n + 1;
	*where = at && !range ? whole : first;   /* where nft marks the number */
	return true;
}

static struct stmt *parse_queue(P *p)
{
	struct stmt *s = ps_st(p, ST_QUEUE, &p->tok.loc);
	bool flags_word = false;   /* "queue flags F num N", the newer syntax */
	bool nums = false;
	struct nfk_loc where = { 0 };

	ps_next(p);
	if (!s)
		return NULL;
	s->queue.total = 1;
	for (;;) {
		if (ps_is(p, "num")) {
			struct nfk_loc num = p->tok.loc;

			ps_next(p);
			if (!parse_queue_nums(p, s, flags_word ? NULL : &num, &where))
				return NULL;
			nums = true;
		} else if (ps_accept(p, "flags")) {
			flags_word = true;
			do {
				if (ps_accept(p, "bypass"))
					s->queue.flags |= NFT_QUEUE_FLAG_BYPASS;
				else if (ps_accept(p, "fanout"))
					s->queue.flags |= NFT_QUEUE_FLAG_CPU_FANOUT;
				else
					return ps_unexpected(p, NULL), NULL;
			} while (ps_accept_kind(p, ','));
		} else if (ps_accept(p, "bypass")) {
			s->queue.flags |= NFT_QUEUE_FLAG_BYPASS;
		} else if (ps_accept(p, "fanout")) {
			s->queue.flags |= NFT_QUEUE_FLAG_CPU_FANOUT;
		} else if (ps_accept(p, "to")) {
			struct ex *x = ps_selector(p);
			if (p->failed)
				return NULL;
			if (x) {
				s->queue.num_expr = x;
				continue;
			}
			if (!parse_queue_nums(p, s, NULL, &where))
				return NULL;
			nums = true;
		} else {
			break;
		}
	}
	/* spreading packets over queues needs more than one */
	if (nums && (s->queue.flags & NFT_QUEUE_FLAG_CPU_FANOUT) && s->queue.total == 1)
		ps_err_eval(p, &where, "fanout requires a range to be specified");
	return s;
}

/* dup to addr [device dev]; fwd [ip|ip6] to [addr device] dev */
static struct stmt *parse_dup(P *p)
{
	bool fwd = ps_is(p, "fwd");
	struct stmt *s = ps_st(p, fwd ? ST_FWD : ST_DUP, &p->tok.loc);

	ps_next(p);
	if (!s)
		return NULL;
	if (ps_accept(p, "ip"))
		s->fwd.family = NFPROTO_IPV4;
	else if (ps_accept(p, "ip6"))
		s->fwd.family = NFPROTO_IPV6;
	if (!ps_accept(p, "to"))
		return ps_unexpected(p, "to"), NULL;
	struct ex *first = ps_nat_operand(p);
	if (!first)
		return NULL;
	if (ps_accept(p, "device")) {
		s->fwd.addr = first;
		if (!(s->fwd.dev = ps_value(p)))
			return NULL;
	} else if (fwd) {
		s->fwd.dev = first;
	} else {
		s->fwd.addr = first;
	}
	return s;
}

/* ---- compile ----------------------------------------------------------- */

static bool compile_queue(struct rctx *r, const struct stmt *st)
{
	struct nfk_buf *b = r->b;
	struct ebuf e;
	struct sel s;

	if (st->queue.num_expr && !cc_load_expr(r, st->queue.num_expr, &s, NFT_REG_1))
		return false;
	if (!cc_expr_begin(b, &e, "queue"))
		return false;
	if (st->queue.num_expr) {
		if (!nfk_schema_put_uint(b, nfk_expr_queue.schema, NFTA_QUEUE_SREG_QNUM, NFT_REG_1))
			return false;
	} else if (!nfk_schema_put_uint(b, nfk_expr_queue.schema, NFTA_QUEUE_NUM, st->queue.num) ||
		   !nfk_schema_put_uint(b, nfk_expr_queue.schema, NFTA_QUEUE_TOTAL, st->queue.total)) {
		return false;
	}
	if (st->queue.flags && !nfk_schema_put_uint(b, nfk_expr_queue.schema, NFTA_QUEUE_FLAGS, st->queue.flags))
		return false;
	return cc_expr_end(b, &e);
}


static bool compile_dup(struct rctx *r, const struct stmt *st)
{
	unsigned fam, areg, preg, dreg;
	struct nfk_buf *b = r->b;
	struct ebuf e;

	if (st->kind == ST_FWD && r->family != NFPROTO_NETDEV) {
		cc_err(r->c, &st->loc, "unsupported family");
		return false;
	}
	if (!cc_fwd_operands(r, st, &fam, &areg, &preg, &dreg))
		return false;
	if (st->kind == ST_DUP)
		return cc_expr_begin(b, &e, "dup") &&
		       (!areg || nfk_schema_put_uint(b, nfk_expr_dup.schema, NFTA_DUP_SREG_ADDR, areg)) &&
		       (!dreg || nfk_schema_put_uint(b, nfk_expr_dup.schema, NFTA_DUP_SREG_DEV, dreg)) &&
		       cc_expr_end(b, &e);
	return cc_expr_begin(b, &e, "fwd") &&
	       (!dreg || nfk_schema_put_uint(b, nfk_expr_fwd.schema, NFTA_FWD_SREG_DEV, dreg)) &&
	       (!areg || nfk_schema_put_uint(b, nfk_expr_fwd.schema, NFTA_FWD_SREG_ADDR, areg)) &&
	       (!areg || nfk_schema_put_uint(b, nfk_expr_fwd.schema, NFTA_FWD_NFPROTO, fam)) &&
	       cc_expr_end(b, &e);
}

static bool queue_compile(struct rctx *r, const struct stmt *st)
{
	return st->kind == ST_QUEUE ? compile_queue(r, st) : compile_dup(r, st);
}

/* ---- list -------------------------------------------------------------- */

static void stmt_queue(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint16_t num = 0, total = 1, flags = 0;
	const char *d = "";

	if (e->tb[NFTA_QUEUE_NUM])
		num = dc_u32(e, NFTA_QUEUE_NUM, num);
	if (e->tb[NFTA_QUEUE_TOTAL])
		total = dc_u32(e, NFTA_QUEUE_TOTAL, total);
	if (e->tb[NFTA_QUEUE_FLAGS])
		flags = dc_u32(e, NFTA_QUEUE_FLAGS, flags);
	fputs("queue", f);
	if (flags) {
		fputs(" flags ", f);
		if (flags & NFT_QUEUE_FLAG_BYPASS) {
			fputs("bypass", f);
			d = ",";
		}
		if (flags & NFT_QUEUE_FLAG_CPU_FANOUT)
			fprintf(f, "%sfanout", d);
	}
	if (e->tb[NFTA_QUEUE_SREG_QNUM]) {
		fputs(" to ", f);
		dc_print_operand(r, f, dc_operand(r, e, NFTA_QUEUE_SREG_QNUM), nfk_dtype_by_name("integer"),
			      NFK_BO_HOST, 2);
	} else if (total > 1) {
		fprintf(f, " to %u-%u", num, num + total - 1);
	} else if (num || flags) {
		fprintf(f, " to %u", num);
	}
}


static void print_dev(struct dc_rule *r, FILE *f, const struct dc_rv *v)
{
	char text[DC_TEXT];

	if (v && v->kind == RV_IMM)
		dc_print_typed(f, NFK_DTYPE(IFINDEX), NFK_BO_HOST, v->val, 4, r->o->print);
	else
		fputs(v && dc_rv_expr(r, v, text, sizeof(text)) ? text : "?", f);
}


static void stmt_dup(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *addr = dc_operand(r, e, NFTA_DUP_SREG_ADDR), *dev = dc_operand(r, e, NFTA_DUP_SREG_DEV);

	fputs("dup to ", f);
	if (addr) {
		dc_print_addr(r, f, addr, dc_stmt_family(r, 0), false);
		if (dev)
			fputs(" device ", f);
	}
	if (dev)
		print_dev(r, f, dev);
}

static void stmt_fwd(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *addr = dc_operand(r, e, NFTA_FWD_SREG_ADDR), *dev = dc_operand(r, e, NFTA_FWD_SREG_DEV);
	unsigned fam = dc_stmt_family(r, dc_u32(e, NFTA_FWD_NFPROTO, 0));

	fputs("fwd ", f);
	if (addr) {
		fprintf(f, "%s to ", fam == NFPROTO_IPV6 ? "ip6" : "ip");
		dc_print_addr(r, f, addr, fam, false);
		fputs(" device ", f);
	} else {
		fputs("to ", f);
	}
	print_dev(r, f, dev);
}

/* ---- registration ----------------------------------------------------------- */

/* queue at its keyword, unless its number is an expression ("queue to
 * jhash ..."); dup and fwd whole */
static struct nfk_loc queue_err_loc(const struct stmt *st)
{
	return st->kind == ST_QUEUE && !st->queue.num_expr ? cc_stmt_keyword(st) : cc_stmt_whole(st);
}

const struct lang_family nfk_lang_queue = {
	.name = "queue",
	.words = (const struct lang_word[]){
		{ "queue", parse_queue }, { "dup", parse_dup }, { "fwd", parse_dup }, { NULL, NULL },
	},
	.st_kinds = (const enum st_kind[]){ ST_QUEUE, ST_DUP, ST_FWD, ST_NONE },
	.compile = queue_compile,
	.err_loc = queue_err_loc,
	.dc = (const struct lang_dc[]){
		{ "queue", NULL, stmt_queue }, { "dup", NULL, stmt_dup }, { "fwd", NULL, stmt_fwd },
		{ NULL, NULL, NULL },
	},
};
