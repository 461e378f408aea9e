// SPDX-License-Identifier: MIT
/*
 * The reject statement and the protocol dependency nft puts first for
 * it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

static struct stmt *parse_reject(P *p)
{
	struct stmt *s = ps_st(p, ST_REJECT, &p->tok.loc);

	ps_next(p);
	if (!s)
		return NULL;
	s->reject.type = -1;
	if (!ps_accept(p, "with"))
		return s;
	if (ps_accept(p, "tcp")) {
		if (!ps_accept(p, "reset"))
			return ps_unexpected(p, "reset"), NULL;
		s->reject.type = NFT_REJECT_TCP_RST;
		return s;
	}
	if (ps_is(p, "icmp") || ps_is(p, "icmpv6") || ps_is(p, "icmpx")) {
		s->reject.type = ps_is(p, "icmpx") ? NFT_REJECT_ICMPX_UNREACH : NFT_REJECT_ICMP_UNREACH;
		s->reject.family = ps_is(p, "icmp") ? NFPROTO_IPV4 : ps_is(p, "icmpv6") ? NFPROTO_IPV6 : 0;
		ps_next(p);
		ps_accept(p, "type");
		if (p->tok.kind != T_WORD)
			return ps_unexpected(p, NULL), NULL;
		s->reject.code = ps_ex(p, EX_SYM, &p->tok.loc);
		if (!s->reject.code)
			return NULL;
		s->reject.code->s = ps_tokdup(p, &p->tok);
		ps_next(p);
		return s;
	}
	ps_unexpected(p, NULL);
	return NULL;
}

/* ---- compile ----------------------------------------------------------- */


static bool reject_code(struct cctx *c, const struct stmt *st, const struct nfk_dtype *t,
			uint8_t *code)
{
	uint64_t v;

	if (nfk_dtype_sym_value(t, st->reject.code->s, &v)) {
		char *end;
		v = strtoul(st->reject.code->s, &end, 0);
		if (*end) {
			cc_err(c, &st->reject.code->loc, "Could not parse %s", t->desc);
			return false;
		}
	}
	*code = v;
	return true;
}

/* nft puts the dependencies of reject first in the rule: moves what was
 * emitted from offset at on to the start of the expression list. */
static void move_to_front(struct rctx *r, size_t at)
{
	size_t n = r->b->len - at;
	uint8_t tmp[256];

	if (!n || n > sizeof(tmp))
		return;
	memcpy(tmp, r->b->data + at, n);
	memmove(r->b->data + n, r->b->data, at);
	memcpy(r->b->data, tmp, n);
	r->npm = 0;     /* the recorded offsets moved: merge nothing */
}

static bool compile_reject(struct rctx *r, const struct stmt *st)
{
	struct cctx *c = r->c;
	struct ebuf e;
	uint32_t type;
	uint8_t code;

	if (st->reject.type == NFT_REJECT_TCP_RST) {
		const struct nfk_proto *tcp = nfk_proto_by_name("tcp");
		if (r->l4 >= 0 && r->l4 != 6) {
			cc_err(c, &st->loc, "conflicting protocols specified: %d vs. tcp", r->l4);
			return false;
		}
		if (tcp && r->l4 != 6) {
			/* nft puts this dependency first in the rule */
			size_t at = r->b->len;
			if (!cc_payload_dep(r, tcp, &st->loc))
				return false;
			move_to_front(r, at);
		}
		type = NFT_REJECT_TCP_RST;
		code = 0;
	} else if (st->reject.type == NFT_REJECT_ICMPX_UNREACH) {
		type = NFT_REJECT_ICMPX_UNREACH;
		if (!reject_code(c, st, NFK_DTYPE(ICMPX_CODE), &code))
			return false;
	} else if (st->reject.type >= 0) {
		unsigned fam = st->reject.family;
		const struct nfk_proto *l3 = nfk_proto_by_name(fam == NFPROTO_IPV6 ? "ip6" : "ip");
		if (r->family == NFPROTO_INET || r->family == NFPROTO_BRIDGE ||
		    r->family == NFPROTO_NETDEV) {
			if (r->l3 && r->l3 != fam) {
				cc_err(c, &st->loc, "conflicting protocols specified: %s vs. %s",
				     r->l3 == NFPROTO_IPV6 ? "ip6" : "ip", fam == NFPROTO_IPV6 ? "ip6" : "ip");
				return false;
			}
			size_t at = r->b->len;
			if (l3 && r->l3 != fam && !cc_need_l3(r, l3, &st->loc))
				return false;
			move_to_front(r, at);
		} else if ((unsigned)r->family != fam) {
			cc_err(c, &st->loc, "conflicting protocols specified: %s vs. %s",
			     nfk_family_name(r->family), fam == NFPROTO_IPV6 ? "ip6" : "ip");
			return false;
		}
		type = NFT_REJECT_ICMP_UNREACH;
		if (!reject_code(c, st, fam == NFPROTO_IPV6 ? NFK_DTYPE(ICMPV6_CODE) :
							 NFK_DTYPE(ICMP_CODE), &code))
			return false;
	} else {
		/* plain reject: the family's own port-unreachable */
		unsigned fam = r->l3 ? r->l3 : (unsigned)r->family;
		if (fam == NFPROTO_IPV4) {
			type = NFT_REJECT_ICMP_UNREACH, code = 3;
		} else if (fam == NFPROTO_IPV6) {
			type = NFT_REJECT_ICMP_UNREACH, code = 4;
		} else {
			type = NFT_REJECT_ICMPX_UNREACH, code = NFT_REJECT_ICMPX_PORT_UNREACH;
		}
	}
	return cc_expr_begin(r->b, &e, "reject") && nfk_schema_put_uint(r->b, nfk_expr_reject.schema, NFTA_REJECT_TYPE, type) &&
	       nfk_schema_put_uint(r->b, nfk_expr_reject.schema, NFTA_REJECT_ICMP_CODE, code) && cc_expr_end(r->b, &e);
}

