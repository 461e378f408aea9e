// SPDX-License-Identifier: MIT
/*
 * Decompiler: the keyed loads (fib, socket, osf, numgen, hash, ipsec, rt)
 * and the remaining statements (dup, fwd, tproxy, synproxy, ct count,
 * last, flow add).  A load becomes a register holding the selector's
 * text and type; cmp/lookup/statements then print it like any other.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter/nf_synproxy.h>

#include "decompile.h"

#define DT(name) nfk_dtype_by_name(name)

/* ---- loads --------------------------------------------------------------- */

/* One selector key of an expression: its text, type and register width. */
struct ext_key {
	unsigned key;
	const char *text;
	const char *dtype;
	enum nfk_byteorder bo;
	unsigned len;
};

static const struct ext_key socket_keys[] = {
	{ NFT_SOCKET_TRANSPARENT, "transparent", "integer", NFK_BO_HOST, 1 },
	{ NFT_SOCKET_MARK, "mark", "mark", NFK_BO_HOST, 4 },
	{ NFT_SOCKET_WILDCARD, "wildcard", "integer", NFK_BO_HOST, 1 },
	{ NFT_SOCKET_CGROUPV2, "cgroupv2", "cgroupsv2", NFK_BO_HOST, 8 },
	{ 0, NULL, NULL, 0, 0 },
};

static const struct ext_key rt_keys[] = {
	{ NFT_RT_CLASSID, "classid", "realm", NFK_BO_HOST, 4 },
	{ NFT_RT_NEXTHOP4, "ip nexthop", "ipv4_addr", NFK_BO_BIG, 4 },
	{ NFT_RT_NEXTHOP6, "ip6 nexthop", "ipv6_addr", NFK_BO_BIG, 16 },
	{ NFT_RT_TCPMSS, "mtu", "integer", NFK_BO_HOST, 2 },
	{ NFT_RT_XFRM, "ipsec", "boolean", NFK_BO_HOST, 1 },
	{ 0, NULL, NULL, 0, 0 },
};

static const struct ext_key xfrm_keys[] = {
	{ NFT_XFRM_KEY_DADDR_IP4, "ip daddr", "ipv4_addr", NFK_BO_BIG, 4 },
	{ NFT_XFRM_KEY_DADDR_IP6, "ip6 daddr", "ipv6_addr", NFK_BO_BIG, 16 },
	{ NFT_XFRM_KEY_SADDR_IP4, "ip saddr", "ipv4_addr", NFK_BO_BIG, 4 },
	{ NFT_XFRM_KEY_SADDR_IP6, "ip6 saddr", "ipv6_addr", NFK_BO_BIG, 16 },
	{ NFT_XFRM_KEY_REQID, "reqid", "integer", NFK_BO_HOST, 4 },
	{ NFT_XFRM_KEY_SPI, "spi", "integer", NFK_BO_BIG, 4 },
	{ 0, NULL, NULL, 0, 0 },
};

static const struct ext_key fib_results[] = {
	{ NFT_FIB_RESULT_OIF, "oif", "iface_index", NFK_BO_HOST, 4 },
	{ NFT_FIB_RESULT_OIFNAME, "oifname", "ifname", NFK_BO_HOST, 16 },
	{ NFT_FIB_RESULT_ADDRTYPE, "type", "fib_addrtype", NFK_BO_HOST, 4 },
	{ 0, NULL, NULL, 0, 0 },
};

static const struct ext_key *ext_key_find(const struct ext_key *t, unsigned key)
{
	for (; t->text; t++)
		if (t->key == key)
			return t;
	return NULL;
}

/* Fills v from a key row; false when the key is unknown. */
static bool key_rv(struct dc_rv *v, const struct ext_key *k)
{
	if (!k)
		return false;
	v->dtype = DT(k->dtype);
	v->bo = k->bo;
	v->len = k->len;
	return true;
}

/* Listing text is bounded by dc_rv; a key too long for it is cut, as every
 * other decompiler field is, rather than overflowing. */
__attribute__((format(printf, 2, 3)))
static int TEXT(struct dc_rv *v, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(v->text, sizeof(v->text), fmt, ap);
	va_end(ap);
	return n;
}

static bool load_socket(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	const struct ext_key *k = ext_key_find(socket_keys, dc_u32(e, NFTA_SOCKET_KEY, ~0u));
	(void)r;

	if (!k)
		return false;
	if (k->key == NFT_SOCKET_CGROUPV2)
		TEXT(v, "socket %s level %u", k->text, dc_u32(e, NFTA_SOCKET_LEVEL, 0));
	else
		TEXT(v, "socket %s", k->text);
	return key_rv(v, k);
}

