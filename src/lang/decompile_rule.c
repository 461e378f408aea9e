// SPDX-License-Identifier: MIT
/*
 * Decompiler core: registers, protocol context, matches (cmp, range,
 * lookup) and the removal of implied dependencies.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"

static const char *const op_text[] = {
	[NFT_CMP_EQ] = "", [NFT_CMP_NEQ] = "!= ", [NFT_CMP_LT] = "< ",
	[NFT_CMP_LTE] = "<= ", [NFT_CMP_GT] = "> ", [NFT_CMP_GTE] = ">= ",
};

void dc_rule_init(struct dc_rule *r, const struct nfk_kstate *ks, int family, const char *table,
		  const struct nfk_list_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->ks = ks;
	r->family = family;
	r->table = table;
	r->o = o;
	r->out = open_memstream(&r->buf, &r->blen);
	r->dep_ll = r->dep_l3 = r->dep_l4 = r->dep_vlan = r->dep_icmp = -1;
	switch (family) {
	case NFPROTO_IPV4: r->l3 = NFPROTO_IPV4; break;
	case NFPROTO_IPV6: r->l3 = NFPROTO_IPV6; break;
	case NFPROTO_ARP: r->l3 = NFPROTO_ARP; break;
	case NFPROTO_BRIDGE: case NFPROTO_NETDEV: r->ll_type = 1; break;
	default: break;
	}
	if (r->ll_type) {
		r->ll_proto[0] = nfk_proto_by_name("ether");
		r->ll_n = 1;
	}
}

struct dc_rv *dc_reg(struct dc_rule *r, uint32_t reg)
{
	/* The 16-byte registers alias four 4-byte ones each. */
	if (reg >= NFT_REG_1 && reg <= NFT_REG_4)
		reg = NFT_REG32_00 + (reg - NFT_REG_1) * 4;
	if (reg == NFT_REG_VERDICT)
		return &r->reg[0];
	if (reg < NFT_REG32_00 || reg > NFT_REG32_15)
		return NULL;
	return &r->reg[reg - NFT_REG32_00 + 1];
}

FILE *dc_stmt_begin(struct dc_rule *r)
{
	if (!r->out)
		return NULL;
	fflush(r->out);
	if (r->nst < DC_MAXSTMT)
		r->st[r->nst].start = (size_t)ftell(r->out);
	return r->out;
}

void dc_stmt_end(struct dc_rule *r, enum dc_dep dep)
{
	if (!r->out || r->nst >= DC_MAXSTMT)
		return;
	/* a vlan field implies "ether type 8021q" unless the statement using
	 * it is itself only a dependency (vlan type ip before ip saddr) */
	if (r->vlan_kill && dep == DEP_NONE && r->dep_vlan >= 0) {
		r->st[r->dep_vlan].dead = true;
		r->dep_vlan = -1;
	}
	r->vlan_kill = false;
	fflush(r->out);
	r->st[r->nst].end = (size_t)ftell(r->out);
	r->st[r->nst].dep = dep;
	r->st[r->nst].dead = false;
	r->nst++;
}

void dc_deps_reset(struct dc_rule *r)
{
	r->dep_ll = r->dep_l3 = r->dep_l4 = r->dep_vlan = r->dep_icmp = -1;
}

void dc_unknown(struct dc_rule *r, const char *name)
{
	FILE *f = dc_stmt_begin(r);

	if (f)
		fprintf(f, "unknown %s", name);
	dc_stmt_end(r, DEP_NONE);
}

static void flush_pending(struct dc_rule *r, const struct dc_expr *e);

int dc_rule_finish(struct dc_rule *r, FILE *f)
{
	const char *sep = "";
	struct dc_expr none = { .name = "" };

	if (!r->out)
		return -ENOMEM;
	flush_pending(r, &none);
	fclose(r->out);
	for (unsigned i = 0; i < r->nst; i++) {
		if (r->st[i].dead || r->st[i].end <= r->st[i].start || r->st[i].end > r->blen)
			continue;
		fprintf(f, "%s%.*s", sep, (int)(r->st[i].end - r->st[i].start), r->buf + r->st[i].start);
		sep = " ";
	}
	free(r->buf);
	return 0;
}

/* ---- protocol context --------------------------------------------------- */

static unsigned ethertype_nfproto(unsigned et)
{
	switch (et) {
	case 0x0800: return NFPROTO_IPV4;
	case 0x86dd: return NFPROTO_IPV6;
	case 0x0806: return NFPROTO_ARP;
	default: return 0;
	}
}

static unsigned nfproto_ethertype(unsigned p)
{
	switch (p) {
	case NFPROTO_IPV4: return 0x0800;
	case NFPROTO_IPV6: return 0x86dd;
	case NFPROTO_ARP: return 0x0806;
	default: return 0;
	}
}

static const struct nfk_proto *ctx_proto(const struct dc_rule *r, unsigned base)
{
	unsigned ll = r->ll_type == 1 ? 0 : r->ll_type;

	if (base == NFK_BASE_LL && !r->ll_type)
		return NULL;
	if (base == NFK_BASE_NETWORK && !r->l3)
		return NULL;
	return nfk_proto_at((enum nfk_base)base, r->l3, r->l4 ? r->l4 - 1 : 0,
			    ll ? ll : nfproto_ethertype(r->l3));
}

/* Marks the statement that established what a header at base needed. */
static void kill_deps(struct dc_rule *r, unsigned base, const struct nfk_proto *p)
{
	int *d = NULL;

	/* a statement's operands drop meta l4proto but not an explicit ip
	 * protocol (redirect to :tcp dport map {...} keeps it) */
	if (r->in_stmt && (base == NFK_BASE_TRANSPORT || base == NFK_BASE_INNER) &&
	    r->dep_l4_payload)
		return;

	if (base == NFK_BASE_TRANSPORT || base == NFK_BASE_INNER)
		d = &r->dep_l4;
	else if (base == NFK_BASE_NETWORK)
		d = &r->dep_l3;
	else
		d = &r->dep_ll;
	if (*d >= 0) {
		r->st[*d].dead = true;
		*d = -1;
	}
	if (base == NFK_BASE_LL && p && !strcmp(p->name, "vlan"))
		r->vlan_kill = true;
	/* icmp and icmpv6 also imply their layer 3 family */
	if (d == &r->dep_l4 && p && (p->l4num == 1 || p->l4num == 58) && r->dep_l3 >= 0 &&
	    (!r->l3 || r->l3 == p->nfproto)) {
		r->st[r->dep_l3].dead = true;
		r->dep_l3 = -1;
	}
}

/* ---- values ------------------------------------------------------------- */

