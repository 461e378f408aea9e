// SPDX-License-Identifier: MIT
/*
 * Payload selectors: protocol header fields (proto.c holds the
 * headers), raw @base,offset,length loads, payload writes with their
 * checksum fix-ups, and icmp type dependencies.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

static struct ex *parse_payload(P *p, const struct nfk_proto *pr)
{
	struct nfk_tok t = p->tok;

	ps_next(p);
	if (p->tok.kind != T_WORD) {
		ps_unexpected(p, NULL);
		return NULL;
	}
	char name[64];
	nfk_tok_copy(name, sizeof(name), &p->tok);
	const struct nfk_hdr_field *f = NULL;
	if (ps_peek(p)->kind == T_WORD) {
		char two[96];
		snprintf(two, sizeof(two), "%s %.*s", name, (int)p->la.len, p->la.s);
		if ((f = nfk_proto_field(pr, two)))
			ps_next(p);
	}
	if (!f)
		f = nfk_proto_field(pr, name);
	if (!f) {
		ps_unexpected(p, NULL);
		return NULL;
	}
	struct ex *e = ps_ex(p, EX_PAYLOAD, &t.loc);
	if (!e)
		return NULL;
	e->pl.proto = pr;
	e->pl.field = f;
	ps_span(&e->loc, &p->tok.loc);
	ps_next(p);
	return e;
}

/* @base,offset,length: raw payload (bits) */
static struct ex *parse_raw_payload(P *p)
{
	static const struct { const char *w; enum nfk_base base; } bases[] = {
		{ "ll", NFK_BASE_LL }, { "nh", NFK_BASE_NETWORK }, { "th", NFK_BASE_TRANSPORT },
		{ "ih", NFK_BASE_INNER },
	};
	struct nfk_loc loc = p->tok.loc;
	size_t i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (p->tok.len == strlen(bases[i].w) + 1 && !memcmp(p->tok.s + 1, bases[i].w, p->tok.len - 1))
			break;
	if (i == sizeof(bases) / sizeof(bases[0]) || ps_peek(p)->kind != ',')
		return NULL;
	ps_next(p);
	ps_next(p);
	uint64_t off, len;
	struct nfk_loc off_loc = p->tok.loc, len_loc;
	if (!ps_number(p, &off))
		return NULL;
	/* the offset is a 32-bit attribute (in bits); the kernel takes what
	 * fits in 16 bits of bytes and says so itself */
	if (off > UINT32_MAX) {
		ps_err(p, &off_loc, "value too large");
		return NULL;
	}
	if (!ps_expect(p, ',', "','"))
		return NULL;
	len_loc = p->tok.loc;
	if (!ps_number(p, &len))
		return NULL;
	/* a load lands in the register file; a set's typeof key may say
	 * more (nft sends it, and the kernel refuses the set) */
	if (len > (p->in_typeof ? UINT32_MAX - 7 : NFK_REGS_LEN * 8)) {
		ps_err(p, &len_loc, "raw payload length %" PRIu64 " exceeds upper limit of %u", len,
		       NFK_REGS_LEN * 8);
		return NULL;
	}
	struct nfk_proto *pr = nfk_arena_alloc(p->ar, sizeof(*pr));
	struct nfk_hdr_field *f = nfk_arena_alloc(p->ar, sizeof(*f));
	struct ex *e = ps_ex(p, EX_PAYLOAD, &loc);
	if (!pr || !f || !e)
		return NULL;
	pr->name = "raw";
	pr->base = bases[i].base;
	f->name = "raw";
	f->offset = off;
	f->bits = len;
	f->dtype = &nfk_dtypes[NFK_TYPE_INTEGER];
	f->bo = NFK_BO_BIG;
	e->pl.proto = pr;
	e->pl.field = f;
	ps_span(&e->loc, &p->prev);
	return e;
}

/* @base,offset,length, or "PROTO FIELD" (two-word fields: "arp saddr ip") */
static struct ex *payload_selector(P *p)
{
	const struct nfk_proto *pr;
	char name[64], f[64];
	size_t fl;