static bool load_rt(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	const struct ext_key *k = ext_key_find(rt_keys, dc_u32(e, NFTA_RT_KEY, ~0u));
	(void)r;

	if (!k)
		return false;
	TEXT(v, "rt %s", k->text);
	return key_rv(v, k);
}

static bool load_xfrm(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	const struct ext_key *k = ext_key_find(xfrm_keys, dc_u32(e, NFTA_XFRM_KEY, ~0u));
	uint8_t dir = 0;
	uint32_t spnum = dc_u32(e, NFTA_XFRM_SPNUM, 0);
	char sp[32] = "";
	(void)r;

	if (!k)
		return false;
	if (e->tb[NFTA_XFRM_DIR])
		dir = dc_u32(e, NFTA_XFRM_DIR, dir);
	if (spnum)
		snprintf(sp, sizeof(sp), " spnum %u", spnum);
	TEXT(v, "ipsec %s%s %s", dir ? "out" : "in", sp, k->text);
	return key_rv(v, k);
}

static bool load_fib(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	static const struct { uint32_t flag; const char *name; } fl[] = {
		{ NFTA_FIB_F_SADDR, "saddr" }, { NFTA_FIB_F_DADDR, "daddr" },
		{ NFTA_FIB_F_MARK, "mark" }, { NFTA_FIB_F_IIF, "iif" }, { NFTA_FIB_F_OIF, "oif" },
	};
	uint32_t flags = dc_u32(e, NFTA_FIB_FLAGS, 0);
	const struct ext_key *k = ext_key_find(fib_results, dc_u32(e, NFTA_FIB_RESULT, ~0u));
	size_t at;
	const char *sep = "";
	(void)r;

	if (!k)
		return false;
	at = (size_t)TEXT(v, "fib ");
	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++) {
		if (!(flags & fl[i].flag) || at >= sizeof(v->text))
			continue;
		at += (size_t)snprintf(v->text + at, sizeof(v->text) - at, "%s%s", sep, fl[i].name);
		sep = " . ";
	}
	if (at < sizeof(v->text))
		snprintf(v->text + at, sizeof(v->text) - at, " %s", k->text);
	key_rv(v, k);
	if (flags & NFTA_FIB_F_PRESENT) {
		v->dtype = DT("boolean");
		v->len = 1;
	}
	return true;
}

static bool load_osf(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	static const char *const ttl[] = { "", " ttl loose", " ttl skip" };
	uint8_t t = 0;
	(void)r;

	if (e->tb[NFTA_OSF_TTL])
		t = dc_u32(e, NFTA_OSF_TTL, t);
	TEXT(v, "osf%s %s", t < 3 ? ttl[t] : "", dc_u32(e, NFTA_OSF_FLAGS, 0) & NFT_OSF_F_VERSION ?
	     "version" : "name");
	v->dtype = DT("string");
	v->bo = NFK_BO_HOST;
	v->len = 16;
	return true;
}

/* " mod N[ offset M]" as numgen and hash print it. */
static void mod_offset(char *buf, size_t size, const struct dc_expr *e, unsigned mod_attr,
		       unsigned off_attr)
{
	size_t at = (size_t)snprintf(buf, size, " mod %u", dc_u32(e, mod_attr, 0));

	if (dc_u32(e, off_attr, 0) && at < size)
		snprintf(buf + at, size - at, " offset %u", dc_u32(e, off_attr, 0));
}

static bool load_numgen(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	char mo[64];
	(void)r;

	mod_offset(mo, sizeof(mo), e, NFTA_NG_MODULUS, NFTA_NG_OFFSET);
	TEXT(v, "numgen %s%s", dc_u32(e, NFTA_NG_TYPE, 0) == NFT_NG_RANDOM ? "random" : "inc", mo);
	v->dtype = DT("integer");
	v->bo = NFK_BO_HOST;
	v->len = 4;
	return true;
}