static uint64_t be_get(const uint8_t *v, unsigned len)
{
	uint64_t x = 0;

	for (unsigned i = 0; i < len && i < 8; i++)
		x = x << 8 | v[i];
	return x;
}

static void be_put(uint8_t *v, unsigned len, uint64_t x)
{
	for (unsigned i = len; i-- > 0;) {
		v[i] = (uint8_t)x;
		x >>= 8;
	}
}

static bool all_zero(const uint8_t *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (v[i])
			return false;
	return true;
}

/* Contiguous run of one bits in a big-endian mask: first bit, count. */
static bool mask_run(const uint8_t *m, unsigned len, unsigned *first, unsigned *n)
{
	unsigned i, bits = len * 8, s = bits, e = 0;

	for (i = 0; i < bits; i++) {
		bool set = m[i / 8] & (0x80 >> (i % 8));

		if (set) {
			if (s == bits)
				s = i;
			e = i + 1;
		}
	}
	if (s == bits)
		return false;
	for (i = s; i < e; i++)
		if (!(m[i / 8] & (0x80 >> (i % 8))))
			return false;
	*first = s;
	*n = e - s;
	return true;
}

/* ---- rendering the selector of a register ----------------------------- */

/* icmp fields that share their place in the header with others: which
 * one a rule means follows from the icmp type it matched just before,
 * and that match then only served as the field's dependency. */
static const struct {
	const char *proto, *field;
	unsigned type;
} icmp_alts[] = {
	{ "icmpv6", "mtu", 2 }, { "icmpv6", "parameter-problem", 4 },
	{ "icmpv6", "max-delay", 130 }, { "icmpv6", "max-delay", 131 },
	{ "icmpv6", "max-delay", 132 },
	{ "icmp", "gateway", 5 }, { "icmp", "mtu", 3 },
};

static const struct nfk_hdr_field *icmp_field(struct dc_rule *r, const struct nfk_proto *p,
					      const struct nfk_hdr_field *fl)
{
	if (!fl || !r->icmp_type)
		return fl;
	for (size_t i = 0; i < sizeof(icmp_alts) / sizeof(icmp_alts[0]); i++) {
		const struct nfk_hdr_field *alt;

		if (strcmp(icmp_alts[i].proto, p->name) || icmp_alts[i].type + 1 != r->icmp_type)
			continue;
		alt = nfk_proto_field(p, icmp_alts[i].field);
		if (!alt || alt->offset != fl->offset || alt->bits != fl->bits)
			continue;
		if (r->dep_icmp >= 0) {
			r->st[r->dep_icmp].dead = true;
			r->dep_icmp = -1;
		}
		return alt;
	}
	return fl;
}

/* The link-layer header (ether, vlan...) that covers bit bit_off, or -1. */
static int ll_layer(const struct dc_rule *r, unsigned bit_off)
{
	for (unsigned i = r->ll_n; i-- > 0;)
		if (r->ll_start[i] <= bit_off)
			return (int)i;
	return -1;
}

static const struct nfk_hdr_field *payload_field(struct dc_rule *r, unsigned base, unsigned bit_off,
						 unsigned bits, const struct nfk_proto **pp)
{
	const struct nfk_proto *p;
	int l;

	if (base == NFK_BASE_LL) {
		l = ll_layer(r, bit_off);
		*pp = l >= 0 ? r->ll_proto[l] : NULL;
		if (!*pp)
			return NULL;
		return nfk_proto_field_at(*pp, bit_off - r->ll_start[l], bits);
	}
	p = ctx_proto(r, base);
	*pp = p;
	if (!p)
		return NULL;
	return icmp_field(r, p, nfk_proto_field_at(p, bit_off, bits));
}

/* ---- extension headers ---------------------------------------------- */

/* How nft spells each exthdr family: field prefix, existence prefix, and
 * which protocol-context match the header implies. */
static const struct {
	const char *prefix, *exists;
	unsigned base;
} xops[] = {
	[NFT_EXTHDR_OP_IPV6] = { "", "exthdr ", NFK_BASE_NETWORK },
	[NFT_EXTHDR_OP_TCPOPT] = { "tcp option ", "tcp option ", NFK_BASE_TRANSPORT },
	[NFT_EXTHDR_OP_IPV4] = { "ip option ", "ip option ", NFK_BASE_NETWORK },
	[NFT_EXTHDR_OP_SCTP] = { "sctp chunk ", "sctp chunk ", NFK_BASE_TRANSPORT },
	[NFT_EXTHDR_OP_DCCP] = { "dccp option ", "dccp option ", NFK_BASE_TRANSPORT },
};
#define NXOPS (sizeof(xops) / sizeof(xops[0]))

static void kill_deps(struct dc_rule *r, unsigned base, const struct nfk_proto *p);

/* Segment routing header fields (routing header 43, as nft names them;
 * rt0's addresses lie where srh's segments do and nft lists them so). */
static const struct nfk_hdr_field srh_fields[] = {
	{ "last-entry", 32, 8, &nfk_dtypes[NFK_TYPE_INTEGER], NFK_BO_BIG },
	{ "flags", 40, 8, &nfk_dtypes[NFK_TYPE_INTEGER], NFK_BO_BIG },
	{ "tag", 48, 16, &nfk_dtypes[NFK_TYPE_INTEGER], NFK_BO_BIG },
	{ "sid", 64, 128, &nfk_dtypes[NFK_TYPE_IP6ADDR], NFK_BO_BIG },
	{ NULL, 0, 0, NULL, NFK_BO_INVALID },
};

static bool srh_field(const struct dc_rv *rv, unsigned boff, unsigned bits, char *text,
		      size_t size, const struct nfk_hdr_field **fl)
{
	if (rv->xop != NFT_EXTHDR_OP_IPV6 || rv->key != 43)
		return false;
	for (const struct nfk_hdr_field *f = srh_fields; f->name; f++) {
		if (f->bits != bits)
			continue;
		if (f->bits == 128 && boff >= f->offset && (boff - f->offset) % 128 == 0) {
			snprintf(text, size, "srh sid[%u]", (boff - f->offset) / 128 + 1);
			*fl = f;
			return true;
		}
		if (f->offset == boff) {
			snprintf(text, size, "srh %s", f->name);
			*fl = f;
			return true;
		}
	}
	return false;
}

/* Names an exthdr register's bits; *fl is NULL for "@type,off,len" and
 * existence forms.  false when the operation is unknown. */
