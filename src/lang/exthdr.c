// SPDX-License-Identifier: MIT
/*
 * Extension headers: IPv6 extension headers, TCP options, IPv4 options
 * and SCTP chunks as selectors, their writes and the TCP option reset
 * (exthdr.c of the type system holds their fields).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"

/* ---- the headers, options and chunks ---------------------------- */



#define DT(ID) (&nfk_dtypes[NFK_TYPE_##ID])
#define XF(name, off, bits, ID) { name, off, bits, DT(ID), NFK_BO_BIG }
#define XEND { NULL, 0, 0, NULL, NFK_BO_INVALID }

/* ---- IPv6 extension headers ---- */
static const struct nfk_hdr_field hbh_fields[] = {
	XF("nexthdr", 0, 8, INET_PROTOCOL), XF("hdrlength", 8, 8, INTEGER), XEND,
};
static const struct nfk_hdr_field rt_fields[] = {
	XF("nexthdr", 0, 8, INET_PROTOCOL), XF("hdrlength", 8, 8, INTEGER),
	XF("type", 16, 8, INTEGER), XF("seg-left", 24, 8, INTEGER), XEND,
};
static const struct nfk_hdr_field frag_fields[] = {
	XF("nexthdr", 0, 8, INET_PROTOCOL), XF("reserved", 8, 8, INTEGER),
	XF("frag-off", 16, 13, INTEGER), XF("reserved2", 29, 2, INTEGER),
	XF("more-fragments", 31, 1, INTEGER), XF("id", 32, 32, INTEGER), XEND,
};
static const struct nfk_hdr_field mh_fields[] = {
	XF("nexthdr", 0, 8, INET_PROTOCOL), XF("hdrlength", 8, 8, INTEGER),
	XF("type", 16, 8, MH_TYPE), XF("reserved", 24, 8, INTEGER),
	XF("checksum", 32, 16, INTEGER), XEND,
};

/* ---- TCP options ---- */
static const struct nfk_hdr_field opt_kind_fields[] = {
	XF("kind", 0, 8, INTEGER), XEND,
};
static const struct nfk_hdr_field opt_len_fields[] = {
	XF("kind", 0, 8, INTEGER), XF("length", 8, 8, INTEGER), XEND,
};
static const struct nfk_hdr_field maxseg_fields[] = {
	XF("kind", 0, 8, INTEGER), XF("length", 8, 8, INTEGER), XF("size", 16, 16, INTEGER), XEND,
};
static const struct nfk_hdr_field window_fields[] = {
	XF("kind", 0, 8, INTEGER), XF("length", 8, 8, INTEGER), XF("count", 16, 8, INTEGER), XEND,
};
#define SACK_FIELDS(n) \
	static const struct nfk_hdr_field sack##n##_fields[] = { \
		XF("kind", 0, 8, INTEGER), XF("length", 8, 8, INTEGER), \
		XF("left", 16 + 64 * n, 32, INTEGER), XF("right", 48 + 64 * n, 32, INTEGER), XEND, \
	};
SACK_FIELDS(0)
SACK_FIELDS(1)
SACK_FIELDS(2)
SACK_FIELDS(3)
static const struct nfk_hdr_field ts_fields[] = {
	XF("kind", 0, 8, INTEGER), XF("length", 8, 8, INTEGER),
	XF("tsval", 16, 32, INTEGER), XF("tsecr", 48, 32, INTEGER), XEND,
};
static const struct nfk_hdr_field mptcp_fields[] = {
	XF("kind", 0, 8, INTEGER), XF("length", 8, 8, INTEGER), XF("subtype", 16, 4, INTEGER), XEND,
};

/* ---- IPv4 options ---- */
static const struct nfk_hdr_field ipopt_rr_fields[] = {
	XF("type", 0, 8, INTEGER), XF("length", 8, 8, INTEGER), XF("ptr", 16, 8, INTEGER),
	XF("addr", 24, 32, IPADDR), XEND,
};
static const struct nfk_hdr_field ipopt_ra_fields[] = {
	XF("type", 0, 8, INTEGER), XF("length", 8, 8, INTEGER), XF("value", 16, 16, INTEGER), XEND,
};