static bool load_hash(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	char mo[64], key[DC_TEXT / 2] = "";

	mod_offset(mo, sizeof(mo), e, NFTA_HASH_MODULUS, NFTA_HASH_OFFSET);
	if (dc_u32(e, NFTA_HASH_TYPE, NFT_HASH_JENKINS) == NFT_HASH_SYM) {
		TEXT(v, "symhash%s", mo);
	} else {
		char seed[32] = "";
		size_t ml = strlen(mo);

		if (e->tb[NFTA_HASH_SEED] && ml < sizeof(mo))
			snprintf(seed, sizeof(seed), " seed 0x%x", dc_u32(e, NFTA_HASH_SEED, 0));
		if (!dc_key_text(r, dc_u32(e, NFTA_HASH_SREG, 0), dc_u32(e, NFTA_HASH_LEN, 4), key,
				 sizeof(key)))
			snprintf(key, sizeof(key), "?");
		/* nft lists the seed before the offset */
		{
			char *off = strstr(mo, " offset");
			char tail[32] = "";

			if (off) {
				snprintf(tail, sizeof(tail), "%s", off);
				*off = 0;
			}
			TEXT(v, "jhash %s%s%s%s", key, mo, seed, tail);
		}
	}
	v->dtype = DT("integer");
	v->bo = NFK_BO_HOST;
	v->len = 4;
	return true;
}

static const struct {
	const char *name;
	unsigned dreg;
	bool (*fn)(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v);
} loads[] = {
	{ "socket", NFTA_SOCKET_DREG, load_socket }, { "rt", NFTA_RT_DREG, load_rt },
	{ "xfrm", NFTA_XFRM_DREG, load_xfrm }, { "fib", NFTA_FIB_DREG, load_fib },
	{ "osf", NFTA_OSF_DREG, load_osf }, { "numgen", NFTA_NG_DREG, load_numgen },
	{ "hash", NFTA_HASH_DREG, load_hash },
};

bool dc_ext_load(struct dc_rule *r, const struct dc_expr *e)
{
	for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
		struct dc_rv v = { .kind = RV_TEXT };
		struct dc_rv *d;

		if (strcmp(loads[i].name, e->name))
			continue;
		d = dc_reg(r, dc_u32(e, loads[i].dreg, 0));
		if (!d || !loads[i].fn(r, e, &v)) {
			if (d)
				d->kind = RV_NONE;   /* a later use says "unknown" too */
			dc_unknown(r, e->name);
			return true;
		}
		*d = v;
		return true;
	}
	return false;
}

/* ---- statements ------------------------------------------------------------ */

static const struct dc_rv *sreg(struct dc_rule *r, const struct dc_expr *e, unsigned attr)
{
	return e->tb[attr] ? dc_reg(r, dc_u32(e, attr, 0)) : NULL;
}

/* An address for family fam (NFPROTO_IPV4/IPV6): an immediate in its type
 * or any selector; brackets for IPv6 when a port follows. */