	if (p->tok.kind == T_SETREF)
		return parse_raw_payload(p);
	if (p->tok.kind != T_WORD)
		return NULL;
	nfk_tok_copy(name, sizeof(name), &p->tok);
	pr = nfk_proto_by_name(name);
	if (!pr || ps_peek(p)->kind != T_WORD)
		return NULL;
	fl = nfk_tok_copy(f, sizeof(f), &p->la);
	if (nfk_proto_field(pr, f))
		return parse_payload(p, pr);
	for (const struct nfk_hdr_field *hf = pr->fields; hf->name; hf++)
		if (!strncmp(hf->name, f, fl) && hf->name[fl] == ' ')
			return parse_payload(p, pr);
	return NULL;
}

/* ---- compile ----------------------------------------------------------- */

/* ICMP fields that exist only in some message types: nft matches the
 * type first (one value, or a set of them). */
static const struct { const char *proto, *field, *types[3]; } icmp_deps[] = {
	{ "icmp", "id", { "8", "0" } }, { "icmp", "sequence", { "8", "0" } },
	{ "icmp", "gateway", { "5" } }, { "icmp", "mtu", { "3" } },
	{ "icmpv6", "id", { "128", "129" } }, { "icmpv6", "sequence", { "128", "129" } },
	{ "icmpv6", "mtu", { "2" } }, { "icmpv6", "max-delay", { "130" } },
};

static bool icmp_type_dep(struct rctx *r, const struct ex *e)
{
	if (r->icmp_type_known)
		return true;
	for (size_t i = 0; i < sizeof(icmp_deps) / sizeof(icmp_deps[0]); i++) {
		if (strcmp(e->pl.proto->name, icmp_deps[i].proto) || strcmp(e->pl.field->name, icmp_deps[i].field))
			continue;
		const struct nfk_hdr_field *tf = nfk_proto_field(e->pl.proto, "type");
		if (!tf)
			return true;
		struct sel ts = { .dtype = tf->dtype, .bo = NFK_BO_BIG, .bits = 8, .len = 1,
				  .kind = EX_PAYLOAD, .base = NFT_PAYLOAD_TRANSPORT_HEADER };
		struct ex items[3], *v[3], set = { .kind = EX_SET, .loc = e->loc };
		size_t n = 0;
		for (; n < 3 && icmp_deps[i].types[n]; n++) {
			memset(&items[n], 0, sizeof(items[n]));
			items[n].kind = EX_SYM;
			items[n].loc = e->loc;
			items[n].s = icmp_deps[i].types[n];
			v[n] = &items[n];
		}
		set.v = v;
		set.n = n;
		if (!cc_emit_payload_load(r->b, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, NFT_REG_1))
			return false;
		if (n == 1) {
			uint8_t t = strtoul(v[0]->s, NULL, 10);
			return cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, &t, 1);
		}
		const struct kset *ks = cc_anon_set(r, &set, NULL, &ts, 1, NULL, false, &e->loc);
		return ks && cc_emit_lookup(r->b, ks->name, ks->id, NFT_REG_1, -1, false);
	}
	return true;
}

/* The fields that name the header after their own: nft joins a match on
 * one with an adjacent field only where the protocol field stood. */
static bool is_proto_key(const struct nfk_proto *pr, const struct nfk_hdr_field *f)
{
	static const struct { const char *proto, *field; } keys[] = {
		{ "ether", "type" }, { "vlan", "type" }, { "ip", "protocol" }, { "ip6", "nexthdr" },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(pr->name, keys[i].proto) && !strcmp(f->name, keys[i].field))
			return true;
	return false;
}