static bool exthdr_name(struct dc_rule *r, const struct dc_rv *rv, unsigned boff, unsigned bits,
			char *text, size_t size, const struct nfk_hdr_field **fl)
{
	const struct nfk_exthdr *x;

	*fl = NULL;
	if (rv->xop >= NXOPS || !xops[rv->xop].prefix)
		return false;
	kill_deps(r, xops[rv->xop].base, NULL);
	if (rv->present) {
		x = nfk_exthdr_by_type(rv->xop, rv->key);
		if (x)
			snprintf(text, size, "%s%s", xops[rv->xop].exists, x->name);
		else
			snprintf(text, size, "%s%u", xops[rv->xop].exists, rv->key);
		return true;
	}
	x = nfk_exthdr_field_at(rv->xop, rv->key, boff, bits, fl);
	if (x)
		snprintf(text, size, "%s%s %s", xops[rv->xop].prefix, x->name, (*fl)->name);
	else if (!srh_field(rv, boff, bits, text, size, fl))
		snprintf(text, size, "%s@%u,%u,%u", xops[rv->xop].prefix, rv->key, boff, bits);
	return true;
}

/* Names the header field at (boff, bits) of a payload or exthdr register
 * ("ip dscp", "tcp option maxseg size"); NULL when no field is there. */
static const struct nfk_hdr_field *hdr_field(struct dc_rule *r, const struct dc_rv *rv,
					     unsigned boff, unsigned bits, char *text, size_t size)
{
	const struct nfk_hdr_field *fl = NULL;
	const struct nfk_proto *p;

	if (rv->kind == RV_PAYLOAD) {
		fl = payload_field(r, rv->base, boff, bits, &p);
		if (!fl)
			return NULL;
		snprintf(text, size, "%s %s", p->name, fl->name);
		kill_deps(r, rv->base, p);
		return fl;
	}
	if (rv->kind == RV_EXTHDR && !rv->present && exthdr_name(r, rv, boff, bits, text, size, &fl))
		return fl;
	return NULL;
}

static const char *const base_names[] = { "ll", "nh", "th", "ih" };

bool dc_rv_render(struct dc_rule *r, const struct dc_rv *rv, char *text, size_t size,
		  const struct nfk_dtype **dt, enum nfk_byteorder *bo, unsigned *bits)
{
	const struct nfk_key *k;

	*dt = NULL;
	*bo = NFK_BO_BIG;
	*bits = rv->len * 8;
	switch (rv->kind) {
	case RV_PAYLOAD: {
		const struct nfk_hdr_field *fl = hdr_field(r, rv, rv->off * 8, rv->len * 8, text, size);

		if (fl) {
			*dt = fl->dtype;
			*bo = fl->bo;
			*bits = fl->bits;
		} else {
			snprintf(text, size, "@%s,%u,%u", base_names[rv->base & 3], rv->off * 8, rv->len * 8);
			*dt = NULL;   /* raw bits: printed in hex */
		}
		return true;
	}
	case RV_META:
		k = nfk_meta_key_by_num(rv->key);
		if (!k)
			return false;
		if (k->flags & NFK_KEY_PRINT_BARE)
			snprintf(text, size, "%s", k->name);
		else
			snprintf(text, size, "meta %s", k->name);
		*dt = k->dtype;
		*bo = k->bo;
		*bits = k->bits ? k->bits : rv->len * 8;
		return true;
	case RV_CT: {
		unsigned kb = 0;

		k = nfk_ct_key_by_num(rv->key);
		if (!k)
			return false;
		if (rv->dir != UINT32_MAX && (k->flags & NFK_KEY_DIR_ONLY) && !k->dtype &&
		    (r->l3 == NFPROTO_IPV4 || r->l3 == NFPROTO_IPV6)) {
			snprintf(text, size, "ct %s %s %s", rv->dir ? "reply" : "original",
				 r->l3 == NFPROTO_IPV4 ? "ip" : "ip6", k->name);
			if (r->dep_l3 >= 0) {
				r->st[r->dep_l3].dead = true;
				r->dep_l3 = -1;
			}
		} else if (rv->dir != UINT32_MAX)
			snprintf(text, size, "ct %s %s", rv->dir ? "reply" : "original", k->name);
		else
			snprintf(text, size, "ct %s", k->name);
		*dt = k->dtype;
		*bo = k->bo;
		*bits = k->bits ? k->bits : rv->len * 8;
		if (!*dt) {
			*dt = nfk_ct_key_dtype(k, r->l3, &kb);
			if (kb)
				*bits = kb;
		}
		return true;
	}
	case RV_EXTHDR: {
		const struct nfk_hdr_field *fl;

		if (!exthdr_name(r, rv, rv->off * 8, rv->len * 8, text, size, &fl))
			return false;
		*dt = fl ? fl->dtype : rv->present ? nfk_dtype_by_name("boolean") :
					nfk_dtype_by_name("integer");
		if (fl)
			*bits = fl->bits;
		return true;
	}
	case RV_TEXT:
		snprintf(text, size, "%s", rv->text);
		*dt = rv->dtype;
		*bo = rv->bo ? rv->bo : (rv->dtype ? nfk_dtype_bo(rv->dtype) : NFK_BO_BIG);
		return true;
	default:
		return false;
	}
}

/* ---- loads -------------------------------------------------------------- */

void dc_set_reg(struct dc_rule *r, uint32_t reg, const struct dc_rv *v)
{
	struct dc_rv *d = dc_reg(r, reg);

	if (d)
		*d = *v;
}

static void do_immediate(struct dc_rule *r, const struct dc_expr *e)
{
	uint32_t dreg = dc_u32(e, NFTA_IMMEDIATE_DREG, 0);
	struct dc_rv v = { .kind = RV_IMM };
	const char *chain = NULL;
	const uint8_t *val;
	size_t len;

	if (dc_data_verdict(e->tb[NFTA_IMMEDIATE_DATA], &v.code, &chain)) {
		v.verdict = true;
		snprintf(v.chain, sizeof(v.chain), "%s", chain ? chain : "");
		if (dreg == NFT_REG_VERDICT) {
			FILE *f = dc_stmt_begin(r);

			dc_print_verdict(f, v.code, chain);
			dc_stmt_end(r, DEP_NONE);
			return;
		}
	} else if ((val = dc_data_value(e->tb[NFTA_IMMEDIATE_DATA], &len)) && len <= DC_VAL) {
		memcpy(v.val, val, len);
		v.len = (unsigned)len;
	} else {
		dc_unknown(r, "immediate");
		return;
	}
	dc_set_reg(r, dreg, &v);
}