/* ---- list -------------------------------------------------------------- */

/* -n prints reject codes as numbers too. */
static void print_reject_code(const struct dc_rule *r, FILE *f, const char *dtname, unsigned code)
{
	if (r->o && (r->o->print & NFK_PRINT_NUMERIC))
		fprintf(f, "%u", code);
	else
		dc_print_code(f, dtname, code);
}

static void stmt_reject(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint32_t type = dc_u32(e, NFTA_REJECT_TYPE, 0);
	uint8_t code = 0;
	unsigned l3 = r->l3;

	if (e->tb[NFTA_REJECT_ICMP_CODE])
		code = dc_u32(e, NFTA_REJECT_ICMP_CODE, code);
	fputs("reject", f);
	switch (type) {
	case NFT_REJECT_TCP_RST:
		fputs(" with tcp reset", f);
		/* tcp reset implies the tcp match in ip and ip6 tables (inet,
		 * bridge and netdev list it) */
		if (r->family == NFPROTO_IPV4 || r->family == NFPROTO_IPV6)
			dc_kill_dep(r, &r->dep_l4);
		break;
	case NFT_REJECT_ICMPX_UNREACH:
		if (code == NFT_REJECT_ICMPX_PORT_UNREACH && r->family != NFPROTO_IPV4 &&
		    r->family != NFPROTO_IPV6)
			break;
		fputs(" with icmpx ", f);
		print_reject_code(r, f, "icmpx_code", code);
		break;
	case NFT_REJECT_ICMP_UNREACH:
		if (!l3)
			l3 = r->family == NFPROTO_IPV6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
		if (l3 == NFPROTO_IPV6) {
			if (code == 4 && r->family == NFPROTO_IPV6)
				break;
			fputs(" with icmpv6 ", f);
			print_reject_code(r, f, "icmpv6_code", code);
		} else {
			if (code == 3 && r->family == NFPROTO_IPV4)
				break;
			fputs(" with icmp ", f);
			print_reject_code(r, f, "icmp_code", code);
		}
		/* icmp or icmpv6 implies the layer 3 protocol match */
		dc_kill_dep(r, &r->dep_l3);
		break;
	default:
		break;
	}
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_reject = {
	.name = "reject",
	.words = (const struct lang_word[]){ { "reject", parse_reject }, { NULL, NULL } },
	.st_kinds = (const enum st_kind[]){ ST_REJECT, ST_NONE },
	.err_loc = cc_stmt_keyword,
	.terminal = (const enum st_kind[]){ ST_REJECT, ST_NONE },
	.compile = compile_reject,
	.dc = (const struct lang_dc[]){ { "reject", NULL, stmt_reject }, { NULL, NULL, NULL } },
};