static bool payload_resolve(struct rctx *r, const struct ex *e, struct sel *s)
{
	const struct nfk_proto *pr = e->pl.proto;
	const struct nfk_hdr_field *f = e->pl.field;

	if (!cc_payload_dep(r, pr, &e->loc) || (strcmp(pr->name, "raw") && !icmp_type_dep(r, e)))
		return false;
	s->dtype = f->dtype;
	s->bo = f->bo ? f->bo : NFK_BO_BIG;
	s->base = pr->base == NFK_BASE_LL ? NFT_PAYLOAD_LL_HEADER :
		  pr->base == NFK_BASE_NETWORK ? NFT_PAYLOAD_NETWORK_HEADER :
		  pr->base == NFK_BASE_TRANSPORT ? NFT_PAYLOAD_TRANSPORT_HEADER :
						   NFT_PAYLOAD_INNER_HEADER;
	s->proto_key = is_proto_key(pr, f);
	cc_sel_bits(s, f->offset, f->bits);
	/* headers carried inside the Ethernet frame start after it */
	if (pr->base == NFK_BASE_LL && pr->ethertype)
		s->offset += 14 + r->vlan_off;
	return true;
}

static bool payload_load(struct rctx *r, const struct sel *s, unsigned dreg)
{
	uint8_t zero[NFK_REGS_LEN] = { 0 };

	if (!cc_emit_payload_load(r->b, s->base, s->offset, s->len, dreg))
		return false;
	r->last_plen = r->b->len - 4;
	return !s->masked || cc_emit_bitwise(r->b, dreg, s->mask, zero, s->len);
}

/* Checksum fix-up of a payload write, per header. */
static void payload_csum(const struct nfk_proto *pr, const struct nfk_hdr_field *f,
			 uint32_t *type, uint32_t *off, uint32_t *flags)
{
	static const struct { const char *proto; unsigned off; } csums[] = {
		{ "ip", 10 }, { "tcp", 16 }, { "udp", 6 }, { "icmp", 2 }, { "icmpv6", 2 },
		{ "udplite", 6 }, { "igmp", 2 },
	};
	*type = *off = *flags = 0;
	for (size_t i = 0; i < sizeof(csums) / sizeof(csums[0]); i++)
		if (!strcmp(pr->name, csums[i].proto)) {
			*type = NFT_PAYLOAD_CSUM_INET;
			*off = csums[i].off;
		}
	/* addresses are part of the transport pseudo header */
	if ((!strcmp(pr->name, "ip") || !strcmp(pr->name, "ip6")) &&
	    (!strcmp(f->name, "saddr") || !strcmp(f->name, "daddr") ||
	     !strcmp(f->name, "protocol") || !strcmp(f->name, "nexthdr")))
		*flags = NFT_PAYLOAD_L4CSUM_PSEUDOHDR;
}

/* A map lookup written to part of a header word: nft would combine it
 * with the bits around it and refuses (the field's position names the
 * operation it tried). */
static bool partial_map_err(struct rctx *r, const struct stmt *st, unsigned off, unsigned wlen)
{
	const struct ex *lhs = st->set.left, *m = st->set.right;
	struct kset tmp;

	if (m->b->kind == EX_SETREF && !cc_find_set(r->c, r->family, r->table, m->b->s, &tmp)) {
		cc_set_missing(r->c, &m->b->loc, r->family, r->table, m->b->s);
		return false;
	}
	unsigned shift = wlen * 8 - ((lhs->pl.field->offset - off * 8) % (wlen * 8)) - lhs->pl.field->bits;
	if (!shift) {
		cc_err(r->c, &lhs->loc, "Binary operation (^) is undefined for map expressions");
		return false;
	}
	struct nfk_loc loc = m->loc;
	if (m->b->loc.line == loc.line && m->b->loc.col_end > loc.col_end)
		loc.col_end = m->b->loc.col_end;
	cc_err_ctx(r->c, &loc, &lhs->loc, "Binary operation (<<) is undefined for map expressions");
	return false;
}