static void do_bitwise(struct dc_rule *r, const struct dc_expr *e)
{
	struct dc_rv *s = dc_reg(r, dc_u32(e, NFTA_BITWISE_SREG, 0));
	struct dc_rv v;
	uint32_t op = dc_u32(e, NFTA_BITWISE_OP, NFT_BITWISE_BOOL);
	size_t ml = 0, xl = 0;
	const uint8_t *m, *x;

	if (!s) {
		dc_unknown(r, "bitwise");
		return;
	}
	v = *s;
	if (op == NFT_BITWISE_BOOL) {
		m = dc_data_value(e->tb[NFTA_BITWISE_MASK], &ml);
		x = dc_data_value(e->tb[NFTA_BITWISE_XOR], &xl);
		if (m && ml <= 16) {
			memcpy(v.mask, m, ml);
			v.masked = true;
		}
		if (x && xl <= 16)
			memcpy(v.xor_, x, xl);
	} else if (op == NFT_BITWISE_RSHIFT) {
		size_t dl;
		const uint8_t *d = dc_data_value(e->tb[NFTA_BITWISE_DATA], &dl);
		uint32_t sh = 0;

		if (d && dl == 4)
			memcpy(&sh, d, 4);
		v.shift += sh;
	} else if (op == NFT_BITWISE_LSHIFT) {
		size_t dl;
		const uint8_t *d = dc_data_value(e->tb[NFTA_BITWISE_DATA], &dl);
		uint32_t sh = 0;

		if (d && dl == 4)
			memcpy(&sh, d, 4);
		v.lshift += sh;
	}
	dc_set_reg(r, dc_u32(e, NFTA_BITWISE_DREG, 0), &v);
}

static void do_byteorder(struct dc_rule *r, const struct dc_expr *e)
{
	struct dc_rv *s = dc_reg(r, dc_u32(e, NFTA_BYTEORDER_SREG, 0));
	struct dc_rv v;

	if (!s) {
		dc_unknown(r, "byteorder");
		return;
	}
	v = *s;
	v.byteorder = true;
	dc_set_reg(r, dc_u32(e, NFTA_BYTEORDER_DREG, 0), &v);
}

/* ---- matches ------------------------------------------------------------ */

static void print_value(struct dc_rule *r, FILE *f, const struct nfk_dtype *dt,
			enum nfk_byteorder bo, const uint8_t *v, size_t len)
{
	dc_print_typed(f, dt, bo, v, len, r->o->print);
}

static void print_mask_value(struct dc_rule *r, FILE *f, const struct nfk_dtype *dt,
			     enum nfk_byteorder bo, const uint8_t *v, size_t len);

/* The bitwise operations of a register, (x & mask) ^ xor, as nft writes
 * them: "& m", "| c" (mask == ~c), "^ c" (mask all ones), "& m | c". */
static void print_binops(struct dc_rule *r, FILE *f, const struct dc_rv *rv,
			 const struct nfk_dtype *dt, enum nfk_byteorder bo)
{
	bool zero = all_zero(rv->xor_, rv->len), is_or = !zero, ones = true, disjoint = true;

	for (unsigned i = 0; i < rv->len && i < 16; i++) {
		if (rv->mask[i] + rv->xor_[i] != 0xff)
			is_or = false;
		if (rv->mask[i] != 0xff)
			ones = false;
		if (rv->mask[i] & rv->xor_[i])
			disjoint = false;
	}
	if (zero || (!is_or && !ones)) {
		/* "& m | c" was compiled to mask m & ~c: show m again */
		uint8_t m[16];

		for (unsigned i = 0; i < rv->len && i < 16; i++)
			m[i] = disjoint && !zero ? rv->mask[i] | rv->xor_[i] : rv->mask[i];
		fputs(" & ", f);
		print_mask_value(r, f, dt, bo, m, rv->len);
	}
	if (!zero) {
		fputs(is_or || (!ones && disjoint) ? " | " : " ^ ", f);
		print_mask_value(r, f, dt, bo, rv->xor_, rv->len);
	}
}

/* An interface name compared as a string: a compare that stops short of
 * the terminating NUL is a prefix match, "eth*"; a literal '*' is "\*". */
static void print_wildcard(FILE *f, const uint8_t *v, size_t len)
{
	size_t n = strnlen((const char *)v, len);

	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '*' || v[i] == '"' || v[i] == '\\')
			fputc('\\', f);
		fputc(v[i], f);
	}
	if (n == len)
		fputc('*', f);
	fputc('"', f);
}

/* Prints "value" or a bitmask type's list as "(a | b)" for "& mask" forms. */
static void print_mask_value(struct dc_rule *r, FILE *f, const struct nfk_dtype *dt,
			     enum nfk_byteorder bo, const uint8_t *v, size_t len)
{
	char buf[256];
	FILE *m = fmemopen(buf, sizeof(buf), "w");

	if (!m)
		return;
	print_value(r, m, dt, bo, v, len);
	fputc(0, m);
	fclose(m);
	buf[sizeof(buf) - 1] = 0;
	if (strchr(buf, ',')) {
		fputc('(', f);
		for (char *p = buf; *p; p++) {
			if (*p == ',')
				fputs(" | ", f);
			else
				fputc(*p, f);
		}
		fputc(')', f);
	} else {
		fputs(buf, f);
	}
}

static enum dc_dep dep_of(struct dc_rule *r, const struct dc_rv *rv, const char *sel,
			  const uint8_t *v, size_t len)
{
	uint64_t x;

	if (rv->kind == RV_META && rv->key == NFT_META_L4PROTO && len >= 1) {
		r->l4 = v[0] + 1u;
		return DEP_L4;
	}
	if (rv->kind == RV_META && rv->key == NFT_META_IIFTYPE && len >= 2 &&
	    nfk_value_get_uint(v, 2, NFK_BO_HOST) == 1) {
		/* ARPHRD_ETHER: an ethernet header is there to match */
		if (!r->ll_n) {
			r->ll_proto[0] = nfk_proto_by_name("ether");
			r->ll_start[0] = 0;
			r->ll_n = 1;
			r->ll_type = 1;
		}
		return DEP_LL;
	}
	if (rv->kind == RV_META && rv->key == NFT_META_NFPROTO && len >= 1) {
		r->l3 = v[0];
		return DEP_L3;
	}
	if (rv->kind == RV_META && rv->key == NFT_META_PROTOCOL && len >= 2) {
		x = be_get(v, 2);
		r->ll_type = (unsigned)x;
		r->l3 = ethertype_nfproto((unsigned)x);
		return DEP_L3;
	}
	if (rv->kind != RV_PAYLOAD)
		return DEP_NONE;
	if (!strcmp(sel, "ip protocol") || !strcmp(sel, "ip6 nexthdr")) {
		r->l4 = v[0] + 1u;
		/* nft only takes these for the implied dependency in ip and ip6
		 * tables; elsewhere (inet, bridge, netdev) it implies meta
		 * l4proto, so an explicit `ip protocol icmp` stays listed. */
		return r->family == NFPROTO_IPV4 || r->family == NFPROTO_IPV6 ? DEP_L4 : DEP_NONE;
	}
	if ((!strcmp(sel, "icmp type") || !strcmp(sel, "icmpv6 type")) && len >= 1) {
		r->icmp_type = v[0] + 1u;
		return DEP_ICMP;
	}
	if (!strcmp(sel, "ether type") || !strcmp(sel, "vlan type")) {
		int l = ll_layer(r, rv->off * 8);

		x = be_get(v, 2);
		if ((x == 0x8100 || x == 0x88a8) && l >= 0 && (unsigned)l + 1 == r->ll_n &&
		    r->ll_n < 4) {
			/* a vlan tag follows the header this type belongs to; nft
			 * only takes an outer 802.1q as implied */
			r->ll_proto[r->ll_n] = nfk_proto_by_name("vlan");
			r->ll_start[r->ll_n] = r->ll_start[l] + r->ll_proto[l]->hdr_bits;
			r->ll_n++;
			return x == 0x8100 && l == 0 ? DEP_VLAN : DEP_NONE;
		}
		r->ll_type = (unsigned)x;
		r->l3 = ethertype_nfproto((unsigned)x);
		return DEP_L3;
	}
	return DEP_NONE;
}