/* ---- SCTP chunks ---- */
#define CHUNK_COMMON XF("type", 0, 8, INTEGER), XF("flags", 8, 8, INTEGER), XF("length", 16, 16, INTEGER)
static const struct nfk_hdr_field chunk_fields[] = { CHUNK_COMMON, XEND };
static const struct nfk_hdr_field chunk_data_fields[] = {
	CHUNK_COMMON, XF("tsn", 32, 32, INTEGER), XF("stream", 64, 16, INTEGER),
	XF("ssn", 80, 16, INTEGER), XF("ppid", 96, 32, INTEGER), XEND,
};
static const struct nfk_hdr_field chunk_init_fields[] = {
	CHUNK_COMMON, XF("init-tag", 32, 32, INTEGER), XF("a-rwnd", 64, 32, INTEGER),
	XF("num-outbound-streams", 96, 16, INTEGER), XF("num-inbound-streams", 112, 16, INTEGER),
	XF("initial-tsn", 128, 32, INTEGER), XEND,
};
static const struct nfk_hdr_field chunk_sack_fields[] = {
	CHUNK_COMMON, XF("cum-tsn-ack", 32, 32, INTEGER), XF("a-rwnd", 64, 32, INTEGER),
	XF("num-gap-ack-blocks", 96, 16, INTEGER), XF("num-dup-tsns", 112, 16, INTEGER), XEND,
};
static const struct nfk_hdr_field chunk_shutdown_fields[] = {
	CHUNK_COMMON, XF("cum-tsn-ack", 32, 32, INTEGER), XEND,
};
static const struct nfk_hdr_field chunk_tsn_fields[] = {
	CHUNK_COMMON, XF("lowest-tsn", 32, 32, INTEGER), XEND,
};
static const struct nfk_hdr_field chunk_seqno_fields[] = {
	CHUNK_COMMON, XF("seqno", 32, 32, INTEGER), XEND,
};
static const struct nfk_hdr_field chunk_fwd_fields[] = {
	CHUNK_COMMON, XF("new-cum-tsn", 32, 32, INTEGER), XEND,
};

#define V6 NFT_EXTHDR_OP_IPV6
#define TO NFT_EXTHDR_OP_TCPOPT
#define V4 NFT_EXTHDR_OP_IPV4
#define SC NFT_EXTHDR_OP_SCTP

static const struct nfk_exthdr exthdrs[] = {
	{ "hbh", V6, 0, hbh_fields }, { "rt", V6, 43, rt_fields },
	{ "frag", V6, 44, frag_fields }, { "dst", V6, 60, hbh_fields },
	{ "mh", V6, 135, mh_fields },

	{ "eol", TO, 0, opt_kind_fields }, { "nop", TO, 1, opt_kind_fields },
	{ "maxseg", TO, 2, maxseg_fields }, { "window", TO, 3, window_fields },
	{ "sack-perm", TO, 4, opt_len_fields }, { "sack", TO, 5, sack0_fields },
	{ "sack0", TO, 5, sack0_fields }, { "sack1", TO, 5, sack1_fields },
	{ "sack2", TO, 5, sack2_fields }, { "sack3", TO, 5, sack3_fields },
	{ "timestamp", TO, 8, ts_fields }, { "md5sig", TO, 19, opt_len_fields },
	{ "mptcp", TO, 30, mptcp_fields }, { "fastopen", TO, 34, opt_len_fields },

	{ "lsrr", V4, 131, ipopt_rr_fields }, { "rr", V4, 7, ipopt_rr_fields },
	{ "ssrr", V4, 137, ipopt_rr_fields }, { "ra", V4, 148, ipopt_ra_fields },

	{ "data", SC, 0, chunk_data_fields }, { "init", SC, 1, chunk_init_fields },
	{ "init-ack", SC, 2, chunk_init_fields }, { "sack", SC, 3, chunk_sack_fields },
	{ "heartbeat", SC, 4, chunk_fields }, { "heartbeat-ack", SC, 5, chunk_fields },
	{ "abort", SC, 6, chunk_fields }, { "shutdown", SC, 7, chunk_shutdown_fields },
	{ "shutdown-ack", SC, 8, chunk_fields }, { "error", SC, 9, chunk_fields },
	{ "cookie-echo", SC, 10, chunk_fields }, { "cookie-ack", SC, 11, chunk_fields },
	{ "ecne", SC, 12, chunk_tsn_fields }, { "cwr", SC, 13, chunk_tsn_fields },
	{ "shutdown-complete", SC, 14, chunk_fields }, { "asconf-ack", SC, 128, chunk_seqno_fields },
	{ "forward-tsn", SC, 192, chunk_fwd_fields }, { "asconf", SC, 193, chunk_seqno_fields },
	{ NULL, 0, 0, NULL },
};