static bool payload_store(struct rctx *r, const struct stmt *st)
{
	const struct ex *lhs = st->set.left;
	struct sel s;
	uint8_t v[NFK_REGS_LEN];
	unsigned len;
	uint32_t ctype, coff, cflags;
	struct ebuf e;

	if (!cc_resolve(r, lhs, &s))
		return false;
	payload_csum(lhs->pl.proto, lhs->pl.field, &ctype, &coff, &cflags);
	unsigned off = s.offset, wlen = s.len;
	bool partial = s.masked;
	/* checksummed headers are updated in 16-bit words */
	if (ctype && (off % 2 || wlen % 2)) {
		partial = true;
		unsigned end = off + wlen;
		off &= ~1u;
		end = (end + 1) & ~1u;
		wlen = end - off;
	}
	len = s.len;
	if (st->set.right->kind != EX_SYM && st->set.right->kind != EX_STR) {
		if (partial && st->set.right->kind == EX_MAP)
			return partial_map_err(r, st, off, wlen);
		if (partial) {
			cc_err(r->c, &st->set.right->loc, "unsupported value for a set statement");
			return false;
		}
		struct sel s2;
		r->map_data = &s;
		r->map_ctx = &st->span;
		bool ok = cc_load_expr(r, st->set.right, &s2, NFT_REG_1);
		r->map_data = NULL;
		r->map_ctx = NULL;
		if (!ok)
			return false;
	} else if (partial) {
		/* read-modify-write: keep the bits around the field */
		uint8_t m[NFK_REGS_LEN], x[NFK_REGS_LEN] = { 0 };
		if (!cc_value(r->c, st->set.right, s.dtype, s.bo, lhs->pl.field->bits, v, &len))
			return false;
		uint64_t val = nfk_value_get_uint(v, len, NFK_BO_BIG);
		unsigned shift = (off + wlen) * 8 - (lhs->pl.field->offset + lhs->pl.field->bits) -
				 (s.offset - (lhs->pl.field->offset / 8)) * 8;
		shift = wlen * 8 - ((lhs->pl.field->offset - off * 8) % (wlen * 8)) - lhs->pl.field->bits;
		uint64_t fm = ((lhs->pl.field->bits >= 64 ? ~0ull : ((1ull << lhs->pl.field->bits) - 1)) << shift);
		nfk_value_put_uint(m, wlen, NFK_BO_BIG, ~fm);
		nfk_value_put_uint(x, wlen, NFK_BO_BIG, (val << shift) & fm);
		if (!cc_emit_payload_load(r->b, s.base, off, wlen, NFT_REG_1) ||
		    !cc_emit_bitwise(r->b, NFT_REG_1, m, x, wlen))
			return false;
	} else {
		if (!cc_sel_value(r->c, &s, st->set.right, v, &len) ||
		    !cc_emit_immediate(r->b, NFT_REG_1, v, len))
			return false;
	}
	return cc_expr_begin(r->b, &e, "payload") && nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_SREG, NFT_REG_1) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_BASE, s.base) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_OFFSET, off) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_LEN, wlen) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_CSUM_TYPE, ctype) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_CSUM_OFFSET, coff) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_CSUM_FLAGS, cflags) && cc_expr_end(r->b, &e);
}

/* ---- list -------------------------------------------------------------- */

/* A write of bytes that were loaded from the same place and masked is a
 * sub-field assignment (ip dscp set af23): the mask's zero bits are the
 * field, the xor is the value. */