static void end_match(struct dc_rule *r, enum dc_dep dep)
{
	int idx = (int)r->nst;

	dc_stmt_end(r, dep);
	if (dep == DEP_L4) {
		r->dep_l4 = idx;
		r->dep_l4_payload = r->last_payload;
	}
	else if (dep == DEP_L3)
		r->dep_l3 = idx;
	else if (dep == DEP_LL)
		r->dep_ll = idx;
	else if (dep == DEP_VLAN)
		r->dep_vlan = idx;
	else if (dep == DEP_ICMP)
		r->dep_icmp = idx;
}

/* The header field a contiguous mask on a payload/exthdr register selects
 * (ip version, ip dscp, tcp option mptcp subtype): its name in text, and
 * the view that turns the register's bytes into the field's value. */
static const struct nfk_hdr_field *masked_field(struct dc_rule *r, const struct dc_rv *rv,
						char *text, size_t size, struct dc_view *view)
{
	unsigned first, n;
	const struct nfk_hdr_field *fl;

	if ((rv->kind != RV_PAYLOAD && rv->kind != RV_EXTHDR) || !rv->masked || rv->len > 8 ||
	    !all_zero(rv->xor_, rv->len) || !mask_run(rv->mask, rv->len, &first, &n))
		return NULL;
	fl = hdr_field(r, rv, rv->off * 8 + first, n, text, size);
	if (!fl)
		return NULL;
	view->dtype = fl->dtype;
	view->shift = rv->len * 8 - first - n;
	view->bits = n;
	return fl;
}

bool dc_rv_field(struct dc_rule *r, const struct dc_rv *rv, char *text, size_t size,
		 const struct nfk_dtype **dt)
{
	struct dc_view view;

	if (!masked_field(r, rv, text, size, &view))
		return false;
	*dt = view.dtype;
	return true;
}

/* A match whose mask selects a sub-field. */
static bool payload_subfield(struct dc_rule *r, const struct dc_rv *rv, uint32_t op,
			     const uint8_t *data, size_t dlen)
{
	char sel[DC_TEXT];
	struct dc_view view;
	uint8_t val[8];
	unsigned nb;
	uint64_t x;
	FILE *f;

	if (dlen < rv->len || !masked_field(r, rv, sel, sizeof(sel), &view))
		return false;
	x = be_get(data, rv->len) >> view.shift;
	x &= view.bits >= 64 ? ~0ull : ((1ull << view.bits) - 1);
	nb = (view.bits + 7) / 8;
	be_put(val, nb, x);
	f = dc_stmt_begin(r);
	fprintf(f, "%s %s", sel, op < 6 ? op_text[op] : "");
	print_value(r, f, view.dtype, NFK_BO_BIG, val, nb);
	end_match(r, DEP_NONE);
	return true;
}

static enum dc_dep dep_of(struct dc_rule *r, const struct dc_rv *rv, const char *sel,
			  const uint8_t *v, size_t len);

/* One load of adjacent fields compared at once (nft merges them). */
static bool payload_split(struct dc_rule *r, const struct dc_rv *rv, uint32_t op,
			  const uint8_t *data, size_t dlen)
{
	const struct nfk_proto *p = ctx_proto(r, rv->base);
	unsigned at = rv->off * 8, end = at + rv->len * 8;
	const struct nfk_hdr_field *fl[8];
	unsigned nf = 0;
	bool sub = false;

	if (!p || op != NFT_CMP_EQ || dlen < rv->len)
		return false;
	while (at < end && nf < 8) {
		const struct nfk_hdr_field *best = NULL;

		for (const struct nfk_hdr_field *x = p->fields; x->name; x++)
			if (x->offset == at && at + x->bits <= end && (!best || x->bits > best->bits))
				best = x;
		if (!best)
			return false;
		sub |= best->bits % 8 || best->offset % 8;
		fl[nf++] = best;
		at += best->bits;
	}
	/* fields smaller than a byte are cut out of one integer */
	if (at != end || (sub && rv->len > 8))
		return false;
	kill_deps(r, rv->base, p);
	at = rv->off * 8;
	for (unsigned i = 0; i < nf; i++) {
		FILE *f = dc_stmt_begin(r);
		unsigned o = (fl[i]->offset - at) / 8, nb = (fl[i]->bits + 7) / 8;
		struct dc_rv part = *rv;
		const uint8_t *val = data + o;
		uint8_t cut[8];
		char sel[DC_TEXT];

		if (sub) {
			uint64_t x = be_get(data, rv->len) >> (end - fl[i]->offset - fl[i]->bits);

			if (fl[i]->bits < 64)
				x &= (1ull << fl[i]->bits) - 1;
			be_put(cut, nb, x);
			val = cut;
		}
		part.off = fl[i]->offset / 8;
		part.len = nb;
		snprintf(sel, sizeof(sel), "%s %s", p->name, fl[i]->name);
		/* nft splits into explicit "==" matches: visible on flag types */
		fprintf(f, "%s %s", sel, fl[i]->dtype && fl[i]->dtype->bitmask ? "== " : "");
		print_value(r, f, fl[i]->dtype, fl[i]->bo, val, nb);
		end_match(r, fl[i]->bits % 8 ? DEP_NONE : dep_of(r, &part, sel, val, nb));
	}
	return true;
}