const struct nfk_exthdr *nfk_exthdr_by_name(unsigned op, const char *name)
{
	for (const struct nfk_exthdr *x = exthdrs; x->name; x++)
		if (x->op == op && !strcmp(x->name, name))
			return x;
	return NULL;
}

const struct nfk_exthdr *nfk_exthdr_by_type(unsigned op, unsigned type)
{
	for (const struct nfk_exthdr *x = exthdrs; x->name; x++)
		if (x->op == op && x->type == type)
			return x;
	return NULL;
}

const struct nfk_exthdr *nfk_exthdr_field_at(unsigned op, unsigned type, unsigned offset,
					     unsigned bits, const struct nfk_hdr_field **field)
{
	for (const struct nfk_exthdr *x = exthdrs; x->name; x++) {
		if (x->op != op || x->type != type)
			continue;
		for (const struct nfk_hdr_field *f = x->fields; f->name; f++)
			if (f->offset == offset && f->bits == bits) {
				*field = f;
				return x;
			}
	}
	return NULL;
}

/* ---- parse ------------------------------------------------------------- */

bool ps_tokword(const struct nfk_tok *t, char *buf, size_t len)
{
	if (t->kind != T_WORD || t->len >= len)
		return false;
	memcpy(buf, t->s, t->len);
	buf[t->len] = 0;
	return true;
}

/* After "tcp option", "sctp chunk", "ip option", "exthdr", or at a bare
 * IPv6 extension header name: KIND [FIELD]. */
struct ex *ps_exthdr(P *p, unsigned op, const struct nfk_loc *loc, bool need_field)
{
	char name[64], fname[64];
	struct ex *e = ps_ex(p, EX_EXTHDR, loc);

	if (!e)
		return NULL;
	e->xt.op = op;
	if (p->tok.kind == T_SETREF && op == NFT_EXTHDR_OP_TCPOPT) {
		/* raw: @kind,offset,length (bits) */
		uint64_t k, o, l;
		struct nfk_tok t = p->tok;
		struct nfk_loc ol, ll;

		t.s++, t.len--, t.kind = T_WORD;
		t.loc.col++, t.loc.offset++;
		if (!ps_u64(&t, &k))
			return ps_unexpected(p, NULL), NULL;
		if (k > UINT8_MAX) {   /* the kind is one byte */
			ps_err(p, &t.loc, "value too large");
			return NULL;
		}
		ps_next(p);
		if (!ps_expect(p, ',', "','"))
			return NULL;
		ol = p->tok.loc;
		if (!ps_number(p, &o) || !ps_expect(p, ',', "','"))
			return NULL;
		ll = p->tok.loc;
		if (!ps_number(p, &l))
			return NULL;
		/* 32-bit attributes; options end with the 40-byte TCP header room */
		if (o > UINT32_MAX || l > UINT32_MAX) {
			ps_err(p, o > UINT32_MAX ? &ol : &ll, "value too large");
			return NULL;
		}
		ps_span(&e->loc, &p->prev);
		if (o > 320)
			ps_err_eval(p, &e->loc, "offset and size %" PRIu64 " exceeds max tcp headerlen (320)", o);
		e->xt.type = k, e->xt.off = o, e->xt.bits = l, e->xt.raw = true;
		return e;
	}
	if (!ps_tokword(&p->tok, name, sizeof(name)))
		return ps_unexpected(p, NULL), NULL;
	uint64_t num;
	if (ps_u64(&p->tok, &num)) {
		e->xt.type = num;
		/* numbered kinds only test presence */
		if (num > 255) {
			ps_err(p, &p->tok.loc, "value too large");
			return NULL;
		}
		ps_next(p);
		return e;
	}
	e->xt.xh = nfk_exthdr_by_name(op, name);
	if (!e->xt.xh)
		return ps_unexpected(p, NULL), NULL;
	e->xt.type = e->xt.xh->type;
	ps_span(&e->loc, &p->tok.loc);
	ps_next(p);
	if (ps_tokword(&p->tok, fname, sizeof(fname))) {
		for (const struct nfk_hdr_field *f = e->xt.xh->fields; f->name; f++)
			if (!strcmp(f->name, fname)) {
				e->xt.field = f;
				ps_span(&e->loc, &p->tok.loc);
				ps_next(p);
				return e;
			}
	}
	if (need_field)
		return ps_unexpected(p, NULL), NULL;
	return e;
}