static bool payload_field_set(struct dc_rule *r, FILE *f, const struct dc_rv *v,
			      const struct dc_rv *src)
{
	struct dc_rv sub;
	uint8_t inv[NFK_REGS_LEN], val[8];
	uint64_t x = 0;
	unsigned first = 0, n = 0, shift, nb;
	char sel[DC_TEXT];
	const struct nfk_dtype *dt;
	enum nfk_byteorder bo;
	unsigned bits;

	if (!src || src->kind != RV_PAYLOAD || !src->masked || src->base != v->base ||
	    src->off != v->off || src->len != v->len || v->len > 8)
		return false;
	for (unsigned i = 0; i < v->len; i++)
		inv[i] = (uint8_t)(src->mask[i] ^ 0xff);
	for (unsigned i = 0; i < v->len * 8; i++) {
		if (inv[i / 8] & (0x80 >> (i % 8))) {
			if (!n)
				first = i;
			n = i + 1 - first;
		}
	}
	if (!n)
		return false;
	/* render the field as the selector of an equivalent narrower load */
	sub = *v;
	sub.masked = false;
	shift = v->len * 8 - first - n;
	if (first % 8 == 0 && n % 8 == 0) {
		sub.off = v->off + first / 8;
		sub.len = n / 8;
		if (!dc_rv_render(r, &sub, sel, sizeof(sel), &dt, &bo, &bits))
			return false;
	} else {
		struct dc_rv m = *src;

		memcpy(m.mask, inv, v->len);
		memset(m.xor_, 0, sizeof(m.xor_));
		if (!dc_rv_field(r, &m, sel, sizeof(sel), &dt))
			return false;
		bo = NFK_BO_BIG;
	}
	for (unsigned i = 0; i < v->len; i++)
		x = x << 8 | src->xor_[i];
	x >>= shift;
	if (n < 64)
		x &= (1ull << n) - 1;
	nb = (n + 7) / 8;
	for (unsigned i = nb; i-- > 0;) {
		val[i] = (uint8_t)x;
		x >>= 8;
	}
	fprintf(f, "%s set ", sel);
	dc_print_typed(f, dt, NFK_BO_BIG, val, nb, r->o->print);
	(void)bo;
	return true;
}

static void stmt_payload_set(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	struct dc_rv v = { .kind = RV_PAYLOAD };
	char sel[DC_TEXT];
	const struct nfk_dtype *dt;
	enum nfk_byteorder bo;
	unsigned bits;

	v.base = dc_u32(e, NFTA_PAYLOAD_BASE, 0);
	v.off = dc_u32(e, NFTA_PAYLOAD_OFFSET, 0);
	v.len = dc_u32(e, NFTA_PAYLOAD_LEN, 0);
	if (v.len > 16)
		v.len = 16;
	if (payload_field_set(r, f, &v, dc_operand(r, e, NFTA_PAYLOAD_SREG)))
		return;
	dc_rv_render(r, &v, sel, sizeof(sel), &dt, &bo, &bits);
	fprintf(f, "%s set ", sel);
	dc_print_operand(r, f, dc_operand(r, e, NFTA_PAYLOAD_SREG), dt, bo, v.len);
}

static void payload_dc_load(struct dc_rule *r, const struct dc_expr *e)
{
	struct dc_rv v = { .kind = RV_PAYLOAD };

	if (!e->tb[NFTA_PAYLOAD_DREG]) {
		dc_stmt_run(r, e, stmt_payload_set);   /* payload write */
		return;
	}
	v.base = dc_u32(e, NFTA_PAYLOAD_BASE, 0);
	v.off = dc_u32(e, NFTA_PAYLOAD_OFFSET, 0);
	v.len = dc_u32(e, NFTA_PAYLOAD_LEN, 0);
	if (v.len > NFK_REGS_LEN || v.base > 3)
		v.kind = RV_NONE;
	dc_set_reg(r, dc_u32(e, NFTA_PAYLOAD_DREG, 0), &v);
}

/* ---- typeof: nft's number for the header, the field's position --------------- */

/* nft's protocol description numbers -> header names */
static const char *const proto_ids[] = {
	[1] = "ah", [2] = "esp", [3] = "comp", [4] = "icmp", [5] = "igmp", [6] = "udp",
	[7] = "udplite", [8] = "tcp", [9] = "dccp", [10] = "sctp", [11] = "th", [12] = "ip",
	[13] = "ip6", [14] = "icmpv6", [15] = "arp", [16] = "vlan", [17] = "ether",
};
#define NPROTO_IDS (sizeof(proto_ids) / sizeof(proto_ids[0]))

/* Where nft numbers a header's fields differently from proto.c's order. */
static const struct {
	const char *proto;
	unsigned field;
	const char *name;
} field_renames[] = {
	{ "igmp", 2, "checksum" }, { "igmp", 3, "mrt" }, { "icmpv6", 5, "mtu" },
};