static void print_addr(struct dc_rule *r, FILE *f, const struct dc_rv *v, unsigned fam,
		       bool brackets)
{
	const struct nfk_dtype *t = DT(fam == NFPROTO_IPV6 ? "ipv6_addr" : "ipv4_addr");
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

static void print_dev(struct dc_rule *r, FILE *f, const struct dc_rv *v)
{
	char text[DC_TEXT];

	if (v && v->kind == RV_IMM)
		dc_print_typed(f, DT("iface_index"), NFK_BO_HOST, v->val, 4, r->o->print);
	else
		fputs(v && dc_rv_expr(r, v, text, sizeof(text)) ? text : "?", f);
}

/* The address family a statement works on: its own attribute, else the
 * table's, else what the rule matched. */
static unsigned stmt_family(const struct dc_rule *r, uint32_t fam)
{
	if (fam == NFPROTO_IPV4 || fam == NFPROTO_IPV6)
		return fam;
	if (r->family == NFPROTO_IPV4 || r->family == NFPROTO_IPV6)
		return (unsigned)r->family;
	return r->l3 == NFPROTO_IPV6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
}

static void stmt_dup(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *addr = sreg(r, e, NFTA_DUP_SREG_ADDR), *dev = sreg(r, e, NFTA_DUP_SREG_DEV);

	fputs("dup to ", f);
	if (addr) {
		print_addr(r, f, addr, stmt_family(r, 0), false);
		if (dev)
			fputs(" device ", f);
	}
	if (dev)
		print_dev(r, f, dev);
}

static void stmt_fwd(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *addr = sreg(r, e, NFTA_FWD_SREG_ADDR), *dev = sreg(r, e, NFTA_FWD_SREG_DEV);
	unsigned fam = stmt_family(r, dc_u32(e, NFTA_FWD_NFPROTO, 0));

	fputs("fwd ", f);
	if (addr) {
		fprintf(f, "%s to ", fam == NFPROTO_IPV6 ? "ip6" : "ip");
		print_addr(r, f, addr, fam, false);
		fputs(" device ", f);
	} else {
		fputs("to ", f);
	}
	print_dev(r, f, dev);
}

static void stmt_tproxy(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *addr = sreg(r, e, NFTA_TPROXY_REG_ADDR);
	const struct dc_rv *port = sreg(r, e, NFTA_TPROXY_REG_PORT);
	uint32_t fam = dc_u32(e, NFTA_TPROXY_FAMILY, 0);
	unsigned af = stmt_family(r, fam);

	fputs("tproxy ", f);
	if (r->family == NFPROTO_INET && (fam == NFPROTO_IPV4 || fam == NFPROTO_IPV6))
		fprintf(f, "%s ", fam == NFPROTO_IPV6 ? "ip6" : "ip");
	fputs("to ", f);
	if (addr)
		print_addr(r, f, addr, af, af == NFPROTO_IPV6);
	if (port) {
		char text[DC_TEXT];

		fputc(':', f);
		if (port->kind == RV_IMM)
			dc_print_typed(f, DT("inet_service"), NFK_BO_BIG, port->val, 2,
				       r->o->print);
		else
			fputs(dc_rv_expr(r, port, text, sizeof(text)) ? text : "?", f);
	}
}

/* synproxy's options, shared with the synproxy object's body. */
void dc_print_synproxy(FILE *f, uint32_t flags, uint16_t mss, uint8_t wscale, const char *sep)
{
	if (flags & NF_SYNPROXY_OPT_MSS)
		fprintf(f, "%smss %u", sep, mss);
	if (flags & NF_SYNPROXY_OPT_WSCALE)
		fprintf(f, "%swscale %u", sep, wscale);
	if (flags & NF_SYNPROXY_OPT_TIMESTAMP)
		fprintf(f, "%stimestamp", sep);
	if (flags & NF_SYNPROXY_OPT_SACK_PERM)
		fprintf(f, "%ssack-perm", sep);
}

static void stmt_synproxy(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint16_t mss = 0;
	uint8_t ws = 0;
	(void)r;

	if (e->tb[NFTA_SYNPROXY_MSS])
		mss = dc_u32(e, NFTA_SYNPROXY_MSS, mss);
	if (e->tb[NFTA_SYNPROXY_WSCALE])
		ws = dc_u32(e, NFTA_SYNPROXY_WSCALE, ws);
	fputs("synproxy", f);
	dc_print_synproxy(f, dc_u32(e, NFTA_SYNPROXY_FLAGS, 0), mss, ws, " ");
}

static void stmt_connlimit(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	(void)r;
	fprintf(f, "ct count %s%u", dc_u32(e, NFTA_CONNLIMIT_FLAGS, 0) & NFT_CONNLIMIT_F_INV ?
		"over " : "", dc_u32(e, NFTA_CONNLIMIT_COUNT, 0));
}

static void stmt_last(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	fputs("last", f);
	if (r->o->stateless)
		return;
	if (!dc_u32(e, NFTA_LAST_SET, 0)) {
		fputs(" used never", f);
		return;
	}
	fputs(" used ", f);
	ks_print_time(f, dc_u64(e, NFTA_LAST_MSECS, 0));
}

static void stmt_flow(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const char *name = dc_str(e, NFTA_FLOW_TABLE_NAME);
	(void)r;

	fprintf(f, "flow add @%s", name ? name : "");
}

static const struct {
	const char *name;
	void (*fn)(struct dc_rule *r, FILE *f, const struct dc_expr *e);
} stmts[] = {
	{ "dup", stmt_dup }, { "fwd", stmt_fwd }, { "tproxy", stmt_tproxy },
	{ "synproxy", stmt_synproxy }, { "connlimit", stmt_connlimit }, { "last", stmt_last },
	{ "flow_offload", stmt_flow },
};

bool dc_ext_stmt(struct dc_rule *r, const struct dc_expr *e)
{
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		FILE *f;

		if (strcmp(stmts[i].name, e->name))
			continue;
		f = dc_stmt_begin(r);
		if (f) {
			r->in_stmt = true;
			stmts[i].fn(r, f, e);
			r->in_stmt = false;
			dc_stmt_end(r, DEP_NONE);
			dc_deps_reset(r);
		}
		return true;
	}
	return false;
}