/* A prefix match on whole bytes loads only the prefix (ip saddr 10.0.0.0/8
 * is a 1-byte load): print it as field value/prefix length. */
static bool payload_short_prefix(struct dc_rule *r, const struct dc_rv *rv, uint32_t op,
				 const uint8_t *data, size_t dlen)
{
	const struct nfk_proto *p = ctx_proto(r, rv->base);
	uint8_t full[16] = { 0 };
	FILE *f;

	/* not of "th" (no transport protocol known): nft leaves those raw */
	if (!p || !strcmp(p->name, "th") || (op != NFT_CMP_EQ && op != NFT_CMP_NEQ) || dlen > 16)
		return false;
	for (const struct nfk_hdr_field *x = p->fields; x->name; x++) {
		if (x->offset != rv->off * 8 || x->bits <= rv->len * 8 || x->bits % 8 || x->bits > 128)
			continue;
		kill_deps(r, rv->base, p);
		memcpy(full, data, dlen < rv->len ? dlen : rv->len);
		f = dc_stmt_begin(r);
		fprintf(f, "%s %s %s", p->name, x->name, op_text[op]);
		print_value(r, f, x->dtype, x->bo, full, x->bits / 8);
		fprintf(f, "/%u", rv->len * 8);
		end_match(r, DEP_NONE);
		return true;
	}
	return false;
}

/* "sel a-b" (or "!= a-b"), with a masked sub-field's bounds shifted. */
static void range_match(struct dc_rule *r, struct dc_rv *rv, bool neq, const uint8_t *a,
			const uint8_t *b, size_t len)
{
	char sel[DC_TEXT];
	const struct nfk_dtype *dt;
	enum nfk_byteorder bo;
	unsigned bits;
	struct dc_view view;
	uint8_t va[8], vb[8];
	FILE *f;

	if (rv->masked && len >= rv->len && masked_field(r, rv, sel, sizeof(sel), &view)) {
		uint64_t m = view.bits >= 64 ? ~0ull : (1ull << view.bits) - 1;
		unsigned nb = (view.bits + 7) / 8;

		be_put(va, nb, (be_get(a, rv->len) >> view.shift) & m);
		be_put(vb, nb, (be_get(b, rv->len) >> view.shift) & m);
		a = va;
		b = vb;
		len = nb;
		dt = view.dtype;
		bo = NFK_BO_BIG;
	} else if (!dc_rv_render(r, rv, sel, sizeof(sel), &dt, &bo, &bits)) {
		dc_unknown(r, "range");
		return;
	}
	if (rv->byteorder)
		bo = NFK_BO_BIG;
	f = dc_stmt_begin(r);
	fprintf(f, "%s %s", sel, neq ? "!= " : "");
	dc_print_bound(f, dt, bo, a, len, r->o->print);
	fputc('-', f);
	dc_print_bound(f, dt, bo, b, len, r->o->print);
	end_match(r, DEP_NONE);
}

static void cmp_match(struct dc_rule *r, struct dc_rv *rv, uint32_t op, const uint8_t *data,
		      size_t dlen);

static void do_cmp(struct dc_rule *r, const struct dc_expr *e)
{
	uint32_t reg = dc_u32(e, NFTA_CMP_SREG, 0);
	struct dc_rv *rv = dc_reg(r, reg);
	uint32_t op = dc_u32(e, NFTA_CMP_OP, 0);
	const uint8_t *data;
	size_t dlen;

	data = dc_data_value(e->tb[NFTA_CMP_DATA], &dlen);
	if (!rv || !data || op > NFT_CMP_GTE || rv->kind == RV_NONE || rv->kind == RV_IMM) {
		dc_unknown(r, "cmp");
		return;
	}
	/* nft turns a range into ">= a" and "<= b" on the same register */
	if (op == NFT_CMP_GTE && dlen <= DC_VAL) {
		r->pend = true;
		r->pend_reg = reg;
		memcpy(r->pend_val, data, dlen);
		r->pend_len = dlen;
		return;
	}
	if (op == NFT_CMP_LTE && r->pend_done_reg == reg + 1 && r->pend_len == dlen) {
		r->pend_done_reg = 0;
		range_match(r, rv, false, r->pend_val, data, dlen);
		return;
	}
	cmp_match(r, rv, op, data, dlen);
}