/* attribute 0: the header's number (0: raw), 1: the field's 1-based
 * position in the header (0: raw), 4: its width when not whole bytes;
 * raw bits add 2: their base (nft's: link 1, network 2, transport 3,
 * inner 4), 3: their offset, 4: their width */
static bool payload_typeof_put(struct ud_buf *u, const struct ex *e)
{
	uint32_t id = 0, field = (uint32_t)(e->pl.field - e->pl.proto->fields) + 1;

	if (!strcmp(e->pl.proto->name, "raw"))
		return ud_put_u32(u, 0, 0) && ud_put_u32(u, 1, 0) &&
		       ud_put_u32(u, 2, (uint32_t)e->pl.proto->base + 1) &&
		       ud_put_u32(u, 3, e->pl.field->offset) && ud_put_u32(u, 4, e->pl.field->bits);
	for (uint32_t i = 1; i < NPROTO_IDS; i++)
		if (proto_ids[i] && !strcmp(proto_ids[i], e->pl.proto->name))
			id = i;
	return id && ud_put_u32(u, 0, id) && ud_put_u32(u, 1, field) &&
	       (e->pl.field->bits % 8 == 0 || ud_put_u32(u, 4, e->pl.field->bits));
}

static bool payload_typeof_print(FILE *f, const struct ud_tlv *d)
{
	uint32_t desc, field;
	const struct nfk_proto *pr;
	unsigned n = 0;

	if (!ud_get_u32(d, 0, &desc) || !ud_get_u32(d, 1, &field))
		return false;
	if (!desc && !field) {
		static const char *const bases[] = { NULL, "ll", "nh", "th", "ih" };
		uint32_t base, off, bits;

		if (!ud_get_u32(d, 2, &base) || !ud_get_u32(d, 3, &off) || !ud_get_u32(d, 4, &bits) ||
		    !base || base >= sizeof(bases) / sizeof(bases[0]))
			return false;
		fprintf(f, "@%s,%u,%u", bases[base], off, bits);
		return true;
	}
	if (desc >= NPROTO_IDS || !proto_ids[desc] || !(pr = nfk_proto_by_name(proto_ids[desc])) ||
	    !field)
		return false;
	for (size_t i = 0; i < sizeof(field_renames) / sizeof(field_renames[0]); i++) {
		if (field_renames[i].field == field && !strcmp(field_renames[i].proto, pr->name)) {
			fprintf(f, "%s %s", pr->name, field_renames[i].name);
			return true;
		}
	}
	while (pr->fields[n].name && n + 1 < field)
		n++;
	if (!pr->fields[n].name || n + 1 != field)
		return false;
	fprintf(f, "%s %s", pr->name, pr->fields[n].name);
	return true;
}

/* A set keyed by raw payload bits (typeof @nh,64,8): nft lists its
 * elements in hex. */
bool ks_typeof_raw(const uint8_t *udata, size_t ulen)
{
	struct ud_tlv v, d;
	uint32_t type, desc;
	size_t len;
	const uint8_t *p = ks_udata_get(udata, ulen, KS_UDATA_SET_KEY_TYPEOF, &len);

	if (!p || !ud_index(&v, p, len) || !ud_get_u32(&v, 0, &type) ||
	    type != nfk_lang_payload.typeofs[0].id || !v.v[1] || !ud_index(&d, v.v[1], v.l[1]) ||
	    !ud_get_u32(&d, 0, &desc))
		return false;
	return desc == 0;
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_payload = {
	.name = "payload",
	.selector = payload_selector,
	.ex_kinds = (const enum ex_kind[]){ EX_PAYLOAD, EX_NONE },
	.resolve = payload_resolve,
	.load = payload_load,
	.store = payload_store,
	.dc = (const struct lang_dc[]){ { "payload", payload_dc_load, NULL }, { NULL, NULL, NULL } },
	.typeofs = (const struct lang_typeof[]){
		{ EX_PAYLOAD, 7, payload_typeof_put, payload_typeof_print }, { EX_NONE, 0, NULL, NULL },
	},
};