/* Is t a field of extension header xh ("rt nexthdr" vs "rt nexthop")? */
bool ps_exthdr_has_field(const struct nfk_exthdr *xh, const struct nfk_tok *t)
{
	if (!xh || t->kind != T_WORD)
		return false;
	for (const struct nfk_hdr_field *f = xh->fields; f->name; f++)
		if (nfk_tok_is(t, f->name))
			return true;
	return false;
}

static struct stmt *parse_reset(P *p)
{
	struct stmt *s = ps_st(p, ST_EXTHDR_RESET, &p->tok.loc);

	ps_next(p);
	if (!s)
		return NULL;
	if (!ps_accept(p, "tcp") || !ps_accept(p, "option"))
		return ps_unexpected(p, NULL), NULL;
	s->exthdr.opt = ps_exthdr(p, NFT_EXTHDR_OP_TCPOPT, &s->loc, false);
	return s->exthdr.opt ? s : NULL;
}

/* "tcp option ...", "sctp chunk ...", "ip option ...", "exthdr ...", or an
 * IPv6 extension header followed by one of its fields */
static struct ex *exthdr_selector(P *p)
{
	static const struct { const char *w, *w2; unsigned op; } xsel[] = {
		{ "tcp", "option", NFT_EXTHDR_OP_TCPOPT },
		{ "sctp", "chunk", NFT_EXTHDR_OP_SCTP },
		{ "ip", "option", NFT_EXTHDR_OP_IPV4 },
	};
	struct nfk_loc loc = p->tok.loc;
	const struct nfk_exthdr *xh;
	char name[64];

	if (p->tok.kind != T_WORD)
		return NULL;
	for (size_t i = 0; i < sizeof(xsel) / sizeof(xsel[0]); i++)
		if (ps_is(p, xsel[i].w) && ps_peek(p)->kind == T_WORD &&
		    nfk_tok_is(&p->la, xsel[i].w2)) {
			ps_next(p);
			ps_next(p);
			return ps_exthdr(p, xsel[i].op, &loc, false);
		}
	if (ps_accept(p, "exthdr"))
		return ps_exthdr(p, NFT_EXTHDR_OP_IPV6, &loc, false);
	nfk_tok_copy(name, sizeof(name), &p->tok);
	xh = nfk_exthdr_by_name(NFT_EXTHDR_OP_IPV6, name);
	if (xh && ps_peek(p)->kind == T_WORD && ps_exthdr_has_field(xh, &p->la))
		return ps_exthdr(p, NFT_EXTHDR_OP_IPV6, &loc, true);
	return NULL;
}

/* ---- compile ----------------------------------------------------------- */

static bool exthdr_resolve(struct rctx *r, const struct ex *e, struct sel *s)
{
	/* options and chunks carry no protocol dependency in nft 1.0.6 */
	const char *dep = e->xt.op == NFT_EXTHDR_OP_IPV6 ? "ip6" :
			  e->xt.op == NFT_EXTHDR_OP_IPV4 ? "ip" : NULL;
	const struct nfk_proto *pr = dep ? nfk_proto_by_name(dep) : NULL;
	unsigned off = 0, bits = 8;

	if (pr && !cc_payload_dep(r, pr, &e->loc))
		return false;
	s->xop = e->xt.op;
	s->xtype = e->xt.type;
	if (e->xt.field) {
		off = e->xt.field->offset, bits = e->xt.field->bits;
		s->dtype = e->xt.field->dtype;
	} else if (e->xt.raw) {
		off = e->xt.off, bits = e->xt.bits;
		s->dtype = NFK_DTYPE(INTEGER);
	} else {
		s->present = true;
		s->dtype = NFK_DTYPE(BOOLEAN);
	}
	s->bo = NFK_BO_BIG;
	cc_sel_bits(s, off, bits);
	return true;
}