static void cmp_match(struct dc_rule *r, struct dc_rv *rv, uint32_t op, const uint8_t *data,
		      size_t dlen)
{
	char sel[DC_TEXT];
	const struct nfk_dtype *dt;
	enum nfk_byteorder bo;
	unsigned bits;
	FILE *f;

	if (rv->kind == RV_PAYLOAD) {
		const struct nfk_proto *p;
		const struct nfk_hdr_field *fl =
			payload_field(r, rv->base, rv->off * 8, rv->len * 8, &p);

		if (rv->masked && !fl && payload_subfield(r, rv, op, data, dlen))
			return;
		if (!rv->masked && !fl && payload_split(r, rv, op, data, dlen))
			return;
		if (!rv->masked && !fl && payload_short_prefix(r, rv, op, data, dlen))
			return;
	}
	if (rv->kind == RV_EXTHDR && rv->masked && payload_subfield(r, rv, op, data, dlen))
		return;
	if (!dc_rv_render(r, rv, sel, sizeof(sel), &dt, &bo, &bits)) {
		dc_unknown(r, "cmp");
		return;
	}
	if (rv->kind == RV_EXTHDR && rv->present) {
		f = dc_stmt_begin(r);
		/* -n prints the boolean as a number */
		if (r->o->print & NFK_PRINT_NUMERIC)
			fprintf(f, "%s %s%d", sel, op == NFT_CMP_NEQ ? "!= " : "", !all_zero(data, dlen));
		else
			fprintf(f, "%s %s%s", sel, op == NFT_CMP_NEQ ? "!= " : "",
				all_zero(data, dlen) ? "missing" : "exists");
		end_match(r, DEP_NONE);
		return;
	}
	if (rv->byteorder)
		bo = NFK_BO_BIG;
	f = dc_stmt_begin(r);
	if (rv->masked && !all_zero(rv->xor_, rv->len)) {
		fputs(sel, f);
		print_binops(r, f, rv, dt, bo);
		fprintf(f, " %s", op == NFT_CMP_EQ ? "== " : op_text[op]);
		print_mask_value(r, f, dt, bo, data, dlen);
		end_match(r, DEP_NONE);
		return;
	}
	if (rv->masked) {
		unsigned first = 0, n = 0, len = rv->len;
		uint8_t m[16];
		bool run, prefix, full, one;

		/* judge the mask in network order whatever the key's order */
		for (unsigned i = 0; i < len && i < 16; i++)
			m[i] = bo == NFK_BO_HOST ? rv->mask[len - 1 - i] : rv->mask[i];
		run = len <= 16 && mask_run(m, len, &first, &n);
		prefix = run && first == 0 && (op == NFT_CMP_EQ || op == NFT_CMP_NEQ);
		full = run && n == len * 8;
		one = run && n == 1;

		if (prefix && dt && !dt->bitmask && n < len * 8) {
			fprintf(f, "%s %s", sel, op_text[op]);
			print_value(r, f, dt, bo, data, dlen);
			fprintf(f, "/%u", n);
		} else if (dt && dt->bitmask && all_zero(data, dlen) &&
			   (op == NFT_CMP_NEQ || op == NFT_CMP_EQ)) {
			fprintf(f, "%s %s", sel, op == NFT_CMP_EQ ? "! " : "");
			print_value(r, f, dt, bo, rv->mask, len);
		} else if (dt && dt->bitmask && full && op == NFT_CMP_EQ) {
			/* nft drops an all-ones mask and prints the raw value */
			fprintf(f, "%s == 0x%" PRIx64, sel, be_get(data, dlen < 8 ? (unsigned)dlen : 8));
		} else if (dt && dt->bitmask && !one && (op == NFT_CMP_NEQ || op == NFT_CMP_EQ)) {
			fprintf(f, "%s %s", sel, op_text[op]);
			print_value(r, f, dt, bo, data, dlen);
			fputs(" / ", f);
			print_value(r, f, dt, bo, rv->mask, len);
		} else {
			fprintf(f, "%s & ", sel);
			print_mask_value(r, f, dt, bo, rv->mask, len);
			fprintf(f, " %s", op == NFT_CMP_EQ ? "== " : op_text[op]);
			print_mask_value(r, f, dt, bo, data, dlen);
		}
		end_match(r, DEP_NONE);
		return;
	}
	if (dt && nfk_dtype_is(dt, NFK_DTYPE(STRING)) && (op == NFT_CMP_EQ || op == NFT_CMP_NEQ)) {
		fprintf(f, "%s %s", sel, op_text[op]);
		print_wildcard(f, data, dlen);
	} else if (dt && (dt->id == NFK_TYPE_IPADDR || dt->id == NFK_TYPE_IP6ADDR) &&
		   dlen < nfk_dtype_len(dt) && (op == NFT_CMP_EQ || op == NFT_CMP_NEQ)) {
		/* a prefix on whole bytes compares only those bytes */
		uint8_t full[16] = { 0 };

		memcpy(full, data, dlen);
		fprintf(f, "%s %s", sel, op_text[op]);
		print_value(r, f, dt, bo, full, nfk_dtype_len(dt));
		fprintf(f, "/%zu", dlen * 8);
	} else {
		fprintf(f, "%s %s", sel, op == NFT_CMP_EQ && dt && dt->bitmask &&
			!all_zero(data, dlen) ? "== " : op_text[op]);
		print_value(r, f, dt, bo, data, dlen);
	}
	r->last_payload = rv->kind == RV_PAYLOAD;
	end_match(r, op == NFT_CMP_EQ ? dep_of(r, rv, sel, data, dlen) : DEP_NONE);
	r->last_payload = false;
}

static void do_range(struct dc_rule *r, const struct dc_expr *e)
{
	struct dc_rv *rv = dc_reg(r, dc_u32(e, NFTA_RANGE_SREG, 0));
	const uint8_t *a, *b;
	size_t al, bl;

	a = dc_data_value(e->tb[NFTA_RANGE_FROM_DATA], &al);
	b = dc_data_value(e->tb[NFTA_RANGE_TO_DATA], &bl);
	if (!rv || !a || !b || al != bl || rv->kind == RV_NONE || rv->kind == RV_IMM) {
		dc_unknown(r, "range");
		return;
	}
	range_match(r, rv, dc_u32(e, NFTA_RANGE_OP, 0) == NFT_RANGE_NEQ, a, b, al);
}

/* Renders the (possibly concatenated) selector that starts at sreg and
 * spans len bytes.  A masked single selector becomes the field the mask
 * selects (view says how to print the set's keys), or "x & mask" with
 * *masked set (nft then writes "==" before the set). */
static bool render_key(struct dc_rule *r, uint32_t sreg, unsigned len, char *text, size_t size,
		       struct dc_view *view, bool *masked)
{
	unsigned done = 0, n = 0;
	size_t at = 0;

	text[0] = 0;
	memset(view, 0, sizeof(*view));
	*masked = false;
	while (done < len || n == 0) {
		struct dc_rv *rv = dc_reg(r, sreg);
		const struct nfk_dtype *t;
		enum nfk_byteorder b;
		unsigned bits, l;
		char one[DC_TEXT];

		if (!rv)
			return false;
		l = rv->len ? NFK_ALIGN(rv->len) : 4;
		if (n == 0 && l >= len && rv->masked && masked_field(r, rv, one, sizeof(one), view)) {
			/* the field view describes it */
		} else if (n > 0 || l < len) {
			/* a member of a concatenation: a masked one may be a field */
			struct dc_view mv = { 0 };

			if (rv->masked && n < 8 && masked_field(r, rv, one, sizeof(one), &mv)) {
				view->m[n].dtype = mv.dtype;
				view->m[n].shift = mv.shift;
				view->m[n].bits = mv.bits;
				view->m[n].len = rv->len;
				view->nm = n + 1;
			} else if (!dc_rv_render(r, rv, one, sizeof(one), &t, &b, &bits)) {
				return false;
			}
		} else if (!dc_rv_render(r, rv, one, sizeof(one), &t, &b, &bits)) {
			return false;
		} else if (n == 0 && l >= len && rv->masked && all_zero(rv->xor_, rv->len)) {
			char m[DC_TEXT / 2];
			FILE *mf = fmemopen(m, sizeof(m), "w");

			if (!mf)
				return false;
			print_mask_value(r, mf, t, b, rv->mask, rv->len);
			fputc(0, mf);
			fclose(mf);
			m[sizeof(m) - 1] = 0;
			if (strlen(one) + strlen(m) + 4 < sizeof(one))
				strcat(strcat(one, " & "), m);
			/* nft writes "==" before the set for flag masks */
			*masked = t && t->bitmask;
		}
		at += (size_t)snprintf(text + at, at < size ? size - at : 0, "%s%s", n ? " . " : "", one);
		done += l;
		n++;
		if (sreg >= NFT_REG_1 && sreg <= NFT_REG_4)
			sreg = NFT_REG32_00 + (sreg - NFT_REG_1) * 4;
		sreg += l / 4;
		if (n > 16)
			return false;
	}
	return at < size;
}