/* exthdr TYPE OFFSET LEN [flags] OP into dreg, or (dreg 0) from reg 1 */
static bool exthdr_expr(struct rctx *r, const struct sel *s, unsigned dreg)
{
	const struct nfk_schema *sc = nfk_expr_exthdr.schema;
	struct nfk_buf *b = r->b;
	struct ebuf e;

	return cc_expr_begin(b, &e, "exthdr") &&
	       nfk_schema_put_uint(b, sc, dreg ? NFTA_EXTHDR_DREG : NFTA_EXTHDR_SREG,
				   dreg ? dreg : NFT_REG_1) &&
	       nfk_schema_put_uint(b, sc, NFTA_EXTHDR_TYPE, s->xtype) &&
	       nfk_schema_put_uint(b, sc, NFTA_EXTHDR_OFFSET, s->offset) &&
	       nfk_schema_put_uint(b, sc, NFTA_EXTHDR_LEN, s->len) &&
	       (!dreg || !s->present || nfk_schema_put_uint(b, sc, NFTA_EXTHDR_FLAGS, NFT_EXTHDR_F_PRESENT)) &&
	       nfk_schema_put_uint(b, sc, NFTA_EXTHDR_OP, s->xop) && cc_expr_end(b, &e);
}

static bool exthdr_load(struct rctx *r, const struct sel *s, unsigned dreg)
{
	uint8_t zero[NFK_REGS_LEN] = { 0 };

	return exthdr_expr(r, s, dreg) &&
	       (!s->masked || cc_emit_bitwise(r->b, dreg, s->mask, zero, s->len));
}

static bool exthdr_store(struct rctx *r, const struct stmt *st)
{
	struct sel s, src;

	if (!cc_resolve(r, st->set.left, &s) || !cc_set_source(r, st, &s, &src))
		return false;
	/* host-order values are written in network order */
	if (src.kind != EX_NONE && src.bo == NFK_BO_HOST && src.len > 1 &&
	    !cc_emit_byteorder(r->b, NFT_REG_1, src.len))
		return false;
	return exthdr_expr(r, &s, 0);
}

/* reset tcp option KIND: no register, no length */
static bool exthdr_compile(struct rctx *r, const struct stmt *st)
{
	const struct nfk_schema *sc = nfk_expr_exthdr.schema;
	struct nfk_buf *b = r->b;
	struct ebuf e;

	return cc_expr_begin(b, &e, "exthdr") &&
	       nfk_schema_put_uint(b, sc, NFTA_EXTHDR_TYPE, st->exthdr.opt->xt.type) &&
	       nfk_schema_put_uint(b, sc, NFTA_EXTHDR_OFFSET, 0) &&
	       nfk_schema_put_uint(b, sc, NFTA_EXTHDR_LEN, 0) &&
	       nfk_schema_put_uint(b, sc, NFTA_EXTHDR_FLAGS, 0) &&
	       nfk_schema_put_uint(b, sc, NFTA_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT) && cc_expr_end(b, &e);
}

/* ---- list -------------------------------------------------------------- */

static void stmt_exthdr(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	struct dc_rv v = { .kind = RV_EXTHDR };
	char sel[DC_TEXT];
	const struct nfk_dtype *dt;
	enum nfk_byteorder bo;
	unsigned bits;
	uint8_t type = 0;

	if (e->tb[NFTA_EXTHDR_TYPE])
		type = dc_u32(e, NFTA_EXTHDR_TYPE, type);
	v.key = type;
	v.xop = dc_u32(e, NFTA_EXTHDR_OP, NFT_EXTHDR_OP_IPV6);
	v.off = dc_u32(e, NFTA_EXTHDR_OFFSET, 0);
	v.len = dc_u32(e, NFTA_EXTHDR_LEN, 0);
	if (v.len > 16)
		v.len = 16;
	if (!e->tb[NFTA_EXTHDR_SREG]) {
		/* neither load nor write: the option is removed */
		v.present = true;
		dc_rv_render(r, &v, sel, sizeof(sel), &dt, &bo, &bits);
		fprintf(f, "reset %s", sel);
		return;
	}
	dc_rv_render(r, &v, sel, sizeof(sel), &dt, &bo, &bits);
	fprintf(f, "%s set ", sel);
	dc_print_operand(r, f, dc_operand(r, e, NFTA_EXTHDR_SREG), dt, bo, v.len);
}