bool dc_key_text(struct dc_rule *r, uint32_t sreg, unsigned len, char *text, size_t size)
{
	struct dc_view view;
	bool masked;

	return render_key(r, sreg, len, text, size, &view, &masked);
}

static void do_lookup(struct dc_rule *r, const struct dc_expr *e)
{
	const char *name = dc_str(e, NFTA_LOOKUP_SET);
	uint32_t sreg = dc_u32(e, NFTA_LOOKUP_SREG, 0);
	uint32_t flags = dc_u32(e, NFTA_LOOKUP_FLAGS, 0);
	const struct ks_set *st = ks_set_find(r->ks, r->family, r->table, name);
	char sel[512];
	struct dc_view view;
	bool masked;
	bool map = e->tb[NFTA_LOOKUP_DREG] != NULL;
	uint32_t dreg = dc_u32(e, NFTA_LOOKUP_DREG, 0);
	FILE *f;

	/* a map giving a value belongs to the statement that uses it */
	bool was_dead[DC_MAXSTMT];

	for (unsigned i = 0; i < r->nst && i < DC_MAXSTMT; i++)
		was_dead[i] = r->st[i].dead;
	if (!name || !render_key(r, sreg, st ? st->info.key_len : 4, sel, sizeof(sel), &view,
				 &masked)) {
		dc_unknown(r, "lookup");
		return;
	}
	if (map && dreg != NFT_REG_VERDICT) {
		struct dc_rv v = { .kind = RV_TEXT };
		char *buf = NULL;
		size_t blen = 0;
		FILE *m = open_memstream(&buf, &blen);

		if (!m)
			return;
		fprintf(m, "%s map ", sel);
		dc_print_set_ref(r, m, name, &view);
		fclose(m);
		snprintf(v.text, sizeof(v.text), "%s", buf ? buf : "");
		free(buf);
		/* what the key dropped, in case the statement using the value
		 * keeps it after all (redirect) */
		v.nrevive = 0;
		for (unsigned i = 0; i < r->nst && i < DC_MAXSTMT && v.nrevive < 4; i++)
			if (r->st[i].dead && !was_dead[i])
				v.revive[v.nrevive++] = (int)i;
		if (st) {
			v.dtype = nfk_dtype_by_id(st->info.data_type);
			v.len = st->info.data_len;
		}
		dc_set_reg(r, dreg, &v);
		/* a result longer than 4 bytes also fills the next registers */
		if (st && st->info.data_len > 4 && st->info.data_len <= 64) {
			struct dc_rv c = { .kind = RV_TEXT, .cont = true };
			uint32_t r32 = dreg >= NFT_REG_1 && dreg <= NFT_REG_4 ?
				       NFT_REG32_00 + (dreg - NFT_REG_1) * 4 : dreg;

			snprintf(c.text, sizeof(c.text), "%s", v.text);
			for (unsigned i = 1; i * 4 < st->info.data_len; i++)
				dc_set_reg(r, r32 + i, &c);
		}
		return;
	}
	f = dc_stmt_begin(r);
	fprintf(f, "%s %s", sel, map ? "vmap " : (flags & NFT_LOOKUP_F_INV) ? "!= " :
		masked ? "== " : "");
	dc_print_set_ref(r, f, name, &view);
	end_match(r, DEP_NONE);
}

void dc_print_set_ref(struct dc_rule *r, FILE *f, const char *set, const struct dc_view *view)
{
	const struct ks_set *st = ks_set_find(r->ks, r->family, r->table, set);

	if (!st || !(st->info.flags & NFT_SET_ANONYMOUS)) {
		fprintf(f, "@%s", set);
		return;
	}
	dc_print_elements(f, r->ks, st, r->o, false, view);
}

/* ---- operands of statements ------------------------------------------ */

bool dc_rv_expr(struct dc_rule *r, const struct dc_rv *rv, char *text, size_t size)
{
	const struct nfk_dtype *dt;
	enum nfk_byteorder bo;
	unsigned bits;
	char *buf = NULL;
	size_t blen = 0;
	FILE *m;
	bool op = false;

	if (!dc_rv_render(r, rv, text, size, &dt, &bo, &bits))
		return false;
	if (!rv->masked && !rv->lshift && !rv->shift)
		return true;
	m = open_memstream(&buf, &blen);
	if (!m)
		return true;
	fputs(text, m);
	if (rv->masked && rv->len <= 16) {
		print_binops(r, m, rv, dt, bo);
		op = true;
	}
	fclose(m);
	if (rv->lshift || rv->shift)
		snprintf(text, size, op ? "(%s) %s %u" : "%s %s %u", buf ? buf : "",
			 rv->lshift ? "<<" : ">>", rv->lshift ? rv->lshift : rv->shift);
	else
		snprintf(text, size, "%s", buf ? buf : "");
	free(buf);
	return true;
}

/* ---- dispatch ----------------------------------------------------------- */

static const struct {
	const char *name;
	void (*fn)(struct dc_rule *r, const struct dc_expr *e);
} loaders[] = {
	{ "immediate", do_immediate }, { "bitwise", do_bitwise },
	{ "byteorder", do_byteorder }, { "cmp", do_cmp }, { "range", do_range },
	{ "lookup", do_lookup },
};

/* A ">=" not followed by its "<=" is printed on its own after all. */
static void flush_pending(struct dc_rule *r, const struct dc_expr *e)
{
	uint32_t reg = r->pend_reg;

	r->pend_done_reg = 0;
	if (!r->pend)
		return;
	r->pend = false;
	if (!strcmp(e->name, "cmp") && dc_u32(e, NFTA_CMP_OP, 0) == NFT_CMP_LTE &&
	    dc_u32(e, NFTA_CMP_SREG, 0) == reg) {
		r->pend_done_reg = reg + 1;
		return;
	}
	{
		struct dc_rv *rv = dc_reg(r, reg);

		if (rv && rv->kind != RV_NONE && rv->kind != RV_IMM)
			cmp_match(r, rv, NFT_CMP_GTE, r->pend_val, r->pend_len);
	}
}

void dc_expr(struct dc_rule *r, const struct dc_expr *e)
{
	flush_pending(r, e);
	for (size_t i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++) {
		if (strcmp(loaders[i].name, e->name) == 0) {
			loaders[i].fn(r, e);
			return;
		}
	}
	/* the families' expressions (family.h) */
	const struct lang_dc *d = nfk_lang_dc(e->name);
	if (!d)
		dc_unknown(r, e->name);
	else if (d->load)
		d->load(r, e);
	else
		dc_stmt_run(r, e, d->stmt);
}