static void exthdr_dc_load(struct dc_rule *r, const struct dc_expr *e)
{
	struct dc_rv v = { .kind = RV_EXTHDR };
	uint8_t type = 0;

	if (!e->tb[NFTA_EXTHDR_DREG]) {
		dc_stmt_run(r, e, stmt_exthdr);   /* write or reset */
		return;
	}
	if (e->tb[NFTA_EXTHDR_TYPE])
		type = dc_u32(e, NFTA_EXTHDR_TYPE, type);
	v.key = type;
	v.xop = dc_u32(e, NFTA_EXTHDR_OP, NFT_EXTHDR_OP_IPV6);
	v.off = dc_u32(e, NFTA_EXTHDR_OFFSET, 0);
	v.len = dc_u32(e, NFTA_EXTHDR_LEN, 0);
	v.present = dc_u32(e, NFTA_EXTHDR_FLAGS, 0) & NFT_EXTHDR_F_PRESENT;
	if (v.len > NFK_REGS_LEN || v.off > 4096)
		v.kind = RV_NONE;
	dc_set_reg(r, dc_u32(e, NFTA_EXTHDR_DREG, 0), &v);
}

/* ---- typeof ------------------------------------------------------------ */

/* IPv6 extension header description numbers -> names */
static const char *const ip6x_ids[] = {
	[1] = "hbh", [2] = "rt", [6] = "frag", [7] = "dst", [8] = "mh",
};

static const char *const xprefix[] = {
	[NFT_EXTHDR_OP_TCPOPT] = "tcp option ", [NFT_EXTHDR_OP_IPV4] = "ip option ",
	[NFT_EXTHDR_OP_SCTP] = "sctp chunk ",
};

static bool exthdr_typeof_print(FILE *f, const struct ud_tlv *d)
{
	uint32_t desc, field, op = NFT_EXTHDR_OP_IPV6;
	const struct nfk_exthdr *x;
	unsigned n = 0;

	if (!ud_get_u32(d, 0, &desc) || !ud_get_u32(d, 1, &field))
		return false;
	ud_get_u32(d, 2, &op);
	if (op == NFT_EXTHDR_OP_IPV6) {
		/* the IPv6 tables start with an unused field 0 */
		if (desc >= (sizeof(ip6x_ids) / sizeof(ip6x_ids[0])) || !ip6x_ids[desc] || !field ||
		    !(x = nfk_exthdr_by_name(op, ip6x_ids[desc])))
			return false;
		field--;
	} else if (op < (sizeof(xprefix) / sizeof(xprefix[0])) && xprefix[op]) {
		/* options and chunks: their type, and a 0-based field */
		if (!(x = nfk_exthdr_by_type(op, desc)))
			return false;
	} else {
		return false;
	}
	if (op == NFT_EXTHDR_OP_IPV4) {
		/* ip options number their fields across all options */
		static const char *const ipopt_fields[] = {
			[1] = "type", [2] = "length", [3] = "value", [4] = "ptr", [5] = "addr",
		};

		if (field >= (sizeof(ipopt_fields) / sizeof(ipopt_fields[0])) || !ipopt_fields[field])
			return false;
		fprintf(f, "ip option %s %s", x->name, ipopt_fields[field]);
		return true;
	}
	if (op == NFT_EXTHDR_OP_TCPOPT && desc == 5 && field >= 2) {
		/* the sack blocks' edges follow each other: left, right, left1... */
		unsigned blk = (field - 2) / 2;

		if (blk > 3)
			return false;
		if (blk)
			fprintf(f, "tcp option sack%u %s", blk, field % 2 ? "right" : "left");
		else
			fprintf(f, "tcp option sack %s", field % 2 ? "right" : "left");
		return true;
	}
	while (x->fields[n].name && n < field)
		n++;
	if (!x->fields[n].name)
		return false;
	fprintf(f, "%s%s %s", op < (sizeof(xprefix) / sizeof(xprefix[0])) && xprefix[op] ? xprefix[op] : "", x->name,
		x->fields[n].name);
	return true;
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_exthdr = {
	.name = "exthdr",
	.words = (const struct lang_word[]){ { "reset", parse_reset }, { NULL, NULL } },
	.selector = exthdr_selector,
	.ex_kinds = (const enum ex_kind[]){ EX_EXTHDR, EX_NONE },
	.resolve = exthdr_resolve,
	.load = exthdr_load,
	.store = exthdr_store,
	.st_kinds = (const enum st_kind[]){ ST_EXTHDR_RESET, ST_NONE },
	.compile = exthdr_compile,
	.dc = (const struct lang_dc[]){ { "exthdr", exthdr_dc_load, NULL }, { NULL, NULL, NULL } },
	.typeofs = (const struct lang_typeof[]){
		{ EX_EXTHDR, 8, NULL, exthdr_typeof_print }, { EX_NONE, 0, NULL, NULL },
	},
};
