// SPDX-License-Identifier: MIT
/*
 * Evaluation and linearization: parsed commands -> nf_tables messages in a
 * batch, in the order nft 1.0.6 emits them.  Values are typed by the
 * selector they are compared with (types.h); protocol dependencies are
 * added as nft adds them; anonymous sets become NEWSET + NEWSETELEM
 * messages ahead of the rule that uses them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_synproxy.h>

#include "ast.h"
#include "compile.h"
#include "print.h"
#include "../obj/objects.h"
#include "../obj/expr/expr.h"

/* Newer than some installed UAPI headers (kernel 6.3). */
#ifndef NFT_MSG_DESTROYTABLE
#define NFT_MSG_DESTROYTABLE 26
#define NFT_MSG_DESTROYCHAIN 27
#define NFT_MSG_DESTROYRULE 28
#define NFT_MSG_DESTROYSET 29
#define NFT_MSG_DESTROYSETELEM 30
#define NFT_MSG_DESTROYOBJ 31
#endif

/* ---- set knowledge ------------------------------------------------------ */

struct kset {
	struct kset *next;
	int family;
	const char *table, *name;
	uint32_t id;                 /* NFTA_SET_ID when created in this batch */
	uint32_t flags;
	const struct nfk_dtype *keyt[16];
	unsigned kbits[16];          /* per member: value bits (0: the type's) */
	enum nfk_byteorder kbo[16];  /* per member: byte order (0: the type's) */
	unsigned kshift[16], klen[16]; /* sub-byte fields: value shift, register bytes */
	bool kmasked[16];
	unsigned nkey, key_len;
	const struct nfk_dtype *datat;   /* NULL: set; verdict: NFK_DTYPE(VERDICT) */
	unsigned data_len;
	unsigned dbits;               /* data value bits (0: the type's) */
	enum nfk_byteorder dbo;       /* data byte order (0: the type's) */
	/* nat maps: data concatenated ("ipv4_addr . inet_service") and/or
	 * holding [lo, hi] pairs ("interval ipv4_addr"): all lows, then all highs */
	const struct nfk_dtype *dtypes[4];
	unsigned ndata;               /* concatenated data members, 0: datat alone */
	bool dinterval;
	bool objmap;
	uint32_t objtype;
	bool automerge;              /* "auto-merge": adjacent/overlapping intervals join */
};

struct cctx {
	struct nfk_script *sc;
	const struct nfk_compile_opts *o;
	struct nfk_batch *b;
	struct nfk_diags *ds;
	struct nfk_arena ar;          /* kset and per-compile data */
	struct nfk_arena scratch;     /* one element at a time */
	struct kset *sets;
	uint32_t next_id;
	size_t cmd_i;                 /* the command being compiled */
	bool any_failed;              /* failed: this rule or object; any_failed: the script */
	const struct nfk_handle *cur_h;   /* its names (kernel errors point there) */
	const struct nfk_loc *match_lhs;  /* what values are being matched against */
	uint8_t *anon_size;           /* the last anonymous NEWSET's size, to patch */
	bool failed;
};

static void cerr(struct cctx *c, const struct nfk_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cerr(struct cctx *c, const struct nfk_loc *loc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->failed)
		nfk_diag_add(c->ds, loc, "%s", msg);
	c->failed = true;
	c->any_failed = true;
}

/* After one rule or object: an error in it was reported, and nft goes on
 * to report the errors of the others.  false: out of memory, stop. */
static bool go_on(struct cctx *c, bool ok)
{
	if (ok)
		return true;
	if (!c->failed)
		return false;
	c->failed = false;
	return true;
}

/* As cerr, with a second location nft underlines with '~'. */
static void cerr_ctx(struct cctx *c, const struct nfk_loc *loc, const struct nfk_loc *ctx,
		     const char *msg)
{
	bool first = !c->failed;

	cerr(c, loc, "%s", msg);
	if (first)
		nfk_diag_set_ctx(c->ds, ctx);
}

static unsigned round4(unsigned n)
{
	return (n + 3) & ~3u;
}

/* A kernel map's concatenated data type ("ipv4_addr . inet_service"): its
 * members, 6 bits each, the first one highest.  False for a single type. */
static bool set_data_members(struct kset *ks, uint32_t id)
{
	unsigned ids[8], n = 0;
	const unsigned max = sizeof(ks->dtypes) / sizeof(ks->dtypes[0]);

	if (id <= NFK_TYPE_MASK)
		return false;
	while (id && n < 8) {
		ids[n++] = id & NFK_TYPE_MASK;
		id >>= NFK_TYPE_BITS;
	}
	if (n > max)
		return false;
	for (unsigned i = 0; i < n; i++) {
		ks->dtypes[i] = nfk_dtype_by_id(ids[n - 1 - i]);
		if (!ks->dtypes[i])
			return false;
	}
	ks->ndata = n;
	ks->datat = ks->dtypes[0];
	return true;
}

/* A set or map the command names is not there: nft's error, with the
 * close name it would suggest. */
static void set_missing_at(struct cctx *c, const struct nfk_loc *loc,
			   const struct nfk_loc *table_loc, int family, const char *table,
			   const char *name)
{
	char hint[256];
	bool about_table;
	const char *m = nfk_script_set_hint(c->sc, c->o ? c->o->ks : NULL, family, table, name, hint,
					    sizeof(hint), &about_table);

	cerr(c, about_table && table_loc && table_loc->line ? table_loc : loc, "%s",
	     m ? m : "No such file or directory");
}

static void set_missing(struct cctx *c, const struct nfk_loc *loc, int family, const char *table,
			const char *name)
{
	set_missing_at(c, loc, NULL, family, table, name);
}

static const struct kset *find_set(struct cctx *c, int family, const char *table,
				   const char *name, struct kset *tmp)
{
	for (struct kset *s = c->sets; s; s = s->next)
		if (s->family == family && !strcmp(s->table, table) && !strcmp(s->name, name))
			return s;
	const struct nfk_set_info *si = NULL;
	if (c->o && c->o->set_lookup)
		si = c->o->set_lookup(c->o->set_lookup_arg, family, table, name);
	if (!si && c->o && c->o->ks)
		si = nfk_kstate_set(c->o->ks, family, table, name);
	if (!si)
		return NULL;
	memset(tmp, 0, sizeof(*tmp));
	tmp->family = family;
	tmp->table = table;
	tmp->name = si->name;
	tmp->flags = si->flags;
	tmp->key_len = si->key_len;
	tmp->id = 0;
	/* concatenations: split the packed id into members */
	unsigned id = si->key_type;
	const struct nfk_dtype *t = nfk_dtype_by_id(id);
	if (t && t->name) {
		tmp->keyt[0] = t;
		tmp->nkey = 1;
	} else {
		unsigned ids[16], n = 0;
		while (id && n < 16) {
			ids[n++] = id & NFK_TYPE_MASK;
			id >>= NFK_TYPE_BITS;
		}
		for (unsigned i = 0; i < n; i++)
			tmp->keyt[i] = nfk_dtype_by_id(ids[n - 1 - i]);
		tmp->nkey = n;
	}
	/* nft keeps "auto-merge" in the set's user data (TLV type 2), and
	 * whether map data are intervals in TLV type 6 */
	const uint8_t *u = si->udata;
	for (size_t o = 0; u && o + 2 <= si->udata_len; o += 2 + u[o + 1]) {
		if (u[o] == 2)
			tmp->automerge = true;
		if (u[o] == 6 && u[o + 1] == 4 && o + 6 <= si->udata_len)
			tmp->dinterval = u[o + 2] | u[o + 3] | u[o + 4] | u[o + 5];
	}
	if (si->flags & NFT_SET_MAP) {
		tmp->data_len = si->data_len;
		if (si->data_type == NFT_DATA_VERDICT) {
			tmp->datat = NFK_DTYPE(VERDICT);
			tmp->dinterval = false;
		} else if (!set_data_members(tmp, si->data_type)) {
			tmp->datat = nfk_dtype_by_id(si->data_type);
		}
		/* without nft's user data: data twice the type's length are
		 * [lo, hi] pairs */
		unsigned half = 0;
		for (unsigned i = 0; tmp->datat && i < (tmp->ndata ? tmp->ndata : 1); i++) {
			unsigned l = nfk_dtype_len(tmp->ndata ? tmp->dtypes[i] : tmp->datat);
			half += tmp->ndata ? round4(l) : l;
		}
		if (!u && half && si->data_len == 2 * half)
			tmp->dinterval = true;
	} else {
		tmp->dinterval = false;
	}
	if (si->flags & NFT_SET_OBJECT)
		tmp->objmap = true;
	return tmp;
}

/* ---- expression encoding ------------------------------------------------ */

struct ebuf {
	struct nfk_buf b;
	struct nlattr *elem, *data;
};

static bool e_begin(struct nfk_buf *b, struct ebuf *e, const char *name)
{
	e->elem = nfk_nest_start(b, NFTA_LIST_ELEM);
	if (!e->elem || !nfk_attr_put_str(b, NFTA_EXPR_NAME, name))
		return false;
	e->data = nfk_nest_start(b, NFTA_EXPR_DATA);
	return e->data != NULL;
}

static bool e_end(struct nfk_buf *b, struct ebuf *e)
{
	nfk_nest_end(b, e->data);
	nfk_nest_end(b, e->elem);
	return true;
}

static bool put_data(struct nfk_buf *b, uint16_t type, const void *v, unsigned len)
{
	struct nlattr *n = nfk_nest_start(b, type);

	if (!n || !nfk_attr_put(b, NFTA_DATA_VALUE, v, len))
		return false;
	nfk_nest_end(b, n);
	return true;
}

static bool put_verdict(struct nfk_buf *b, uint16_t type, int code, const char *chain)
{
	struct nlattr *n = nfk_nest_start(b, type), *v;

	if (!n || !(v = nfk_nest_start(b, NFTA_DATA_VERDICT)))
		return false;
	if (!nfk_schema_put_uint(b, &nfk_verdict_schema, NFTA_VERDICT_CODE, (uint32_t)code))
		return false;
	if (chain && !nfk_attr_put_str(b, NFTA_VERDICT_CHAIN, chain))
		return false;
	nfk_nest_end(b, v);
	nfk_nest_end(b, n);
	return true;
}

static bool emit_meta_load(struct nfk_buf *b, unsigned key, unsigned dreg)
{
	struct ebuf e;

	return e_begin(b, &e, "meta") && nfk_schema_put_uint(b, nfk_expr_meta.schema, NFTA_META_KEY, key) &&
	       nfk_schema_put_uint(b, nfk_expr_meta.schema, NFTA_META_DREG, dreg) && e_end(b, &e);
}

static bool emit_payload_load(struct nfk_buf *b, unsigned base, unsigned off, unsigned len,
			      unsigned dreg)
{
	struct ebuf e;

	return e_begin(b, &e, "payload") && nfk_schema_put_uint(b, nfk_expr_payload.schema, NFTA_PAYLOAD_DREG, dreg) &&
	       nfk_schema_put_uint(b, nfk_expr_payload.schema, NFTA_PAYLOAD_BASE, base) &&
	       nfk_schema_put_uint(b, nfk_expr_payload.schema, NFTA_PAYLOAD_OFFSET, off) &&
	       nfk_schema_put_uint(b, nfk_expr_payload.schema, NFTA_PAYLOAD_LEN, len) && e_end(b, &e);
}

static bool emit_cmp(struct nfk_buf *b, unsigned sreg, unsigned op, const void *v, unsigned len)
{
	struct ebuf e;

	return e_begin(b, &e, "cmp") && nfk_schema_put_uint(b, nfk_expr_cmp.schema, NFTA_CMP_SREG, sreg) &&
	       nfk_schema_put_uint(b, nfk_expr_cmp.schema, NFTA_CMP_OP, op) && put_data(b, NFTA_CMP_DATA, v, len) &&
	       e_end(b, &e);
}

static bool emit_bitwise(struct nfk_buf *b, unsigned reg, const void *mask, const void *xor,
			 unsigned len)
{
	struct ebuf e;

	return e_begin(b, &e, "bitwise") && nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_SREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_DREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_LEN, len) &&
	       put_data(b, NFTA_BITWISE_MASK, mask, len) &&
	       put_data(b, NFTA_BITWISE_XOR, xor, len) && e_end(b, &e);
}

static bool emit_range(struct nfk_buf *b, unsigned reg, unsigned op, const void *lo,
		       const void *hi, unsigned len)
{
	struct ebuf e;

	return e_begin(b, &e, "range") && nfk_schema_put_uint(b, nfk_expr_range.schema, NFTA_RANGE_SREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_range.schema, NFTA_RANGE_OP, op) &&
	       put_data(b, NFTA_RANGE_FROM_DATA, lo, len) &&
	       put_data(b, NFTA_RANGE_TO_DATA, hi, len) && e_end(b, &e);
}

static bool emit_byteorder(struct nfk_buf *b, unsigned reg, unsigned len)
{
	struct ebuf e;
	unsigned size = len == 2 || len == 4 || len == 8 ? len : 4;

	return e_begin(b, &e, "byteorder") && nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_SREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_DREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_OP, NFT_BYTEORDER_HTON) &&
	       nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_LEN, len) &&
	       nfk_schema_put_uint(b, nfk_expr_byteorder.schema, NFTA_BYTEORDER_SIZE, size) && e_end(b, &e);
}

static bool emit_immediate(struct nfk_buf *b, unsigned dreg, const void *v, unsigned len)
{
	struct ebuf e;

	return e_begin(b, &e, "immediate") && nfk_schema_put_uint(b, nfk_expr_immediate.schema, NFTA_IMMEDIATE_DREG, dreg) &&
	       put_data(b, NFTA_IMMEDIATE_DATA, v, len) && e_end(b, &e);
}

static bool emit_verdict(struct nfk_buf *b, int code, const char *chain)
{
	struct ebuf e;

	return e_begin(b, &e, "immediate") &&
	       nfk_schema_put_uint(b, nfk_expr_immediate.schema, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT) &&
	       put_verdict(b, NFTA_IMMEDIATE_DATA, code, chain) && e_end(b, &e);
}

static bool emit_lookup(struct nfk_buf *b, const char *set, uint32_t id, unsigned sreg,
			int dreg, bool inv)
{
	struct ebuf e;

	if (!e_begin(b, &e, "lookup") || !nfk_attr_put_str(b, NFTA_LOOKUP_SET, set))
		return false;
	if (id && !nfk_schema_put_uint(b, nfk_expr_lookup.schema, NFTA_LOOKUP_SET_ID, id))
		return false;
	if (!nfk_schema_put_uint(b, nfk_expr_lookup.schema, NFTA_LOOKUP_SREG, sreg))
		return false;
	if (dreg >= 0 && !nfk_schema_put_uint(b, nfk_expr_lookup.schema, NFTA_LOOKUP_DREG, dreg))
		return false;
	if (inv && !nfk_schema_put_uint(b, nfk_expr_lookup.schema, NFTA_LOOKUP_FLAGS, NFT_LOOKUP_F_INV))
		return false;
	return e_end(b, &e);
}

/* ---- rule context ----------------------------------------------------- */

#define PM_MAX 32

/* One "payload load + cmp eq" pair in the expression buffer. */
struct pm_unit {
	size_t start, end;            /* its bytes in the buffer */
	unsigned base, off, len;
	bool proto;                   /* a protocol field (ether type, ip protocol) */
	bool dead, changed;
	uint8_t val[16];
};

struct rctx {
	struct cctx *c;
	struct nfk_buf *b;            /* the expression list being built */
	int family;
	const char *table;
	unsigned l3;                  /* NFPROTO_* known, 0 when not */
	int l4;                       /* IP protocol known, -1 when not */
	bool ll_checked;
	unsigned ll_type;             /* ether type known */
	unsigned vlan_off;            /* stacked vlan tags matched so far, in bytes */
	bool concat_hton;             /* concatenation looked up in an interval set */
	size_t last_plen;             /* offset of the last payload load's length */
	size_t last_load;             /* where the last selector load starts */
	const struct sel *map_data;   /* the target type of a map being built */
	bool key_ctx;                 /* resolving a concatenation or a map key */
	bool icmp_type_known;         /* "icmp type X" matched already */
	bool l4_set;                  /* the transport protocol is one of a set */
	const struct kset *map_shape; /* nat map data: concatenation, intervals */
	unsigned key_word;            /* a map key's first 32-bit register word */
	uint32_t objmap_type;         /* building an object map of this type */
	/* "payload load + cmp eq" pairs of the current run of match
	 * statements, merged at the run's end as nft merges them */
	struct nfk_buf *pm_buf;       /* the rule's expression buffer */
	unsigned npm;
	struct pm_unit pm[PM_MAX];
};

/* What a selector loads. */
struct sel {
	const struct nfk_dtype *dtype;
	enum nfk_byteorder bo;
	unsigned bits;                /* value bits (field width) */
	unsigned len;                 /* register bytes loaded */
	unsigned shift;               /* sub-byte fields: bits to the right */
	bool masked;                  /* field is not byte aligned: needs a mask */
	bool proto_key;               /* payload field naming the next header */
	uint8_t mask[16];
	/* for loads: what to emit */
	enum ex_kind kind;
	unsigned base, offset;        /* payload: bytes */
	unsigned key;
	int dir;
	unsigned xop, xtype;          /* exthdr */
	bool present;
	const struct ex *fx;          /* fib/rt/socket/osf/xfrm/numgen/hash */
};

/* payload load + cmp eq: recorded so that the run it belongs to can be
 * merged (pm_flush).  proto: the field names the next protocol. */
static bool emit_payload_eq(struct rctx *r, unsigned base, unsigned off, unsigned len,
			    const uint8_t *v, bool proto)
{
	size_t start = r->b->len;

	if (!emit_payload_load(r->b, base, off, len, NFT_REG_1))
		return false;
	r->last_plen = r->b->len - 4;
	if (!emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, v, len))
		return false;
	if (r->b == r->pm_buf && r->npm < PM_MAX && len <= 16) {
		struct pm_unit *u = &r->pm[r->npm++];

		*u = (struct pm_unit){ .start = start, .end = r->b->len, .base = base, .off = off,
				       .len = len, .proto = proto };
		memcpy(u->val, v, len);
	}
	return true;
}

static bool buf_copy(struct nfk_buf *b, const void *src, size_t n)
{
	if (b->cap - b->len < n)
		return false;
	memcpy(b->data + b->len, src, n);
	b->len += n;
	return true;
}

/* Whether nft joins two adjacent payload matches into one load: the
 * kernel's fast path covers loads of up to a word above the link layer,
 * so two small network or transport fields stay apart unless one of them
 * is longer than a word anyway. */
static bool pm_can_merge(const struct pm_unit *a, const struct pm_unit *b)
{
	unsigned total = a->len + b->len;

	if (a->base != b->base || a->off + a->len != b->off || total > 16)
		return false;
	return total <= 4 || a->base == NFT_PAYLOAD_LL_HEADER || a->len > 4 || b->len > 4;
}

/* Ends a run of match statements (a statement of another kind follows, or
 * the rule ends): its payload matches are ordered by header position and
 * adjacent ones joined, each join staying where the lower field was, or
 * where a protocol field was, so that a dependency still comes before what
 * depends on it.  Then the buffer is rebuilt and the error map's offsets
 * (statement starts) moved with it. */
static bool pm_flush(struct rctx *r, struct errmap *em)
{
	unsigned n = r->npm, order[PM_MAX];
	bool any = false;

	r->npm = 0;
	if (n < 2 || r->b != r->pm_buf)
		return true;
	/* stable insertion sort by (base, offset), as glibc's merge sort */
	for (unsigned i = 0; i < n; i++) {
		unsigned j = i;

		while (j && (r->pm[order[j - 1]].base > r->pm[i].base ||
			     (r->pm[order[j - 1]].base == r->pm[i].base &&
			      r->pm[order[j - 1]].off > r->pm[i].off))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	struct pm_unit *last = &r->pm[order[0]];
	for (unsigned i = 1; i < n; i++) {
		struct pm_unit *this = &r->pm[order[i]];

		if (!pm_can_merge(last, this)) {
			last = this;
			continue;
		}
		struct pm_unit *keep = this->proto ? this : last, *gone = this->proto ? last : this;
		uint8_t val[16];

		memcpy(val, last->val, last->len);
		memcpy(val + last->len, this->val, this->len);
		keep->off = last->off;
		keep->len = last->len + this->len;
		memcpy(keep->val, val, keep->len);
		keep->changed = true;
		gone->dead = true;
		last = keep;
		any = true;
	}
	if (!any)
		return true;

	/* rebuild from the first unit on */
	size_t from = r->pm[0].start, tail = r->b->len - from;
	uint8_t *old = malloc(tail);
	if (!old)
		return false;
	memcpy(old, r->b->data + from, tail);
	r->b->len = from;
	size_t at = from;               /* old offset copied up to */
	long shift[PM_MAX + 1] = { 0 };
	bool ok = true;
	for (unsigned i = 0; ok && i < n; i++) {
		struct pm_unit *u = &r->pm[i];
		size_t before;

		ok = buf_copy(r->b, old + (at - from), u->start - at);
		before = r->b->len;
		if (ok && !u->dead && u->changed)
			ok = emit_payload_load(r->b, u->base, u->off, u->len, NFT_REG_1) &&
			     emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, u->val, u->len);
		else if (ok && !u->dead)
			ok = buf_copy(r->b, old + (u->start - from), u->end - u->start);
		/* bytes after this unit move by the growth so far */
		shift[i + 1] = (long)r->b->len - (long)before - (long)(u->end - u->start) + shift[i];
		at = u->end;
	}
	ok = ok && buf_copy(r->b, old + (at - from), tail - (at - from));
	free(old);
	for (size_t k = 0; ok && em && k < em->n; k++) {
		unsigned i = 0;

		while (i < n && r->pm[i].start < em->off[k])
			i++;
		em->off[k] = (uint32_t)((long)em->off[k] + shift[i]);
	}
	return ok;
}

static bool dep_cmp_meta(struct rctx *r, unsigned key, const void *v, unsigned len)
{
	return emit_meta_load(r->b, key, NFT_REG_1) && emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, v, len);
}

/* The network layer protocol, as nft checks it per family. */
static bool need_l3(struct rctx *r, const struct nfk_proto *pr, const struct nfk_loc *loc)
{
	if (r->l3 == pr->nfproto)
		return true;
	switch (r->family) {
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
	case NFPROTO_ARP:
		if ((unsigned)r->family != pr->nfproto) {
			cerr(r->c, loc, "conflicting protocols specified: %s vs. %s",
			     nfk_family_name(r->family), pr->name);
			return false;
		}
		break;
	case NFPROTO_INET: {
		uint8_t v = pr->nfproto;
		if (pr->nfproto == NFPROTO_ARP) {
			cerr(r->c, loc, "conflicting protocols specified: inet vs. arp");
			return false;
		}
		if (r->ll_checked) {
			/* the link layer is known to be Ethernet ("meta iiftype
			 * ether"): nft asks its type field instead */
			uint8_t et[2] = { pr->ethertype >> 8, pr->ethertype & 0xff };
			if (!emit_payload_eq(r, NFT_PAYLOAD_LL_HEADER, 12, 2, et, true))
				return false;
			r->ll_type = pr->ethertype;
			break;
		}
		if (!dep_cmp_meta(r, NFT_META_NFPROTO, &v, 1))
			return false;
		break;
	}
	case NFPROTO_BRIDGE:
	case NFPROTO_NETDEV: {
		uint8_t v[2] = { pr->ethertype >> 8, pr->ethertype & 0xff };
		if (r->l3) {
			/* "meta protocol ip6 ip protocol icmp" */
			cerr(r->c, loc, "conflicting protocols specified: %s vs. %s",
			     r->l3 == NFPROTO_IPV6 ? "ip6" : r->l3 == NFPROTO_ARP ? "arp" : "ip",
			     pr->name);
			return false;
		}
		if (r->ll_type == 0x8100 || r->ll_type == 0x88a8) {
			/* inside a vlan tag: its type field names the protocol */
			if (!emit_payload_eq(r, NFT_PAYLOAD_LL_HEADER, 16 + r->vlan_off, 2, v, true))
				return false;
			break;
		}
		if (r->family == NFPROTO_NETDEV && r->ll_checked) {
			/* Ethernet known, as in inet */
			if (!emit_payload_eq(r, NFT_PAYLOAD_LL_HEADER, 12, 2, v, true))
				return false;
			r->ll_type = pr->ethertype;
			break;
		}
		if (!dep_cmp_meta(r, NFT_META_PROTOCOL, v, 2))
			return false;
		break;
	}
	}
	r->l3 = pr->nfproto;
	return true;
}

static bool payload_dep(struct rctx *r, const struct nfk_proto *pr, const struct nfk_loc *loc)
{
	if (!strcmp(pr->name, "raw"))
		return true;   /* raw payload: no dependency */
	switch (pr->base) {
	case NFK_BASE_LL:
		if (!r->ll_checked && r->family != NFPROTO_BRIDGE) {
			uint16_t ether = 1;    /* ARPHRD_ETHER, host order */
			if (!dep_cmp_meta(r, NFT_META_IIFTYPE, &ether, 2))
				return false;
		}
		r->ll_checked = true;
		/* 802.1ad outer tags carry a vlan header too */
		bool qinq = pr->ethertype == 0x8100 && r->ll_type == 0x88a8;
		if (pr->ethertype && r->ll_type && r->ll_type != pr->ethertype && !qinq) {
			cerr(r->c, loc, "conflicting protocols specified: ether vs. %s", pr->name);
			return false;
		}
		if (pr->ethertype && r->ll_type != pr->ethertype && !qinq) {
			/* a header inside the frame (vlan): ether type says so */
			uint8_t v[2] = { pr->ethertype >> 8, pr->ethertype & 0xff };
			if (!emit_payload_eq(r, NFT_PAYLOAD_LL_HEADER, 12, 2, v, true))
				return false;
			r->ll_type = pr->ethertype;
		}
		return true;
	case NFK_BASE_NETWORK:
		return need_l3(r, pr, loc);
	case NFK_BASE_TRANSPORT: {
		if (!pr->l4num && !strcmp(pr->name, "th"))
			return true;
		if (r->l4 == (int)pr->l4num)
			return true;
		/* icmp and icmpv6 belong to one network protocol; nft asks for it
		 * only while the network protocol is unknown, even when the rule
		 * matched the other one ("meta nfproto ipv4 icmpv6 type ...") */
		if (pr->nfproto && r->family != NFPROTO_IPV4 && r->family != NFPROTO_IPV6 &&
		    !r->l3) {
			const struct nfk_proto *l3 = nfk_proto_by_name(
				pr->nfproto == NFPROTO_IPV6 ? "ip6" : "ip");
			if (l3 && !need_l3(r, l3, loc))
				return false;
		}
		uint8_t v = pr->l4num;
		if (!dep_cmp_meta(r, NFT_META_L4PROTO, &v, 1))
			return false;
		r->l4 = pr->l4num;
		return true;
	}
	default:
		return true;
	}
}

/* nft's register for the w-th 32-bit word: a 128-bit register when it
 * starts one, a 32-bit register otherwise. */
static unsigned reg_of_word(unsigned w)
{
	return w % 4 == 0 ? NFT_REG_1 + w / 4 : NFT_REG32_00 + w;
}

static bool load_expr(struct rctx *r, const struct ex *e, struct sel *s, unsigned dreg);
static bool load_concat(struct rctx *r, const struct ex *lhs, struct sel *sels, unsigned *nsel);
static bool concat_wants_hton(struct rctx *r, const struct ex *lhs, const struct ex *set);
static bool set_has_intervals(const struct ex *set);
static struct kset *anon_set(struct rctx *r, const struct ex *set, const struct sel *ks_sel,
			     unsigned nsel, const struct nfk_dtype *datat, bool map,
			     const void *cookie);
static bool sel_resolve(struct rctx *r, const struct ex *e, struct sel *s);
static bool sel_load(struct rctx *r, const struct sel *s, unsigned dreg);

static void sel_type(struct sel *s, const struct nfk_dtype *t, unsigned bits, enum nfk_byteorder bo)
{
	s->dtype = t;
	s->bits = bits;
	s->len = (bits + 7) / 8;
	s->bo = bo;
}

/* fib, rt, socket, osf, ipsec, numgen, hash: what they load. */
static bool func_resolve(struct rctx *r, const struct ex *e, struct sel *s)
{
	s->fx = e;
	switch (e->kind) {
	case EX_FIB:
		if (e->fib.flags & NFTA_FIB_F_PRESENT)
			sel_type(s, NFK_DTYPE(BOOLEAN), 8, NFK_BO_HOST);
		else if (e->fib.result == NFT_FIB_RESULT_OIF)
			sel_type(s, NFK_DTYPE(IFINDEX), 32, NFK_BO_HOST);
		else if (e->fib.result == NFT_FIB_RESULT_OIFNAME)
			sel_type(s, NFK_DTYPE(IFNAME), 128, NFK_BO_HOST);
		else
			sel_type(s, NFK_DTYPE(FIB_ADDR), 32, NFK_BO_HOST);
		return true;
	case EX_RT: {
		unsigned fam = e->rt.family ? e->rt.family : r->l3 ? r->l3 :
			       (r->family == NFPROTO_IPV4 || r->family == NFPROTO_IPV6) ? (unsigned)r->family : 0;
		switch (e->rt.key) {
		case NFT_RT_CLASSID:
			sel_type(s, NFK_DTYPE(REALM), 32, NFK_BO_HOST);
			break;
		case NFT_RT_NEXTHOP4:
			if (!fam) {
				cerr(r->c, &e->loc, "Cannot determine IP protocol version, use \"rt ip nexthop\" or \"rt ip6 nexthop\" instead");
				return false;
			}
			if (fam == NFPROTO_IPV6)
				sel_type(s, NFK_DTYPE(IP6ADDR), 128, NFK_BO_BIG);
			else
				sel_type(s, NFK_DTYPE(IPADDR), 32, NFK_BO_BIG);
			s->key = fam == NFPROTO_IPV6 ? NFT_RT_NEXTHOP6 : NFT_RT_NEXTHOP4;
			return true;
		case NFT_RT_TCPMSS:
			sel_type(s, NFK_DTYPE(INTEGER), 16, NFK_BO_HOST);
			break;
		default:
			sel_type(s, NFK_DTYPE(BOOLEAN), 8, NFK_BO_HOST);
		}
		s->key = e->rt.key;
		return true;
	}
	case EX_SOCKET:
		if (e->sock.key == NFT_SOCKET_MARK)
			sel_type(s, NFK_DTYPE(MARK), 32, NFK_BO_HOST);
		else if (e->sock.key == NFT_SOCKET_CGROUPV2)
			sel_type(s, NFK_DTYPE(CGROUPV2), 64, NFK_BO_HOST);
		else
			sel_type(s, NFK_DTYPE(INTEGER), 8, NFK_BO_HOST);
		return true;
	case EX_OSF:
		sel_type(s, NFK_DTYPE(STRING), 128, NFK_BO_HOST);
		return true;
	case EX_XFRM:
		switch (e->xfrm.key) {
		case NFT_XFRM_KEY_REQID:
			sel_type(s, NFK_DTYPE(INTEGER), 32, NFK_BO_HOST);
			break;
		case NFT_XFRM_KEY_SPI:
			sel_type(s, NFK_DTYPE(INTEGER), 32, NFK_BO_BIG);
			break;
		case NFT_XFRM_KEY_SADDR_IP4:
		case NFT_XFRM_KEY_DADDR_IP4:
			sel_type(s, NFK_DTYPE(IPADDR), 32, NFK_BO_BIG);
			break;
		default:
			sel_type(s, NFK_DTYPE(IP6ADDR), 128, NFK_BO_BIG);
		}
		return true;
	default:   /* numgen, hash */
		sel_type(s, NFK_DTYPE(INTEGER), 32, NFK_BO_HOST);
		return true;
	}
}

static bool func_load(struct rctx *r, const struct sel *s, unsigned dreg)
{
	const struct ex *x = s->fx;
	struct nfk_buf *b = r->b;
	struct ebuf e;
	bool ok;

	switch (x->kind) {
	case EX_FIB:
		ok = e_begin(b, &e, "fib") && nfk_schema_put_uint(b, nfk_expr_fib.schema, NFTA_FIB_DREG, dreg) &&
		     nfk_schema_put_uint(b, nfk_expr_fib.schema, NFTA_FIB_RESULT, x->fib.result) &&
		     nfk_schema_put_uint(b, nfk_expr_fib.schema, NFTA_FIB_FLAGS, x->fib.flags);
		break;
	case EX_RT:
		ok = e_begin(b, &e, "rt") && nfk_schema_put_uint(b, nfk_expr_rt.schema, NFTA_RT_DREG, dreg) &&
		     nfk_schema_put_uint(b, nfk_expr_rt.schema, NFTA_RT_KEY, s->key);
		break;
	case EX_SOCKET:
		ok = e_begin(b, &e, "socket") && nfk_schema_put_uint(b, nfk_expr_socket.schema, NFTA_SOCKET_KEY, x->sock.key) &&
		     nfk_schema_put_uint(b, nfk_expr_socket.schema, NFTA_SOCKET_DREG, dreg) &&
		     (x->sock.key != NFT_SOCKET_CGROUPV2 || nfk_schema_put_uint(b, nfk_expr_socket.schema, NFTA_SOCKET_LEVEL, x->sock.level));
		break;
	case EX_OSF:
		ok = e_begin(b, &e, "osf") && nfk_schema_put_uint(b, nfk_expr_osf.schema, NFTA_OSF_DREG, dreg) &&
		     nfk_schema_put_uint(b, nfk_expr_osf.schema, NFTA_OSF_TTL, x->osf.ttl) &&
		     (!x->osf.flags || nfk_schema_put_uint(b, nfk_expr_osf.schema, NFTA_OSF_FLAGS, x->osf.flags));
		break;
	case EX_XFRM:
		ok = e_begin(b, &e, "xfrm") && nfk_schema_put_uint(b, nfk_expr_xfrm.schema, NFTA_XFRM_DREG, dreg) &&
		     nfk_schema_put_uint(b, nfk_expr_xfrm.schema, NFTA_XFRM_KEY, x->xfrm.key) &&
		     nfk_schema_put_uint(b, nfk_expr_xfrm.schema, NFTA_XFRM_DIR, x->xfrm.dir) &&
		     nfk_schema_put_uint(b, nfk_expr_xfrm.schema, NFTA_XFRM_SPNUM, x->xfrm.spnum);
		break;
	case EX_NUMGEN:
		ok = e_begin(b, &e, "numgen") && nfk_schema_put_uint(b, nfk_expr_numgen.schema, NFTA_NG_DREG, dreg) &&
		     nfk_schema_put_uint(b, nfk_expr_numgen.schema, NFTA_NG_MODULUS, x->ng.mod) &&
		     nfk_schema_put_uint(b, nfk_expr_numgen.schema, NFTA_NG_TYPE, x->ng.type) &&
		     nfk_schema_put_uint(b, nfk_expr_numgen.schema, NFTA_NG_OFFSET, x->ng.offset);
		break;
	case EX_HASH: {
		/* jhash: the hashed expression goes to the next register */
		struct sel in;
		unsigned sreg = dreg + 1, len = 0;
		if (x->hash.type == NFT_HASH_JENKINS) {
			if (x->a->kind == EX_CONCAT) {
				unsigned word = (sreg - NFT_REG_1) * 4;
				struct sel ins[16];
				if (x->a->n > 16)
					return false;
				/* dependencies first, as for any concatenation */
				for (size_t i = 0; i < x->a->n; i++)
					if (!sel_resolve(r, x->a->v[i], &ins[i]))
						return false;
				for (size_t i = 0; i < x->a->n; i++) {
					unsigned reg = reg_of_word(word);
					in = ins[i];
					if (!sel_load(r, &in, reg))
						return false;
					word += round4(in.len) / 4;
					len += round4(in.len);
				}
			} else {
				if (!load_expr(r, x->a, &in, sreg))
					return false;
				len = in.len;
			}
		}
		ok = e_begin(b, &e, "hash");
		if (ok && x->hash.type == NFT_HASH_JENKINS)
			ok = nfk_schema_put_uint(b, nfk_expr_hash.schema, NFTA_HASH_SREG, sreg) &&
			     nfk_schema_put_uint(b, nfk_expr_hash.schema, NFTA_HASH_LEN, len);
		ok = ok && nfk_schema_put_uint(b, nfk_expr_hash.schema, NFTA_HASH_DREG, dreg) &&
		     nfk_schema_put_uint(b, nfk_expr_hash.schema, NFTA_HASH_MODULUS, x->hash.mod);
		/* no seed: the kernel picks one at random (and lists none) */
		if (ok && x->hash.type == NFT_HASH_JENKINS && x->hash.has_seed)
			ok = nfk_schema_put_uint(b, nfk_expr_hash.schema, NFTA_HASH_SEED, x->hash.seed);
		ok = ok && (!x->hash.offset || nfk_schema_put_uint(b, nfk_expr_hash.schema, NFTA_HASH_OFFSET, x->hash.offset)) &&
		     nfk_schema_put_uint(b, nfk_expr_hash.schema, NFTA_HASH_TYPE, x->hash.type);
		break;
	}
	default:
		return false;
	}
	return ok && e_end(b, &e);
}

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
		if (!emit_payload_load(r->b, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, NFT_REG_1))
			return false;
		if (n == 1) {
			uint8_t t = strtoul(v[0]->s, NULL, 10);
			return emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, &t, 1);
		}
		const struct kset *ks = anon_set(r, &set, &ts, 1, NULL, false, &e->loc);
		return ks && emit_lookup(r->b, ks->name, ks->id, NFT_REG_1, -1, false);
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

/* Resolves a selector to what it loads, emitting its dependencies. */
static bool sel_resolve(struct rctx *r, const struct ex *e, struct sel *s)
{
	memset(s, 0, sizeof(*s));
	s->kind = e->kind;
	s->dir = -1;
	switch (e->kind) {
	case EX_PAYLOAD: {
		const struct nfk_hdr_field *f = e->pl.field;
		if (!payload_dep(r, e->pl.proto, &e->loc) ||
		    (strcmp(e->pl.proto->name, "raw") && !icmp_type_dep(r, e)))
			return false;
		s->dtype = f->dtype;
		s->bo = f->bo ? f->bo : NFK_BO_BIG;
		s->bits = f->bits;
		s->base = e->pl.proto->base == NFK_BASE_LL ? NFT_PAYLOAD_LL_HEADER :
			  e->pl.proto->base == NFK_BASE_NETWORK ? NFT_PAYLOAD_NETWORK_HEADER :
			  e->pl.proto->base == NFK_BASE_TRANSPORT ? NFT_PAYLOAD_TRANSPORT_HEADER :
								 NFT_PAYLOAD_INNER_HEADER;
		s->offset = f->offset / 8;
		s->proto_key = is_proto_key(e->pl.proto, f);
		/* headers carried inside the Ethernet frame start after it */
		if (e->pl.proto->base == NFK_BASE_LL && e->pl.proto->ethertype)
			s->offset += 14 + r->vlan_off;
		unsigned first = f->offset % 8;
		s->len = (first + f->bits + 7) / 8;
		if (first || f->bits % 8) {
			s->masked = true;
			s->shift = s->len * 8 - first - f->bits;
			/* mask bits [first, first+bits) of the big-endian window */
			for (unsigned i = 0; i < s->len * 8; i++)
				if (i >= first && i < first + f->bits)
					s->mask[i / 8] |= 0x80 >> (i % 8);
		}
		return true;
	}
	case EX_EXTHDR: {
		/* options and chunks carry no protocol dependency in nft 1.0.6 */
		const char *dep = e->xt.op == NFT_EXTHDR_OP_IPV6 ? "ip6" :
				  e->xt.op == NFT_EXTHDR_OP_IPV4 ? "ip" : NULL;
		const struct nfk_proto *pr = dep ? nfk_proto_by_name(dep) : NULL;
		if (pr && !payload_dep(r, pr, &e->loc))
			return false;
		s->xop = e->xt.op;
		s->xtype = e->xt.type;
		s->base = 0;
		unsigned off = 0, bits = 8;
		if (e->xt.field) {
			off = e->xt.field->offset, bits = e->xt.field->bits;
			s->dtype = e->xt.field->dtype;
		} else if (e->xt.bits) {
			off = e->xt.off, bits = e->xt.bits;
			s->dtype = NFK_DTYPE(INTEGER);
		} else {
			s->present = true;
			s->dtype = NFK_DTYPE(BOOLEAN);
		}
		s->bo = NFK_BO_BIG;
		s->bits = bits;
		s->offset = off / 8;
		unsigned first = off % 8;
		s->len = (first + bits + 7) / 8;
		if (first || bits % 8) {
			s->masked = true;
			s->shift = s->len * 8 - first - bits;
			for (unsigned i = 0; i < s->len * 8; i++)
				if (i >= first && i < first + bits)
					s->mask[i / 8] |= 0x80 >> (i % 8);
		}
		return true;
	}
	case EX_FIB: case EX_RT: case EX_SOCKET: case EX_OSF: case EX_XFRM:
	case EX_NUMGEN: case EX_HASH:
		return func_resolve(r, e, s);
	case EX_META: {
		const struct nfk_key *k = e->sk.key;
		if (k->key == NFT_META_NFPROTO && r->family != NFPROTO_INET) {
			cerr(r->c, &e->loc, "meta nfproto is only useful in the inet family");
			return false;
		}
		s->dtype = k->dtype;
		s->bo = k->bo ? k->bo : nfk_dtype_bo(k->dtype);
		s->bits = k->bits ? k->bits : k->dtype->bits;
		s->len = (s->bits + 7) / 8;
		s->key = k->key;
		return true;
	}
	case EX_CT: {
		const struct nfk_key *k = e->sk.key;
		if (k->dtype && r->l3 && ((k->dtype->id == NFK_TYPE_IPADDR && r->l3 != NFPROTO_IPV4) ||
					  (k->dtype->id == NFK_TYPE_IP6ADDR && r->l3 != NFPROTO_IPV6))) {
			cerr(r->c, &e->loc, "conflicting protocols specified");
			return false;
		}
		if (!k->dtype && r->key_ctx && (k->key == NFT_CT_SRC || k->key == NFT_CT_DST)) {
			/* a value cannot tell the family of a map key or concatenation */
			cerr(r->c, &e->loc, "specify either ip or ip6 for address matching");
			return false;
		}
		s->dtype = k->dtype;
		s->bits = k->bits ? k->bits : (k->dtype ? k->dtype->bits : 0);
		if (!s->dtype || !s->bits) {
			unsigned l3 = r->l3 ? r->l3 :
				      (r->family == NFPROTO_IPV4 || r->family == NFPROTO_IPV6) ? (unsigned)r->family : 0;
			unsigned bits = 0;
			const struct nfk_dtype *t = nfk_ct_key_dtype(k, l3, &bits);
			if (!t) {
				cerr(r->c, &e->loc, "cannot determine ip protocol version, use \"ip %s\" or \"ip6 %s\" instead",
				     k->name, k->name);
				return false;
			}
			s->dtype = t;
			s->bits = bits;
		}
		s->bo = k->bo ? k->bo : nfk_dtype_bo(s->dtype);
		s->len = (s->bits + 7) / 8;
		s->key = k->key;
		s->dir = e->sk.dir;
		return true;
	}
	default:
		cerr(r->c, &e->loc, "unsupported selector");
		return false;
	}
}

static bool sel_load(struct rctx *r, const struct sel *s, unsigned dreg)
{
	struct ebuf e;

	r->last_load = r->b->len;

	switch (s->kind) {
	case EX_PAYLOAD:
		if (!emit_payload_load(r->b, s->base, s->offset, s->len, dreg))
			return false;
		r->last_plen = r->b->len - 4;
		if (s->masked) {
			uint8_t zero[16] = { 0 };
			return emit_bitwise(r->b, dreg, s->mask, zero, s->len);
		}
		return true;
	case EX_META:
		return emit_meta_load(r->b, s->key, dreg);
	case EX_FIB: case EX_RT: case EX_SOCKET: case EX_OSF: case EX_XFRM:
	case EX_NUMGEN: case EX_HASH:
		return func_load(r, s, dreg);
	case EX_EXTHDR:
		if (!e_begin(r->b, &e, "exthdr") || !nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_DREG, dreg) ||
		    !nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_TYPE, s->xtype) ||
		    !nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_OFFSET, s->offset) ||
		    !nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_LEN, s->len) ||
		    (s->present && !nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_FLAGS, NFT_EXTHDR_F_PRESENT)) ||
		    !nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_OP, s->xop) || !e_end(r->b, &e))
			return false;
		if (s->masked) {
			uint8_t zero[16] = { 0 };
			return emit_bitwise(r->b, dreg, s->mask, zero, s->len);
		}
		return true;
	case EX_CT:
		if (!e_begin(r->b, &e, "ct") || !nfk_schema_put_uint(r->b, nfk_expr_ct.schema, NFTA_CT_DREG, dreg) ||
		    !nfk_schema_put_uint(r->b, nfk_expr_ct.schema, NFTA_CT_KEY, s->key))
			return false;
		if (s->dir >= 0 && !nfk_schema_put_uint(r->b, nfk_expr_ct.schema, NFTA_CT_DIRECTION, s->dir))
			return false;
		return e_end(r->b, &e);
	default:
		return false;
	}
}

static bool is_selector(const struct ex *e)
{
	return e->kind == EX_PAYLOAD || e->kind == EX_META || e->kind == EX_CT ||
	       e->kind == EX_EXTHDR || e->kind == EX_FIB || e->kind == EX_RT ||
	       e->kind == EX_SOCKET || e->kind == EX_OSF || e->kind == EX_XFRM ||
	       e->kind == EX_NUMGEN || e->kind == EX_HASH;
}

static bool sel_value(struct cctx *c, const struct sel *s, const struct ex *e, uint8_t *out,
		      unsigned *len);
static bool value_text(struct cctx *c, const struct ex *e, const struct nfk_dtype *t,
		       enum nfk_byteorder bo, unsigned bits, uint8_t *out, unsigned *len);

static bool emit_shift(struct nfk_buf *b, unsigned reg, int op, uint32_t n, unsigned len)
{
	struct ebuf e;

	return e_begin(b, &e, "bitwise") && nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_SREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_DREG, reg) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_OP, op == T_SHL ? NFT_BITWISE_LSHIFT : NFT_BITWISE_RSHIFT) &&
	       nfk_schema_put_uint(b, nfk_expr_bitwise.schema, NFTA_BITWISE_LEN, len) &&
	       put_data(b, NFTA_BITWISE_DATA, &n, 4) && e_end(b, &e);
}

/* Loads a selector, or a selector combined with constants ("ct mark or
 * 0x1", "(meta mark | 0x10) << 8"), into dreg; s describes the result. */
static bool load_expr(struct rctx *r, const struct ex *e, struct sel *s, unsigned dreg)
{
	if (is_selector(e))
		return sel_resolve(r, e, s) && sel_load(r, s, dreg);
	if (e->kind == EX_MAP && r->map_data) {
		/* key map { k : v }: the lookup writes the value to dreg */
		struct sel ks[16];
		unsigned n;
		const struct kset *m;
		struct kset tmp;
		const struct sel *target = r->map_data;
		*s = *target;
		/* the key goes where the value will: a nat address already
		 * loaded into an earlier register stays intact */
		unsigned base = dreg >= NFT_REG_1 && dreg <= NFT_REG_4 ? (dreg - NFT_REG_1) * 4 : 0;
		unsigned sreg = reg_of_word(base);
		if (e->a->kind == EX_BINOP) {
			n = 1;
			if (!load_expr(r, e->a, &ks[0], sreg))
				return false;
		} else {
			r->key_ctx = true;
			r->key_word = base;
			r->concat_hton = concat_wants_hton(r, e->a, e->b);
			bool ok = load_concat(r, e->a, ks, &n);
			r->concat_hton = false;
			r->key_word = 0;
			r->key_ctx = false;
			if (!ok)
				return false;
			/* interval keys compare in network order */
			if (n == 1 && ks[0].bo == NFK_BO_HOST && ks[0].len > 1 &&
			    e->b->kind == EX_SET && set_has_intervals(e->b)) {
				if (!emit_byteorder(r->b, sreg, ks[0].len))
					return false;
				ks[0].bo = NFK_BO_BIG;
			}
		}
		if (e->b->kind == EX_SETREF) {
			m = find_set(r->c, r->family, r->table, e->b->s, &tmp);
			if (!m) {
				set_missing(r->c, &e->b->loc, r->family, r->table, e->b->s);
				return false;
			}
		} else if (e->b->kind == EX_SET) {
			m = anon_set(r, e->b, ks, n, target->dtype, true, &e->loc);
			if (!m)
				return false;
		} else {
			cerr(r->c, &e->b->loc, "Expression is not a map");
			return false;
		}
		return emit_lookup(r->b, m->name, m->id, sreg, dreg, false);
	}
	if (e->kind != EX_BINOP) {
		cerr(r->c, &e->loc, "expression is not a selector");
		return false;
	}
	if (!load_expr(r, e->a, s, dreg))
		return false;
	if (e->binop == T_SHL || e->binop == T_SHR) {
		uint8_t v[16];
		unsigned l = 4;
		if (!value_text(r->c, e->b, NFK_DTYPE(INTEGER), NFK_BO_HOST, 32, v, &l))
			return false;
		uint32_t n;
		memcpy(&n, v, 4);
		return emit_shift(r->b, dreg, e->binop, n, s->len);
	}
	uint8_t m[16], x[16] = { 0 };
	unsigned ml = s->len;
	if (!sel_value(r->c, s, e->b, m, &ml))
		return false;
	if (e->binop == '|') {
		memcpy(x, m, ml);
		for (unsigned i = 0; i < ml; i++)
			m[i] = ~m[i];
	} else if (e->binop == '^') {
		memcpy(x, m, ml);
		memset(m, 0xff, ml);
	}
	return emit_bitwise(r->b, dreg, m, x, s->len);
}

/* ---- values ----------------------------------------------------------- */

/* A plain dotted quad ("10.1.2.3"), the bulk of huge element lists;
 * anything else takes the general path. */
static bool ip4_fast(const char *s, uint8_t *out)
{
	for (int i = 0; i < 4; i++) {
		const char *start = s;
		unsigned v = 0, d = 0;
		while (*s >= '0' && *s <= '9' && d < 3)
			v = v * 10 + (unsigned)(*s++ - '0'), d++;
		/* a leading zero means octal to inet_aton: leave it to the parser */
		if (!d || v > 255 || (d > 1 && *start == '0') || *s != (i < 3 ? '.' : 0))
			return false;
		out[i] = (uint8_t)v;
		s++;
	}
	return true;
}

/* Words nft's grammar reads as Internet protocol constants wherever a
 * value is expected. */
static bool proto_keyword(const char *w)
{
	static const char *const kw[] = {
		"tcp", "udp", "udplite", "esp", "ah", "icmp", "icmpv6", "igmp", "comp",
		"dccp", "sctp",
	};
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (!strcmp(w, kw[i]))
			return true;
	return false;
}

static bool value_text(struct cctx *c, const struct ex *e, const struct nfk_dtype *t,
		       enum nfk_byteorder bo, unsigned bits, uint8_t *out, unsigned *len)
{
	char err[160] = "";
	unsigned l = (bits + 7) / 8;

	if (e->kind == EX_BINOP && e->binop != T_SHL && e->binop != T_SHR) {
		/* constant expressions: "0x11 xor 0x1331", "syn | ack" */
		uint8_t b[16];
		unsigned lb = l;
		if (!value_text(c, e->a, t, bo, bits, out, len) ||
		    !value_text(c, e->b, t, bo, bits, b, &lb))
			return false;
		for (unsigned i = 0; i < *len; i++)
			out[i] = e->binop == '&' ? out[i] & b[i] : e->binop == '|' ? out[i] | b[i] : out[i] ^ b[i];
		return true;
	}
	if (e->kind == EX_LIST && t->bitmask) {
		uint8_t b[16];
		unsigned lb = l;
		if (!value_text(c, e->v[0], t, bo, bits, out, len))
			return false;
		for (size_t j = 1; j < e->n; j++) {
			if (!value_text(c, e->v[j], t, bo, bits, b, &lb))
				return false;
			for (unsigned i = 0; i < *len; i++)
				out[i] |= b[i];
		}
		return true;
	}
	if (e->kind != EX_SYM && e->kind != EX_STR) {
		cerr(c, &e->loc, "syntax error, expecting a value");
		return false;
	}
	memset(out, 0, 16);
	if (e->kind == EX_STR && !e->s[0]) {
		cerr(c, &e->loc, "Empty string is not allowed");
		return false;
	}
	if (t->id == NFK_TYPE_IPADDR && e->kind == EX_SYM && bits == 32 && ip4_fast(e->s, out)) {
		*len = 4;
		return true;
	}
	if (t->id == NFK_TYPE_IFINDEX && e->kind == EX_SYM && e->s[0] >= '0' && e->s[0] <= '9') {
		/* interface indexes may be given as numbers */
		char *end;
		unsigned long v = strtoul(e->s, &end, 0);
		if (!*end && v <= UINT32_MAX) {
			uint32_t x = v;
			memcpy(out, &x, 4);
			*len = 4;
			return true;
		}
	}
	if (nfk_value_parse(t, bo, bits, e->s, out, &l, err, sizeof(err))) {
		if (e->kind == EX_SYM && c->match_lhs && proto_keyword(e->s) &&
		    !nfk_dtype_is(t, NFK_DTYPE(INET_PROTOCOL))) {
			/* nft's grammar makes these words protocol constants */
			char msg[256];
			snprintf(msg, sizeof(msg), "datatype mismatch, expected %s, expression has type %s",
				 t->desc, NFK_DTYPE(INET_PROTOCOL)->desc);
			cerr_ctx(c, &e->loc, c->match_lhs, msg);
			return false;
		}
		cerr(c, &e->loc, "%s", err[0] ? err : "Could not parse value");
		return false;
	}
	*len = l;
	return true;
}

/* Sub-byte fields compare shifted values: vlan id 4094 -> 0x0ffe in the
 * 2-byte window. */
static void shift_value(const struct sel *s, uint8_t *v, unsigned *len)
{
	if (!s->masked)
		return;
	uint64_t x = nfk_value_get_uint(v, *len, NFK_BO_BIG) << s->shift;
	memset(v, 0, 16);
	nfk_value_put_uint(v, s->len, NFK_BO_BIG, x);
	*len = s->len;
}

static bool sel_value(struct cctx *c, const struct sel *s, const struct ex *e, uint8_t *out,
		      unsigned *len)
{
	if (!value_text(c, e, s->dtype, s->bo, s->bits, out, len))
		return false;
	shift_value(s, out, len);
	return true;
}

/* Big-endian increment; false on overflow. */
static bool be_inc(uint8_t *v, unsigned len)
{
	for (unsigned i = len; i-- > 0;)
		if (++v[i])
			return true;
	return false;
}

static void prefix_mask(uint8_t *mask, unsigned len, unsigned plen)
{
	memset(mask, 0, len);
	for (unsigned i = 0; i < plen && i < len * 8; i++)
		mask[i / 8] |= 0x80 >> (i % 8);
}

/* A prefix mask of a value in byte order bo: host-order integers get
 * their top bits set, as the integer reads. */
static void prefix_mask_bo(uint8_t *mask, unsigned len, unsigned plen, enum nfk_byteorder bo)
{
	prefix_mask(mask, len, plen);
	if (bo == NFK_BO_HOST && len <= 8) {
		uint64_t m = nfk_value_get_uint(mask, len, NFK_BO_BIG);
		nfk_value_put_uint(mask, len, NFK_BO_HOST, m);
	}
}

/* Which attribute of each kind of message names what: the table, the
 * object (chain, set, object, flowtable) and the handle.  A kernel error
 * whose extended ACK points at one of them is shown under that name, as
 * nft shows it. */
static const struct {
	uint16_t msgs[3];             /* NEW, DEL, DESTROY */
	uint16_t table, name, handle;
	bool name_is_chain;
} name_attrs[] = {
	{ { NFT_MSG_NEWTABLE, NFT_MSG_DELTABLE, NFT_MSG_DESTROYTABLE },
	  NFTA_TABLE_NAME, 0, NFTA_TABLE_HANDLE, false },
	{ { NFT_MSG_NEWCHAIN, NFT_MSG_DELCHAIN, NFT_MSG_DESTROYCHAIN },
	  NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME, NFTA_CHAIN_HANDLE, true },
	{ { NFT_MSG_NEWRULE, NFT_MSG_DELRULE, NFT_MSG_DESTROYRULE },
	  NFTA_RULE_TABLE, NFTA_RULE_CHAIN, NFTA_RULE_HANDLE, true },
	{ { NFT_MSG_NEWSET, NFT_MSG_DELSET, NFT_MSG_DESTROYSET },
	  NFTA_SET_TABLE, NFTA_SET_NAME, NFTA_SET_HANDLE, false },
	{ { NFT_MSG_NEWSETELEM, NFT_MSG_DELSETELEM, NFT_MSG_DESTROYSETELEM },
	  NFTA_SET_ELEM_LIST_TABLE, NFTA_SET_ELEM_LIST_SET, 0, false },
	{ { NFT_MSG_NEWOBJ, NFT_MSG_DELOBJ, NFT_MSG_DESTROYOBJ },
	  NFTA_OBJ_TABLE, NFTA_OBJ_NAME, NFTA_OBJ_HANDLE, false },
	{ { NFT_MSG_NEWFLOWTABLE, NFT_MSG_DELFLOWTABLE, 0 },
	  NFTA_FLOWTABLE_TABLE, NFTA_FLOWTABLE_NAME, NFTA_FLOWTABLE_HANDLE, false },
};

/* Records where the names of a command's message were written. */
static void errmap_names(struct cctx *c, const struct nlmsghdr *nlh, const void *cookie,
			 const struct nfk_handle *h)
{
	unsigned type = nlh->nlmsg_type & 0xff;
	size_t k = 0, nk = sizeof(name_attrs) / sizeof(name_attrs[0]);

	while (k < nk && name_attrs[k].msgs[0] != type && name_attrs[k].msgs[1] != type &&
	       name_attrs[k].msgs[2] != type)
		k++;
	if (k == nk)
		return;
	struct errmap *em = nfk_arena_alloc(&c->sc->arena, sizeof(*em));
	if (!em)
		return;
	const struct nfk_loc *name = name_attrs[k].name_is_chain ? &h->chain_loc : &h->set_loc;
	if (!name_attrs[k].name)
		name = &h->table_loc;
	const uint8_t *base = (const uint8_t *)nlh;
	nfk_attr_for_each(a, rem, base + NFK_MSG_HDRLEN, nlh->nlmsg_len - NFK_MSG_HDRLEN) {
		unsigned at = a->nla_type & NLA_TYPE_MASK;
		const struct nfk_loc *l = at == name_attrs[k].table ? &h->table_loc :
					  at == name_attrs[k].name ? name :
					  at == name_attrs[k].handle ? &h->handle_loc : NULL;
		if (l && l->line && em->nnames < 3) {
			em->name_off[em->nnames] = (uint32_t)((const uint8_t *)a - base);
			em->name_loc[em->nnames++] = l;
		}
	}
	em->cookie = cookie;
	em->next = c->sc->errmaps;
	c->sc->errmaps = em;
}

/* Ends a message of the command being compiled, noting its names. */
static void end_msg(struct cctx *c, struct nlmsghdr *nlh, const void *cookie)
{
	nfk_batch_end_msg(c->b, nlh);
	if (c->cur_h)
		errmap_names(c, nlh, cookie, c->cur_h);
}

/* ---- sets: anonymous and named -------------------------------------- */

/* Element encoding state for one NEWSETELEM message stream. */
struct elw {
	struct cctx *c;
	int family;
	const char *table;
	const char *set;
	uint32_t set_id;
	const struct kset *ks;
	uint16_t msgtype;
	uint16_t msgflags;
	const void *cookie;
	struct nlmsghdr *nlh;
	struct nfk_buf *buf;
	struct nlattr *list;
	unsigned count;
	/* interval sets: collected ranges, emitted sorted at the end */
	const void *msg_cookie;       /* the open message's cookie */
	struct errmap *em;            /* its element -> source map, or NULL */
	size_t emcap;
	unsigned nrec;                /* elements mapped so far */
	bool interval;
	bool no_zero;                 /* add element: no leading end element at zero */
	bool kmerge;                  /* auto-merge with the kernel's intervals in old */
	const struct nfk_elem_probe *probe;  /* an existing set, not dumped: ask */
	bool gather;                  /* set declaration: also the script's later adds */
	uint8_t *old;                 /* the kernel's intervals [lo, hi], sorted */
	size_t nold;
	uint8_t *ranges;              /* n * 2 * klen bytes: [lo, hi] inclusive */
	struct elem_extra *extra;
	size_t nranges, capranges;
	unsigned klen;
};

struct elem_extra {
	const char *objref;           /* object maps: the object's name */
	int vcode;                    /* data verdict, or INT32_MIN */
	const char *chain;
	uint8_t data[48];             /* up to an interval of address . port */
	unsigned dlen;
	uint64_t timeout;
	const char *comment;
	struct nfk_loc loc;           /* the key as written: conflict errors */
	bool open;                    /* interval up to the maximum: no end element */
};

/* Commands with up to this many elements get a map from each element to
 * where it was written, so that a kernel error about one element (an
 * overlap) points at it; a million-element block is not worth the memory. */
#define ELEM_ERRMAP_MAX 4096

static void elw_errmap_open(struct elw *w)
{
	struct nfk_arena *ar = &w->c->sc->arena;
	struct nfk_loc *l;
	struct errmap *em;

	w->em = NULL;
	w->msg_cookie = w->cookie;
	if (!w->cookie || w->nrec >= ELEM_ERRMAP_MAX)
		return;
	l = nfk_arena_alloc(ar, sizeof(*l));
	em = nfk_arena_alloc(ar, sizeof(*em));
	if (!l || !em)
		return;
	/* each message its own cookie: errors name a message, and offsets
	 * only mean something within it */
	*l = *(const struct nfk_loc *)w->cookie;
	memset(em, 0, sizeof(*em));
	em->cookie = l;
	em->next = w->c->sc->errmaps;
	w->c->sc->errmaps = em;
	w->em = em;
	w->emcap = 0;
	w->msg_cookie = l;
}

static void elw_errmap_push(struct elw *w, const struct nlattr *el, const struct nfk_loc *loc)
{
	struct nfk_arena *ar = &w->c->sc->arena;
	struct errmap *em = w->em;

	if (!em || w->nrec >= ELEM_ERRMAP_MAX)
		return;
	if (em->n == w->emcap) {
		size_t cap = w->emcap ? 2 * w->emcap : 16;
		uint32_t *off = nfk_arena_alloc(ar, cap * sizeof(*off));
		const struct nfk_loc **locs = nfk_arena_alloc(ar, cap * sizeof(*locs));

		if (!off || !locs)
			return;
		if (em->n) {
			memcpy(off, em->off, em->n * sizeof(*off));
			memcpy(locs, em->loc, em->n * sizeof(*locs));
		}
		em->off = off;
		em->loc = locs;
		w->emcap = cap;
	}
	struct nfk_loc *l = nfk_arena_alloc(ar, sizeof(*l));
	if (!l)
		return;
	*l = *loc;
	em->off[em->n] = (uint32_t)((const uint8_t *)el - (const uint8_t *)w->nlh);
	em->loc[em->n++] = l;
	w->nrec++;
}

static bool elw_open(struct elw *w)
{
	elw_errmap_open(w);
	w->nlh = nfk_batch_msg(w->c->b, &w->buf, w->msgtype, w->msgflags, w->family, w->msg_cookie);
	if (!w->nlh)
		return false;
	if (!nfk_attr_put_str(w->buf, NFTA_SET_ELEM_LIST_TABLE, w->table) ||
	    !nfk_attr_put_str(w->buf, NFTA_SET_ELEM_LIST_SET, w->set))
		return false;
	if (w->set_id && !nfk_schema_put_uint(w->buf, &nfk_setelem_list_schema, NFTA_SET_ELEM_LIST_SET_ID, w->set_id))
		return false;
	w->list = nfk_nest_start(w->buf, NFTA_SET_ELEM_LIST_ELEMENTS);
	return w->list != NULL;
}

static void elw_close(struct elw *w)
{
	if (!w->nlh)
		return;
	nfk_nest_end(w->buf, w->list);
	end_msg(w->c, w->nlh, w->msg_cookie);
	w->nlh = NULL;
}

/* Room a message may use: nests carry 16-bit lengths. */
#define ELEM_MSG_LIMIT 60000

static bool elw_put_end(struct elw *w, const uint8_t *key, const uint8_t *key_end,
			unsigned klen, uint32_t flags, const struct elem_extra *x);

static bool elw_put(struct elw *w, const uint8_t *key, unsigned klen, uint32_t flags,
		    const struct elem_extra *x)
{
	return elw_put_end(w, key, NULL, klen, flags, x);
}

static bool elw_put_end(struct elw *w, const uint8_t *key, const uint8_t *key_end,
			unsigned klen, uint32_t flags, const struct elem_extra *x)
{
	if (w->nlh && w->buf->len > ELEM_MSG_LIMIT)
		elw_close(w);
	if (!w->nlh && !elw_open(w))
		return false;
	struct nfk_buf *b = w->buf;
	struct nlattr *el = nfk_nest_start(b, NFTA_LIST_ELEM);
	if (!el)
		return false;
	if (x && x->loc.line && !(flags & NFT_SET_ELEM_INTERVAL_END))
		elw_errmap_push(w, el, &x->loc);
	if (klen && !put_data(b, NFTA_SET_ELEM_KEY, key, klen))
		return false;
	if (key_end && !put_data(b, NFTA_SET_ELEM_KEY_END, key_end, klen))
		return false;
	if (flags && !nfk_schema_put_uint(b, &nfk_setelem_schema, NFTA_SET_ELEM_FLAGS, flags))
		return false;
	if (x && x->timeout && !nfk_schema_put_uint(b, &nfk_setelem_schema, NFTA_SET_ELEM_TIMEOUT, x->timeout))
		return false;
	if (x && !(flags & NFT_SET_ELEM_INTERVAL_END)) {
		if (x->objref) {
			if (!nfk_attr_put_str(b, NFTA_SET_ELEM_OBJREF, x->objref))
				return false;
		} else if (x->vcode != INT32_MIN) {
			if (!put_verdict(b, NFTA_SET_ELEM_DATA, x->vcode, x->chain))
				return false;
		} else if (x->dlen && !put_data(b, NFTA_SET_ELEM_DATA, x->data, x->dlen)) {
			return false;
		}
		/* nft's element user data: comment, then flags */
		uint8_t ud[264];
		size_t ul = 0;
		if (x->comment) {
			size_t l = strlen(x->comment) + 1;
			if (l > 255)
				l = 255;
			ud[ul++] = 0;    /* comment */
			ud[ul++] = l;
			memcpy(ud + ul, x->comment, l - 1);
			ud[ul + l - 1] = 0;
			ul += l;
		}
		if (x->open) {
			uint32_t f = 1;  /* interval open towards the maximum */
			ud[ul++] = 1;
			ud[ul++] = 4;
			memcpy(ud + ul, &f, 4);
			ul += 4;
		}
		if (ul && !nfk_attr_put(b, NFTA_SET_ELEM_USERDATA, ud, ul))
			return false;
	}
	nfk_nest_end(b, el);
	w->count++;
	return true;
}

static bool elw_range(struct elw *w, const uint8_t *lo, const uint8_t *hi,
		      const struct elem_extra *x)
{
	if (w->nranges == w->capranges) {
		size_t nc = w->capranges ? w->capranges * 2 : 64;
		uint8_t *nr = realloc(w->ranges, nc * 2 * w->klen);
		struct elem_extra *ne = realloc(w->extra, nc * sizeof(*ne));
		if (nr)
			w->ranges = nr;
		if (ne)
			w->extra = ne;
		if (!nr || !ne)
			return false;
		w->capranges = nc;
	}
	memcpy(w->ranges + w->nranges * 2 * w->klen, lo, w->klen);
	memcpy(w->ranges + (w->nranges * 2 + 1) * w->klen, hi, w->klen);
	/* the element's strings live in the per-element scratch arena */
	struct elem_extra *e = &w->extra[w->nranges];
	*e = *x;
	const char **strs[] = { &e->comment, &e->objref, &e->chain };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (*strs[i] && !(*strs[i] = nfk_arena_strndup(&w->c->ar, *strs[i], strlen(*strs[i]))))
			return false;
	w->nranges++;
	return true;
}

static unsigned sort_klen;
/* by start, then by position in the script: stable, as nft's order */
static int range_cmp(const void *a, const void *b)
{
	int r = memcmp(a, b, sort_klen);
	size_t ia, ib;

	if (r)
		return r;
	memcpy(&ia, (const uint8_t *)a + 2 * sort_klen, sizeof(ia));
	memcpy(&ib, (const uint8_t *)b + 2 * sort_klen, sizeof(ib));
	return ia < ib ? -1 : ia > ib;
}

/* The run of ranges from i that auto-merge joins (touching or
 * overlapping), sorted by start: the index after it; its last value in end. */
static size_t merge_run(const uint8_t *sorted, size_t n, size_t rec, unsigned klen, size_t i,
			uint8_t *end)
{
	memcpy(end, sorted + i * rec + klen, klen);
	for (i++; i < n; i++) {
		uint8_t next_start[64];
		const uint8_t *nlo = sorted + i * rec;
		memcpy(next_start, end, klen);
		if (be_inc(next_start, klen) && memcmp(nlo, next_start, klen) > 0)
			break;
		if (memcmp(nlo + klen, end, klen) > 0)
			memcpy(end, nlo + klen, klen);
	}
	return i;
}

#define KERNEL_RANGE SIZE_MAX     /* a range's index: the kernel holds it */

/* Auto-merge with the kernel's intervals (w->old: those near the new
 * ranges, or all of them): as nft does, the kernel's intervals a new range
 * joins are deleted (one message, first) and the joined range is added;
 * a new range inside one interval adds nothing.  *sorted (new ranges, by
 * start) becomes the ranges to add. */
static bool kernel_merge(struct elw *w, uint8_t **sorted, size_t rec)
{
	unsigned kl = w->klen;
	size_t n = w->nranges + w->nold, out = 0;
	uint8_t *all = malloc(n * rec + 1), *keep = malloc(n * rec + 1);
	struct elw d = { .c = w->c, .family = w->family, .table = w->table, .set = w->set,
			 .set_id = w->set_id, .ks = w->ks, .msgtype = NFT_MSG_DELSETELEM,
			 .cookie = w->cookie, .klen = kl };
	bool ok = all && keep;

	if (!ok)
		goto out;
	memcpy(all, *sorted, w->nranges * rec);
	for (size_t i = 0; i < w->nold; i++) {
		uint8_t *r = all + (w->nranges + i) * rec;
		size_t k = KERNEL_RANGE;
		memcpy(r, w->old + i * 2 * kl, 2 * kl);
		memcpy(r + 2 * kl, &k, sizeof(k));
	}
	sort_klen = kl;
	qsort(all, n, rec, range_cmp);
	for (size_t i = 0, j; ok && i < n; i = j) {
		uint8_t end[64], one[64];
		size_t nnew = 0, nk = 0, k, first = 0;
		j = merge_run(all, n, rec, kl, i, end);
		for (size_t m = i; m < j; m++) {
			memcpy(&k, all + m * rec + 2 * kl, sizeof(k));
			if (k != KERNEL_RANGE && !nnew++)
				first = m;
			nk += k == KERNEL_RANGE;
		}
		const uint8_t *lo = all + i * rec;
		memcpy(&k, lo + 2 * kl, sizeof(k));
		/* nothing new, or all of it inside one interval the kernel has */
		if (!nnew || (nk == 1 && k == KERNEL_RANGE && !memcmp(lo + kl, end, kl)))
			continue;
		for (size_t m = i; ok && m < j; m++) {
			const uint8_t *r = all + m * rec;
			memcpy(&k, r + 2 * kl, sizeof(k));
			if (k != KERNEL_RANGE)
				continue;
			memcpy(one, r + kl, kl);
			ok = elw_put(&d, r, kl, 0, NULL);
			if (ok && be_inc(one, kl))
				ok = elw_put(&d, one, kl, NFT_SET_ELEM_INTERVAL_END, NULL);
		}
		/* the joined range, with the first new range's data */
		uint8_t *r = keep + out++ * rec;
		memcpy(r, lo, kl);
		memcpy(r + kl, end, kl);
		memcpy(r + 2 * kl, all + first * rec + 2 * kl, sizeof(size_t));
	}
	elw_close(&d);
	if (ok) {
		free(*sorted);
		*sorted = keep;
		keep = NULL;
		w->nranges = out;
	}
out:
	free(all);
	free(keep);
	return ok;
}

static bool be_dec(uint8_t *v, unsigned len)
{
	for (unsigned i = len; i-- > 0;)
		if (v[i]--)
			return true;
	return false;
}

/* Appends the kernel's interval holding key to w->old, unless known. */
static int old_at(struct elw *w, const uint8_t *key)
{
	uint8_t lo[64], hi[64];
	unsigned kl = w->klen;
	int ret = w->probe->interval_at(w->probe->arg, w->family, w->table, w->set, key, kl, lo, hi);

	if (ret <= 0)
		return ret;
	for (size_t i = 0; i < w->nold; i++)
		if (!memcmp(w->old + i * 2 * kl, lo, kl))
			return 1;
	uint8_t *nv = realloc(w->old, (w->nold + 1) * 2 * kl);
	if (!nv)
		return -ENOMEM;
	w->old = nv;
	memcpy(nv + w->nold * 2 * kl, lo, kl);
	memcpy(nv + (w->nold * 2 + 1) * kl, hi, kl);
	w->nold++;
	return 1;
}

/* Auto-merge without a dump: the kernel's intervals each run of new
 * ranges may join, asked for one by one: the one holding the value below
 * the run (else its first value), and the one holding the value above it
 * (else its last).  An interval wholly inside a run is not found this way;
 * the kernel then refuses the batch and the caller retries with a dump. */
static bool kernel_neighbours(struct elw *w, const uint8_t *sorted, size_t rec)
{
	unsigned kl = w->klen;

	for (size_t i = 0, j; i < w->nranges; i = j) {
		uint8_t lo[64], end[64], k[64];
		int ret = 0;
		j = merge_run(sorted, w->nranges, rec, kl, i, end);
		memcpy(lo, sorted + i * rec, kl);
		memcpy(k, lo, kl);
		if (be_dec(k, kl))
			ret = old_at(w, k);
		if (ret == 0)
			ret = old_at(w, lo);
		memcpy(k, end, kl);
		if (ret >= 0 && be_inc(k, kl))
			ret = old_at(w, k);
		else if (ret >= 0)
			ret = 0;
		if (ret == 0)
			ret = old_at(w, end);
		if (ret == -ENOMEM)
			return false;
	}
	w->kmerge = true;
	return true;
}

/* nft's interval encoding: each [lo, hi] becomes lo, and hi + 1 flagged as
 * an interval end (none when hi is the maximum: the element is marked open
 * instead); a leading end element at zero closes the space below the first
 * interval.  Anonymous and auto-merge sets join adjacent and overlapping
 * intervals; other sets keep adjacent ones apart and refuse overlaps. */
static bool elw_flush_ranges(struct elw *w)
{
	if (!w->nranges)
		return true;
	size_t rec = 2 * w->klen + sizeof(size_t);
	uint8_t *sorted = malloc(w->nranges * rec);
	if (!sorted)
		return false;
	for (size_t i = 0; i < w->nranges; i++) {
		memcpy(sorted + i * rec, w->ranges + i * 2 * w->klen, 2 * w->klen);
		memcpy(sorted + i * rec + 2 * w->klen, &i, sizeof(i));
	}
	/* get element: each query as written, in its order (nft prints them so) */
	bool get = w->msgtype == NFT_MSG_GETSETELEM;
	sort_klen = w->klen;
	if (!get)
		qsort(sorted, w->nranges, rec, range_cmp);
	uint8_t zero[64] = { 0 };
	bool ok = true;
	bool merge = !get &&
		     (((w->ks->flags & NFT_SET_ANONYMOUS) && !w->ks->datat) || w->ks->automerge);
	/* duplicates are sent as they are; the first of them is the one an
	 * overlap is reported against */
	const uint8_t *ref = sorted;
	for (size_t i = 1; !merge && !get && i < w->nranges; i++) {
		const uint8_t *nxt = sorted + i * rec;
		if (!memcmp(nxt, ref, 2 * w->klen))
			continue;
		if (memcmp(nxt, ref + w->klen, w->klen) > 0) {
			ref = nxt;
			continue;
		}
		size_t ci, ni;
		memcpy(&ci, ref + 2 * w->klen, sizeof(ci));
		memcpy(&ni, nxt + 2 * w->klen, sizeof(ni));
		cerr_ctx(w->c, &w->extra[ni].loc, &w->extra[ci].loc, "conflicting intervals specified");
		free(sorted);
		return false;
	}
	for (size_t i = 0, j = 0; !merge && i < w->nranges && j < w->nold; ) {
		const uint8_t *n = sorted + i * rec, *o = w->old + j * 2 * w->klen;
		if (memcmp(o + w->klen, n, w->klen) < 0) {
			j++;
		} else if (memcmp(n + w->klen, o, w->klen) < 0 || !memcmp(n, o, 2 * w->klen)) {
			i++;    /* apart, or the same interval again */
		} else {
			size_t ni;
			memcpy(&ni, n + 2 * w->klen, sizeof(ni));
			cerr(w->c, &w->extra[ni].loc, "interval overlaps with an existing one");
			free(sorted);
			return false;
		}
	}
	if (ok && merge && w->probe)
		ok = kernel_neighbours(w, sorted, rec);
	if (ok && merge && w->kmerge)
		ok = kernel_merge(w, &sorted, rec);
	/* nft's leading end element goes to a set holding nothing at all */
	if (ok && w->probe && w->nranges && memcmp(sorted, zero, w->klen) && !w->nold)
		w->no_zero = w->probe->is_empty(w->probe->arg, w->family, w->table, w->set) != 1;
	if (ok && w->nranges && memcmp(sorted, zero, w->klen) && !w->no_zero)
		ok = elw_put(w, zero, w->klen, NFT_SET_ELEM_INTERVAL_END, NULL);
	for (size_t i = 0, j; ok && i < w->nranges; i = j) {
		uint8_t *lo = sorted + i * rec, end[64];
		size_t idx;
		memcpy(&idx, lo + 2 * w->klen, sizeof(idx));
		if (merge) {
			j = merge_run(sorted, w->nranges, rec, w->klen, i, end);
		} else {
			memcpy(end, lo + w->klen, w->klen);
			j = i + 1;
		}
		struct elem_extra x = w->extra[idx];
		bool open = !be_inc(end, w->klen);
		x.open = open;
		ok = elw_put(w, lo, w->klen, 0, &x);
		/* anonymous sets and maps: no end element where the next interval
		 * starts (named sets send both) */
		bool next_here = j < w->nranges && (w->ks->flags & NFT_SET_ANONYMOUS) &&
				 !memcmp(sorted + j * rec, end, w->klen);
		if (ok && !open && !next_here)
			ok = elw_put(w, end, w->klen, NFT_SET_ELEM_INTERVAL_END, NULL);
		else if (!open && next_here)
			w->count++;    /* nft's size still counts the end it left out */
	}
	free(sorted);
	return ok;
}

/* Encodes one key value (sym, prefix, range, concat) for set ks. */
struct keyval {
	uint8_t lo[64], hi[64];
	unsigned len;
	bool is_range;
};

static bool key_encode(struct cctx *c, const struct kset *ks, const struct ex *e,
		       struct keyval *kv)
{
	memset(kv, 0, sizeof(*kv));
	const struct ex *const *items = &e;
	size_t n = 1;
	if (e->kind == EX_CONCAT) {
		items = (const struct ex *const *)e->v;
		n = e->n;
	}
	if (n != ks->nkey) {
		cerr(c, &e->loc, "datatype mismatch, expected %s, expression has type %s",
		     ks->keyt[0]->desc, n > 1 ? "concatenation" : ks->keyt[0]->desc);
		return false;
	}
	unsigned off = 0;
	for (size_t i = 0; i < n; i++) {
		const struct nfk_dtype *t = ks->keyt[i];
		unsigned tl = ks->kbits[i] ? (ks->kbits[i] + 7) / 8 : nfk_dtype_len(t);
		if (!tl)
			tl = 16;
		unsigned bits = ks->kbits[i] ? ks->kbits[i] : tl * 8, l = tl;
		const struct ex *x = items[i];
		uint8_t v[16], h[16];
		enum nfk_byteorder bo = ks->kbo[i] ? ks->kbo[i] : nfk_dtype_bo(t);
		/* interval concatenations hold every member in network order */
		if (n > 1 && (ks->flags & NFT_SET_INTERVAL) && bo == NFK_BO_HOST && tl > 1)
			bo = NFK_BO_BIG;
		if (x->kind == EX_PREFIX) {
			if (!value_text(c, x->a, t, bo, bits, v, &l))
				return false;
			uint8_t m[16];
			prefix_mask_bo(m, l, x->plen, bo);
			for (unsigned j = 0; j < l; j++) {
				v[j] &= m[j];
				h[j] = v[j] | ~m[j];
			}
			kv->is_range = true;
		} else if (x->kind == EX_RANGE) {
			if (!value_text(c, x->a, t, bo, bits, v, &l) ||
			    !value_text(c, x->b, t, bo, bits, h, &l))
				return false;
			kv->is_range = true;
		} else if (x->kind == EX_WILDCARD) {
			memset(v, 0, sizeof(v));
			memset(h, 0xff, sizeof(h));
			kv->is_range = true;
		} else {
			if (!value_text(c, x, t, bo, bits, v, &l))
				return false;
			if (ks->kmasked[i]) {
				uint64_t val = nfk_value_get_uint(v, l, NFK_BO_BIG) << ks->kshift[i];
				tl = ks->klen[i];
				memset(v, 0, sizeof(v));
				nfk_value_put_uint(v, tl, NFK_BO_BIG, val);
			}
			memcpy(h, v, tl);
		}
		memcpy(kv->lo + off, v, tl);
		memcpy(kv->hi + off, h, tl);
		off += n > 1 ? round4(tl) : tl;
	}
	kv->len = off;
	return true;
}

/* Concatenated and/or interval map data (nat maps): the members' low
 * values, each padded to 32 bits, then (intervals) their high values; a
 * plain value in an interval map is the interval holding just itself. */
static bool data_encode_nat(struct cctx *c, const struct kset *ks, const struct ex *d,
			    struct elem_extra *x)
{
	const struct ex *const *items = &d;
	size_t n = 1;
	unsigned nd = ks->ndata > 1 ? ks->ndata : 1;

	if (d->kind == EX_CONCAT) {
		items = (const struct ex *const *)d->v;
		n = d->n;
	}
	if (n != nd) {
		cerr(c, &d->loc, "datatype mismatch, expected %s, expression has type %s",
		     nd > 1 ? "concatenation" : ks->datat->desc,
		     n > 1 ? "concatenation" : ks->datat->desc);
		return false;
	}
	unsigned half = 0;
	for (unsigned i = 0; i < nd; i++) {
		const struct nfk_dtype *t = nd > 1 ? ks->dtypes[i] : ks->datat;
		unsigned tl = nfk_dtype_len(t);
		half += nd > 1 ? round4(tl) : tl;
	}
	if ((ks->dinterval ? 2 : 1) * half > sizeof(x->data)) {
		cerr(c, &d->loc, "map data too long");
		return false;
	}
	/* nft sends a named map's plain data as it is, without the upper
	 * half (the kernel then refuses it, as it does for nft) */
	bool ranged = ks->dinterval && (ks->flags & NFT_SET_ANONYMOUS);
	for (size_t i = 0; i < n; i++)
		ranged |= items[i]->kind == EX_RANGE || items[i]->kind == EX_PREFIX;
	memset(x->data, 0, sizeof(x->data));
	for (unsigned i = 0, off = 0; i < nd; i++) {
		const struct nfk_dtype *t = nd > 1 ? ks->dtypes[i] : ks->datat;
		const struct ex *e = items[i];
		enum nfk_byteorder bo = nfk_dtype_bo(t);
		unsigned tl = nfk_dtype_len(t), l = tl, l2 = tl;
		uint8_t lo[16], hi[16];
		if ((e->kind == EX_RANGE || e->kind == EX_PREFIX) && !ks->dinterval) {
			cerr(c, &e->loc, "map data is not an interval");
			return false;
		}
		if (e->kind == EX_RANGE) {
			if (!value_text(c, e->a, t, bo, tl * 8, lo, &l) ||
			    !value_text(c, e->b, t, bo, tl * 8, hi, &l2))
				return false;
		} else if (e->kind == EX_PREFIX) {
			uint8_t m[16];
			if (!value_text(c, e->a, t, bo, tl * 8, lo, &l))
				return false;
			prefix_mask_bo(m, l, e->plen, bo);
			for (unsigned j = 0; j < l; j++) {
				lo[j] &= m[j];
				hi[j] = lo[j] | ~m[j];
			}
		} else {
			if (!value_text(c, e, t, bo, tl * 8, lo, &l))
				return false;
			memcpy(hi, lo, tl);
		}
		memcpy(x->data + off, lo, tl);
		if (ks->dinterval)
			memcpy(x->data + half + off, hi, tl);
		off += nd > 1 ? round4(tl) : tl;
	}
	x->dlen = ks->dinterval && ranged ? 2 * half : half;
	return true;
}

static bool data_encode(struct cctx *c, const struct kset *ks, const struct ex *d,
			struct elem_extra *x)
{
	if (ks->objmap) {
		if (d->kind != EX_SYM && d->kind != EX_STR) {
			cerr(c, &d->loc, "expected an object name");
			return false;
		}
		x->objref = d->s;
		return true;
	}
	if (ks->datat == NFK_DTYPE(VERDICT)) {
		if (d->kind != EX_VERDICT) {
			cerr(c, &d->loc, "datatype mismatch, expected verdict");
			return false;
		}
		x->vcode = d->code;
		x->chain = d->s;
		return true;
	}
	if (ks->ndata > 1 || ks->dinterval)
		return data_encode_nat(c, ks, d, x);
	unsigned bits = ks->dbits ? ks->dbits : nfk_dtype_len(ks->datat) * 8;
	unsigned l = (bits + 7) / 8;
	if (!l)
		bits = 128, l = 16;
	if (!value_text(c, d, ks->datat, ks->dbo ? ks->dbo : nfk_dtype_bo(ks->datat), bits,
			x->data, &l))
		return false;
	x->dlen = l;
	return true;
}

static int elem_cb(void *arg, struct ex *e)
{
	struct elw *w = arg;
	struct cctx *c = w->c;
	struct elem_extra x = { .vcode = INT32_MIN };
	struct ex *key = e;

	if (key->kind == EX_MAPPING) {
		if (!w->ks->datat && !w->ks->objmap) {
			cerr(c, &key->loc, "you cannot add a mapping to a set");
			return -EINVAL;
		}
		if (!data_encode(c, w->ks, key->b, &x))
			return -EINVAL;
		key = key->a;
	} else if ((w->ks->datat || w->ks->objmap) && w->msgtype == NFT_MSG_NEWSETELEM) {
		/* get and delete name an element by its key alone */
		cerr(c, &key->loc, "map element without data");
		return -EINVAL;
	}
	if (key->kind == EX_ELEM) {
		x.timeout = key->elem.timeout;
		x.comment = key->elem.comment;
		key = key->a;
	}
	struct keyval kv;
	if (!key_encode(c, w->ks, key, &kv))
		return -EINVAL;
	x.loc = key->loc;
	if (w->interval && w->ks->nkey == 1) {
		if (!elw_range(w, kv.lo, kv.hi, &x))
			return -ENOMEM;
		return 0;
	}
	if (kv.is_range && !w->interval) {
		cerr(c, &key->loc, "You must add 'flags interval' to your set declaration if you want to add %s elements",
		     key->kind == EX_PREFIX ? "prefix" : key->kind == EX_RANGE ? "range" : "prefix or range");
		return -EINVAL;
	}
	if (w->interval) {
		/* concatenated intervals: each element carries its end key */
		return elw_put_end(w, kv.lo, kv.hi, kv.len, 0, &x) ? 0 : -ENOMEM;
	}
	return elw_put(w, kv.lo, kv.len, 0, &x) ? 0 : -ENOMEM;
}

/* Streams the elements of an expression list (anonymous set) or of a
 * captured block (named set) into NEWSETELEM messages. */
static bool emit_elements(struct cctx *c, struct elw *w, const struct ex *set,
			  const struct elem_src *src)
{
	int ret = 0;

	w->interval = w->ks->flags & NFT_SET_INTERVAL;
	w->klen = w->ks->key_len;
	if (set) {
		for (size_t i = 0; i < set->n && !ret; i++)
			ret = elem_cb(w, set->v[i]);
	} else if (src) {
		ret = nfk_parse_elements(c->sc, src, &c->scratch, c->ds, elem_cb, w);
		if (ret)
			c->failed = c->any_failed = true;
	}
	/* nft sends a new interval set its whole content, the elements later
	 * commands add included, and checks that content for overlaps; each
	 * of those commands then sends its own elements again. */
	for (size_t i = c->cmd_i + 1; w->gather && w->interval && w->ks->nkey == 1 && !ret &&
	     i < c->sc->ncmds; i++) {
		const struct nfk_cmd *cmd = &c->sc->cmds[i];
		if ((cmd->op != NFK_CMD_ADD && cmd->op != NFK_CMD_CREATE) ||
		    cmd->obj != NFK_OBJ_ELEMENT || cmd->h.family != w->family ||
		    strcmp(cmd->h.table, w->table) || strcmp(cmd->h.set, w->set))
			continue;
		const struct cmd_body *body = cmd->body;
		ret = nfk_parse_elements(c->sc, &body->elems, &c->scratch, c->ds, elem_cb, w);
		if (ret)
			c->failed = c->any_failed = true;
	}
	if (!ret && !elw_flush_ranges(w))
		ret = -ENOMEM;
	elw_close(w);
	free(w->ranges);
	free(w->extra);
	w->ranges = NULL;
	w->extra = NULL;
	return ret == 0;
}

/* Does the set expression hold ranges or prefixes? */
static bool set_has_intervals(const struct ex *set)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct ex *e = set->v[i];
		if (e->kind == EX_MAPPING)
			e = e->a;
		if (e->kind == EX_ELEM)
			e = e->a;
		if (e->kind == EX_PREFIX || e->kind == EX_RANGE)
			return true;
		if (e->kind == EX_CONCAT)
			for (size_t j = 0; j < e->n; j++)
				if (e->v[j]->kind == EX_PREFIX || e->v[j]->kind == EX_RANGE)
					return true;
	}
	return false;
}

static bool put_udata_u32(uint8_t *ud, size_t *len, uint8_t type, uint32_t v)
{
	ud[*len] = type;
	ud[*len + 1] = 4;
	memcpy(ud + *len + 2, &v, 4);
	*len += 6;
	return true;
}

/* nft's numbers for protocol headers and expression kinds in a set's
 * typeof user data (the decompiler reads the same facts back). */
static const char *const typeof_protos[] = {
	[1] = "ah", [2] = "esp", [3] = "comp", [4] = "icmp", [5] = "igmp", [6] = "udp",
	[7] = "udplite", [8] = "tcp", [9] = "dccp", [10] = "sctp", [11] = "th", [12] = "ip",
	[13] = "ip6", [14] = "icmpv6", [15] = "arp", [16] = "vlan", [17] = "ether",
};
enum { TYPEOF_VERDICT = 1, TYPEOF_PAYLOAD = 7, TYPEOF_META = 9, TYPEOF_CT = 12,
       TYPEOF_CONCAT = 13 };

/* Appends one udata TLV holding nested TLVs written by fn. */
static bool ud_nest(uint8_t *ud, size_t *len, size_t cap, uint8_t type,
		    bool (*fn)(uint8_t *ud, size_t *len, size_t cap, const struct ex *e),
		    const struct ex *e)
{
	if (*len + 2 > cap)
		return false;
	size_t start = *len;
	*len += 2;
	if (fn && !fn(ud, len, cap, e))
		return false;
	if (*len - start - 2 > 255)
		return false;
	ud[start] = type;
	ud[start + 1] = (uint8_t)(*len - start - 2);
	return true;
}

static bool ud_u32(uint8_t *ud, size_t *len, size_t cap, uint8_t type, uint32_t v)
{
	return *len + 6 <= cap && put_udata_u32(ud, len, type, v);
}

static bool typeof_expr(uint8_t *ud, size_t *len, size_t cap, const struct ex *e);

static bool typeof_desc(uint8_t *ud, size_t *len, size_t cap, const struct ex *e)
{
	switch (e->kind) {
	case EX_PAYLOAD: {
		uint32_t id = 0;
		for (uint32_t i = 1; i < sizeof(typeof_protos) / sizeof(typeof_protos[0]); i++)
			if (typeof_protos[i] && !strcmp(typeof_protos[i], e->pl.proto->name))
				id = i;
		uint32_t field = (uint32_t)(e->pl.field - e->pl.proto->fields) + 1;
		return id && ud_u32(ud, len, cap, 0, id) && ud_u32(ud, len, cap, 1, field) &&
		       (e->pl.field->bits % 8 == 0 || ud_u32(ud, len, cap, 4, e->pl.field->bits));
	}
	case EX_META:
		return ud_u32(ud, len, cap, 0, e->sk.key->key);
	case EX_CT:
		return ud_u32(ud, len, cap, 0, e->sk.key->key) &&
		       ud_u32(ud, len, cap, 1, e->sk.dir < 0 ? UINT32_MAX : (uint32_t)e->sk.dir);
	case EX_CONCAT:
		for (size_t i = 0; i < e->n; i++)
			if (!ud_nest(ud, len, cap, (uint8_t)i, typeof_expr, e->v[i]))
				return false;
		return true;
	default:
		return true;
	}
}

/* One expression: attribute 0 its kind, attribute 1 its description. */
static bool typeof_expr(uint8_t *ud, size_t *len, size_t cap, const struct ex *e)
{
	static const struct { enum ex_kind kind; uint32_t type; } kinds[] = {
		{ EX_PAYLOAD, TYPEOF_PAYLOAD }, { EX_META, TYPEOF_META }, { EX_CT, TYPEOF_CT },
		{ EX_CONCAT, TYPEOF_CONCAT }, { EX_VERDICT, TYPEOF_VERDICT },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == e->kind)
			return ud_u32(ud, len, cap, 0, kinds[i].type) &&
			       ud_nest(ud, len, cap, 1, typeof_desc, e);
	return false;
}

/* KEY_TYPEOF / DATA_TYPEOF; a "type a . b" set records a bare concatenation. */
static bool put_typeof_udata(uint8_t *ud, size_t *len, size_t cap, uint8_t type,
			     const struct ex *e)
{
	if (!e) {
		struct ex bare = { .kind = EX_CONCAT };
		return ud_nest(ud, len, cap, type, typeof_expr, &bare);
	}
	size_t start = *len;
	if (ud_nest(ud, len, cap, type, typeof_expr, e))
		return true;
	*len = start;    /* kinds nft's format does not cover: no typeof record */
	return true;
}

/* NEWSET for a set description. */
static bool emit_newset(struct cctx *c, const struct kset *ks, const struct set_decl *d,
			uint16_t flags, const void *cookie, unsigned nelems, bool anon)
{
	struct nfk_buf *b;
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWSET, flags, ks->family, cookie);

	if (!nlh)
		return false;
	bool ok = nfk_attr_put_str(b, NFTA_SET_TABLE, ks->table) &&
		  nfk_attr_put_str(b, NFTA_SET_NAME, ks->name) &&
		  nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_FLAGS, ks->flags);
	unsigned kid = ks->keyt[0]->id;
	if (ks->nkey > 1) {
		unsigned ids[16];
		for (unsigned i = 0; i < ks->nkey; i++)
			ids[i] = ks->keyt[i]->id;
		kid = nfk_dtype_concat_id(ids, ks->nkey);
	}
	ok = ok && nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_KEY_TYPE, kid) &&
	     nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_KEY_LEN, ks->key_len);
	if (ok && ks->datat) {
		if (ks->datat == NFK_DTYPE(VERDICT)) {
			ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_DATA_TYPE, NFT_DATA_VERDICT);
		} else {
			unsigned did = ks->datat->id;
			if (ks->ndata > 1) {
				unsigned ids[4];
				for (unsigned i = 0; i < ks->ndata; i++)
					ids[i] = ks->dtypes[i]->id;
				did = nfk_dtype_concat_id(ids, ks->ndata);
			}
			ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_DATA_TYPE, did) &&
			     nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_DATA_LEN, ks->data_len);
		}
	}
	if (ok && ks->objmap)
		ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_OBJ_TYPE, ks->objtype);
	if (ok && d && d->policy >= 0)
		ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_POLICY, d->policy);
	bool concat = (ks->flags & NFT_SET_CONCAT) && ks->nkey > 1;
	if (ok && (anon || (d && d->size) || concat)) {
		struct nlattr *n = nfk_nest_start(b, NFTA_SET_DESC);
		ok = n != NULL;
		if (ok && (anon || (d && d->size)))
			ok = nfk_schema_put_uint(b, &nfk_set_desc_schema, NFTA_SET_DESC_SIZE, anon ? nelems : d->size);
		c->anon_size = ok && anon ? b->data + b->len - 4 : NULL;
		/* interval concatenations: the kernel needs each field's length */
		struct nlattr *cn = ok && concat ? nfk_nest_start(b, NFTA_SET_DESC_CONCAT) : NULL;
		for (unsigned i = 0; cn && ok && i < ks->nkey; i++) {
			unsigned fl = ks->klen[i] ? ks->klen[i] : nfk_dtype_len(ks->keyt[i]);
			struct nlattr *f = nfk_nest_start(b, NFTA_LIST_ELEM);
			ok = f && nfk_schema_put_uint(b, &nfk_set_field_schema, NFTA_SET_FIELD_LEN, fl ? fl : 16);
			if (ok)
				nfk_nest_end(b, f);
		}
		if (cn)
			nfk_nest_end(b, cn);
		ok = ok && (!concat || cn);
		if (ok)
			nfk_nest_end(b, n);
	}
	if (ok && d && d->timeout)
		ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_TIMEOUT, d->timeout);
	if (ok && d && d->gc_interval)
		ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_GC_INTERVAL, d->gc_interval);
	ok = ok && nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_ID, ks->id);
	if (ok) {
		/* nft's set user data: key (and data) byte order, comment */
		uint8_t ud[1024];
		size_t ul = 0;
		bool verdict = ks->datat == NFK_DTYPE(VERDICT);
		enum nfk_byteorder kbo = ks->kbo[0] ? ks->kbo[0] : nfk_dtype_bo(ks->keyt[0]);
		enum nfk_byteorder dbo = ks->dbo ? ks->dbo : ks->datat ? nfk_dtype_bo(ks->datat) : 0;
		/* named concatenations have no single byte order */
		put_udata_u32(ud, &ul, 0, d && ks->nkey > 1 ? 0 : kbo == NFK_BO_HOST ? 1 : 2);
		/* concatenated data has no single byte order either */
		if (ks->datat && (!verdict || d))
			put_udata_u32(ud, &ul, 1, verdict || ks->ndata > 1 ? 0 :
						  dbo == NFK_BO_HOST ? 1 : 2);
		if (d && d->automerge)
			put_udata_u32(ud, &ul, 2, 1);
		if (d && !(ks->flags & NFT_SET_ANONYMOUS) && (d->typeof_key || ks->nkey > 1))
			ok = put_typeof_udata(ud, &ul, sizeof(ud), 3, d->typeof_key);
		if (ok && d && d->typeof_data)
			ok = put_typeof_udata(ud, &ul, sizeof(ud), 4, d->typeof_data);
		else if (ok && d && ks->ndata > 1)
			ok = put_typeof_udata(ud, &ul, sizeof(ud), 4, NULL);
		/* whether the data are intervals: nft lists them as ranges */
		if (ks->datat && (d || !verdict))
			put_udata_u32(ud, &ul, 6, ks->dinterval);
		if (ok && d && d->comment) {
			size_t l = strlen(d->comment) + 1;
			if (l < 255) {
				ud[ul] = 7;
				ud[ul + 1] = l;
				memcpy(ud + ul + 2, d->comment, l);
				ul += l + 2;
			}
		}
		ok = nfk_attr_put(b, NFTA_SET_USERDATA, ud, ul);
	}
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	end_msg(c, nlh, cookie);
	return true;
}

/* An anonymous set for the rule being compiled: NEWSET + NEWSETELEM, and
 * the kset a lookup then names. */
static struct kset *anon_set(struct rctx *r, const struct ex *set, const struct sel *ks_sel,
			     unsigned nsel, const struct nfk_dtype *datat, bool map,
			     const void *cookie)
{
	struct cctx *c = r->c;
	struct kset *ks = nfk_arena_alloc(&c->ar, sizeof(*ks));

	if (!ks)
		return NULL;
	ks->family = r->family;
	ks->table = r->table;
	ks->name = r->objmap_type ? "__objmap%d" : map ? "__map%d" : "__set%d";
	if (r->objmap_type) {
		ks->objmap = true;
		ks->objtype = r->objmap_type;
	}
	ks->id = ++c->next_id;
	ks->flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT;
	if (set_has_intervals(set))
		ks->flags |= NFT_SET_INTERVAL;
	if (map)
		ks->flags |= NFT_SET_MAP;
	if (ks->objmap)
		ks->flags |= NFT_SET_OBJECT;
	ks->nkey = nsel;
	unsigned klen = 0;
	for (unsigned i = 0; i < nsel; i++) {
		ks->keyt[i] = ks_sel[i].dtype;
		ks->kbits[i] = ks_sel[i].bits;
		ks->kshift[i] = ks_sel[i].masked ? ks_sel[i].shift : 0;
		ks->kmasked[i] = ks_sel[i].masked;
		ks->klen[i] = ks_sel[i].len;
		ks->kbo[i] = ks_sel[i].bo;
		klen += nsel > 1 ? round4(ks_sel[i].len) : ks_sel[i].len;
	}
	ks->key_len = klen;
	ks->datat = datat;
	if (datat && datat != NFK_DTYPE(VERDICT))
		ks->data_len = nfk_dtype_len(datat);
	if (r->map_data) {
		ks->dbits = r->map_data->bits;
		ks->dbo = r->map_data->bo;
		ks->data_len = r->map_data->len;
	}
	if (r->map_shape) {
		const struct kset *sh = r->map_shape;
		memcpy(ks->dtypes, sh->dtypes, sizeof(ks->dtypes));
		ks->ndata = sh->ndata;
		ks->dinterval = sh->dinterval;
		ks->data_len = sh->data_len;
	}
	if (nsel > 1 && (ks->flags & NFT_SET_INTERVAL))
		ks->flags |= NFT_SET_CONCAT;
	if (!emit_newset(c, ks, NULL, NLM_F_CREATE, cookie, set->n, true))
		return NULL;
	struct elw w = { .c = c, .family = r->family, .table = r->table, .set = ks->name,
			 .set_id = ks->id, .ks = ks, .msgtype = NFT_MSG_NEWSETELEM,
			 .msgflags = NLM_F_CREATE, .cookie = cookie };
	if (!emit_elements(c, &w, set, NULL))
		return NULL;
	/* an interval set's size is what it holds once its intervals are
	 * split into start and end elements: known only now */
	if ((ks->flags & NFT_SET_INTERVAL) && c->anon_size) {
		uint32_t n = htonl(w.count);
		memcpy(c->anon_size, &n, 4);
	}
	c->anon_size = NULL;
	return ks;
}

/* ---- matches ------------------------------------------------------------ */

static unsigned relop_to_cmp(int op)
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

/* After "meta l4proto tcp", "ip protocol tcp" ... the protocol context
 * knows the layer, and later selectors need no dependency. */
static void ctx_update(struct rctx *r, const struct ex *lhs, const uint8_t *v, unsigned len)
{
	if (lhs->kind == EX_PAYLOAD && lhs->pl.proto->base == NFK_BASE_TRANSPORT &&
	    !strcmp(lhs->pl.field->name, "type") &&
	    (!strcmp(lhs->pl.proto->name, "icmp") || !strcmp(lhs->pl.proto->name, "icmpv6")))
		r->icmp_type_known = true;
	uint16_t ether = 1;    /* "meta iiftype ether": the link layer is known */
	if (lhs->kind == EX_META && lhs->sk.key->key == NFT_META_IIFTYPE && len == 2 &&
	    !memcmp(v, &ether, 2))
		r->ll_checked = true;
	else if (lhs->kind == EX_META && lhs->sk.key->key == NFT_META_L4PROTO && len == 1)
		r->l4 = v[0];
	else if (lhs->kind == EX_META && lhs->sk.key->key == NFT_META_NFPROTO && len == 1)
		r->l3 = v[0];
	else if (lhs->kind == EX_PAYLOAD && lhs->pl.field && len == 1 &&
		 (!strcmp(lhs->pl.field->name, "protocol") || !strcmp(lhs->pl.field->name, "nexthdr")) &&
		 lhs->pl.proto->base == NFK_BASE_NETWORK)
		r->l4 = v[0];
	else if (((lhs->kind == EX_META && lhs->sk.key->key == NFT_META_PROTOCOL) ||
		  (lhs->kind == EX_PAYLOAD && !strcmp(lhs->pl.field->name, "type") &&
		   lhs->pl.proto->base == NFK_BASE_LL)) && len == 2) {
		unsigned et = v[0] << 8 | v[1];
		if (lhs->kind == EX_PAYLOAD)
			r->ll_type = et;
		/* a vlan tag naming another tag: later vlan fields are that one's */
		if (lhs->kind == EX_PAYLOAD && !strcmp(lhs->pl.proto->name, "vlan") &&
		    (et == 0x8100 || et == 0x88a8))
			r->vlan_off += 4;
		r->l3 = et == 0x0800 ? NFPROTO_IPV4 : et == 0x86dd ? NFPROTO_IPV6 :
			et == 0x0806 ? NFPROTO_ARP : 0;
	}
}

static bool dtype_compatible(const struct nfk_dtype *a, const struct nfk_dtype *b)
{
	if (!a || !b || a == b || a->base == b || b->base == a)
		return true;
	/* plain integers (typeof keys, raw payload) match any type of their size */
	return (a->id == NFK_TYPE_INTEGER || b->id == NFK_TYPE_INTEGER) && a->bits == b->bits;
}

/* "ip saddr @ports" with a set of another type: nft's datatype mismatch,
 * under the set with the matched expression marked as context. */
static bool set_key_matches(struct cctx *c, const struct kset *ks, const struct sel *s,
			    unsigned nsel, const struct ex *lhs, const struct ex *rhs)
{
	bool ok = ks->nkey == nsel;

	for (unsigned i = 0; ok && i < nsel; i++)
		ok = dtype_compatible(ks->keyt[i], s[i].dtype);
	if (ok || !s[0].dtype || !ks->keyt[0])
		return true;
	char want[200], have[200];
	size_t wl = 0, hl = 0;
	if (nsel > 1)
		wl = snprintf(want, sizeof(want), "concatenation of (");
	for (unsigned i = 0; i < nsel && wl < sizeof(want); i++)
		wl += snprintf(want + wl, sizeof(want) - wl, "%s%s", i ? ", " : "",
			       s[i].dtype ? s[i].dtype->desc : "?");
	if (nsel > 1 && wl < sizeof(want))
		snprintf(want + wl, sizeof(want) - wl, ")");
	if (ks->nkey > 1)
		hl = snprintf(have, sizeof(have), "concatenation of (");
	for (unsigned i = 0; i < ks->nkey && hl < sizeof(have); i++)
		hl += snprintf(have + hl, sizeof(have) - hl, "%s%s", i ? ", " : "",
			       ks->keyt[i] ? ks->keyt[i]->desc : "?");
	if (ks->nkey > 1 && hl < sizeof(have))
		snprintf(have + hl, sizeof(have) - hl, ")");
	char msg[256];
	snprintf(msg, sizeof(msg), "datatype mismatch, expected %.100s, expression has type %.100s",
		 want, have);
	cerr_ctx(c, &rhs->loc, &lhs->loc, msg);
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
		ks = find_set(c, r->family, r->table, rhs->s, &tmp);
		if (!ks) {
			set_missing(c, &rhs->loc, r->family, r->table, rhs->s);
			return false;
		}
		if (!set_key_matches(c, ks, s, nsel, st->match.left, rhs))
			return false;
	} else {
		ks = anon_set(r, rhs, s, nsel, NULL, false, &st->loc);
		if (!ks)
			return false;
	}
	return emit_lookup(r->b, ks->name, ks->id, NFT_REG_1, -1, inv);
}

static bool load_concat(struct rctx *r, const struct ex *lhs, struct sel *sels, unsigned *nsel)
{
	if (lhs->kind != EX_CONCAT) {
		*nsel = 1;
		if (!sel_resolve(r, lhs, &sels[0]))
			return false;
		return sel_load(r, &sels[0], reg_of_word(r->key_word));
	}
	/* resolve everything first: nft puts all dependencies ahead */
	if (lhs->n > 16) {
		cerr(r->c, &lhs->loc, "too many concatenated expressions");
		return false;
	}
	r->key_ctx = true;
	for (size_t i = 0; i < lhs->n; i++)
		if (!sel_resolve(r, lhs->v[i], &sels[i])) {
			r->key_ctx = false;
			return false;
		}
	r->key_ctx = false;
	unsigned word = r->key_word;
	for (size_t i = 0; i < lhs->n; i++) {
		unsigned reg = reg_of_word(word);
		if (!sel_load(r, &sels[i], reg))
			return false;
		/* intervals of a concatenation compare in network order: nft
		 * turns host-order members around right after loading them */
		if (r->concat_hton && sels[i].bo == NFK_BO_HOST && sels[i].len > 1) {
			if (!emit_byteorder(r->b, reg, sels[i].len))
				return false;
			sels[i].bo = NFK_BO_BIG;
		}
		word += round4(sels[i].len) / 4;
	}
	*nsel = lhs->n;
	return true;
}

/* Whether a concatenation looked up in set (anonymous, or a reference)
 * has its host-order members turned to network order: sets with
 * intervals compare whole keys byte by byte. */
static bool concat_wants_hton(struct rctx *r, const struct ex *lhs, const struct ex *set)
{
	struct kset tmp;
	const struct kset *ks;

	if (lhs->kind != EX_CONCAT)
		return false;
	if (set->kind == EX_SET)
		return set_has_intervals(set);
	if (set->kind != EX_SETREF)
		return false;
	ks = find_set(r->c, r->family, r->table, set->s, &tmp);
	return ks && (ks->flags & NFT_SET_INTERVAL);
}

static bool bitmask_list(struct rctx *r, const struct sel *s, const struct ex *rhs,
			 uint8_t *out, unsigned *len)
{
	uint8_t v[16];
	unsigned l = s->len;
	size_t n = rhs->kind == EX_LIST ? rhs->n : 1;

	memset(out, 0, 16);
	for (size_t i = 0; i < n; i++) {
		const struct ex *x = rhs->kind == EX_LIST ? rhs->v[i] : rhs;
		if (!sel_value(r->c, s, x, v, &l))
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
	struct sel sels[16];
	unsigned nsel = 0;
	uint8_t v[64], h[64];
	unsigned len;

	if (st->match.op == '!' && lhs->kind == EX_BINOP) {
		cerr_ctx(c, &lhs->loc, &rhs->loc, "cannot combine negation with binary expression");
		return false;
	}
	struct ex fibx;
	if (lhs->kind == EX_FIB && (rhs->kind == EX_SYM) &&
	    (!strcmp(rhs->s, "exists") || !strcmp(rhs->s, "missing"))) {
		fibx = *lhs;
		fibx.fib.flags |= NFTA_FIB_F_PRESENT;
		lhs = &fibx;
	}
	/* binops: "meta mark & 0xff == 1" */
	const struct ex *binop = NULL;
	const struct ex *xorv = NULL;
	if (lhs->kind == EX_BINOP && lhs->binop == '^' && is_selector(lhs->a) &&
	    (rhs->kind == EX_SYM || rhs->kind == EX_STR) &&
	    (!st->match.op || st->match.op == T_EQ || st->match.op == T_NE)) {
		/* (x ^ c) == v is x == v ^ c */
		xorv = lhs->b;
		lhs = lhs->a;
	}
	if (lhs->kind == EX_BINOP) {
		binop = lhs;
		nsel = 1;
		if (!load_expr(r, lhs, &sels[0], NFT_REG_1))
			return false;
		while (lhs->kind == EX_BINOP)
			lhs = lhs->a;
	} else {
		r->concat_hton = concat_wants_hton(r, lhs, rhs);
		bool ok = load_concat(r, lhs, sels, &nsel);
		r->concat_hton = false;
		if (!ok)
			return false;
	}
	struct sel *s = &sels[0];
	bool neg = st->match.op == T_NE;

	/* ordered comparisons of host-order values happen in network order */
	bool ordered = (st->match.op && st->match.op != T_EQ && st->match.op != T_NE && st->match.op != '!') ||
		       rhs->kind == EX_RANGE ||
		       (rhs->kind == EX_SET && set_has_intervals(rhs));
	if (ordered && nsel == 1 && s->bo == NFK_BO_HOST && s->len > 1 && !binop) {
		if (!emit_byteorder(r->b, NFT_REG_1, s->len))
			return false;
		s->bo = NFK_BO_BIG;
	}

	/* a one-element anonymous set is just that element */
	if (rhs->kind == EX_SET && rhs->n == 1 && nsel == 1 &&
	    (rhs->v[0]->kind == EX_SYM || rhs->v[0]->kind == EX_STR ||
	     rhs->v[0]->kind == EX_RANGE || rhs->v[0]->kind == EX_PREFIX))
		rhs = rhs->v[0];

	if (rhs->kind == EX_SET || rhs->kind == EX_SETREF) {
		if (st->match.op && st->match.op != T_EQ && st->match.op != T_NE) {
			cerr(c, &rhs->loc, "unsupported operation on a set");
			return false;
		}
		return compile_lookup(r, st, sels, nsel, rhs, neg);
	}
	if (nsel > 1) {
		if (rhs->kind != EX_CONCAT) {
			cerr(c, &rhs->loc, "datatype mismatch, expected concatenation");
			return false;
		}
		/* a single concatenated value: compare the whole register */
		unsigned off = 0;
		memset(v, 0, sizeof(v));
		for (unsigned i = 0; i < nsel; i++) {
			if (i >= rhs->n) {
				cerr(c, &rhs->loc, "datatype mismatch");
				return false;
			}
			unsigned l = sels[i].len;
			if (!sel_value(c, &sels[i], rhs->v[i], v + off, &l))
				return false;
			off += round4(sels[i].len);
		}
		return emit_cmp(r->b, NFT_REG_1, relop_to_cmp(st->match.op), v, off);
	}
	if (rhs->kind == EX_LIST) {
		if (s->dtype->bitmask || (s->dtype->base && s->dtype->base->bitmask)) {
			if (st->match.op == T_EQ || st->match.op == T_NE) {
				/* explicit ==: the flags exactly */
			}
			if (!bitmask_list(r, s, rhs, v, &len))
				return false;
			uint8_t zero[16] = { 0 };
			if (st->match.op == '!')
				return emit_bitwise(r->b, NFT_REG_1, v, zero, len) &&
				       emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, zero, len);
			if (st->match.op == T_EQ || st->match.op == T_NE)
				return emit_cmp(r->b, NFT_REG_1, relop_to_cmp(st->match.op), v, len);
			return emit_bitwise(r->b, NFT_REG_1, v, zero, len) &&
			       emit_cmp(r->b, NFT_REG_1, NFT_CMP_NEQ, zero, len);
		}
		/* a plain list means a set */
		struct ex tmp = *rhs;
		tmp.kind = EX_SET;
		return compile_lookup(r, st, sels, nsel, &tmp, neg);
	}
	if (rhs->kind == EX_RANGE) {
		unsigned l2 = s->len;
		len = s->len;
		if (!sel_value(c, s, rhs->a, v, &len) || !sel_value(c, s, rhs->b, h, &l2))
			return false;
		if (s->bo != NFK_BO_HOST && memcmp(v, h, len) >= 0) {
			cerr(c, &rhs->loc, "Range has zero or negative size");
			return false;
		}
		if (neg)
			return emit_range(r->b, NFT_REG_1, NFT_RANGE_NEQ, v, h, len);
		return emit_cmp(r->b, NFT_REG_1, NFT_CMP_GTE, v, len) &&
		       emit_cmp(r->b, NFT_REG_1, NFT_CMP_LTE, h, len);
	}
	if (rhs->kind == EX_PREFIX && rhs->b) {
		/* "tcp flags syn / syn,ack": (x & mask) op value */
		uint8_t m[16], zero[16] = { 0 };
		unsigned ml = s->len;
		len = s->len;
		if (!sel_value(c, s, rhs->a, v, &len) || !sel_value(c, s, rhs->b, m, &ml))
			return false;
		return emit_bitwise(r->b, NFT_REG_1, m, zero, ml) &&
		       emit_cmp(r->b, NFT_REG_1, relop_to_cmp(st->match.op), v, len);
	}
	if (rhs->kind == EX_PREFIX) {
		len = s->len;
		if (!sel_value(c, s, rhs->a, v, &len))
			return false;
		unsigned plen = rhs->plen;
		if (plen > len * 8) {
			cerr(c, &rhs->loc, "Prefix length %u is invalid for type of %u bits",
			     plen, len * 8);
			return false;
		}
		uint8_t m[16];
		prefix_mask_bo(m, len, plen, s->bo);
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
			return emit_cmp(r->b, NFT_REG_1, relop_to_cmp(st->match.op), v, nl);
		}
		uint8_t zero[16] = { 0 };
		return emit_bitwise(r->b, NFT_REG_1, m, zero, len) &&
		       emit_cmp(r->b, NFT_REG_1, relop_to_cmp(st->match.op), v, len);
	}
	/* a single value */
	len = s->len;
	if (!sel_value(c, s, rhs, v, &len))
		return false;
	if (xorv) {
		uint8_t xv[16];
		unsigned xl = s->len;
		if (!sel_value(c, s, xorv, xv, &xl))
			return false;
		for (unsigned i = 0; i < len; i++)
			v[i] ^= xv[i];
	}
	bool bitmask = s->dtype->bitmask || (s->dtype->base && s->dtype->base->bitmask);
	uint8_t zero[16] = { 0 };
	if (st->match.op == '!') {
		return emit_bitwise(r->b, NFT_REG_1, v, zero, len) &&
		       emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, zero, len);
	}
	if (bitmask && !st->match.op && !binop && memcmp(v, zero, len)) {
		return emit_bitwise(r->b, NFT_REG_1, v, zero, len) &&
		       emit_cmp(r->b, NFT_REG_1, NFT_CMP_NEQ, zero, len);
	}
	if (st->match.op == 0 || st->match.op == T_EQ) {
		ctx_update(r, lhs, v, len);
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
		return emit_payload_eq(r, s->base, s->offset, s->len, v, s->proto_key);
	}
	return emit_cmp(r->b, NFT_REG_1, relop_to_cmp(st->match.op), v, len);
}

/* ---- statements ---------------------------------------------------------- */

static bool compile_vmap(struct rctx *r, const struct stmt *st)
{
	struct cctx *c = r->c;
	struct sel sels[16];
	unsigned nsel;
	const struct kset *ks;
	struct kset tmp;

	r->concat_hton = concat_wants_hton(r, st->match.left, st->match.right);
	bool ok = load_concat(r, st->match.left, sels, &nsel);
	r->concat_hton = false;
	if (!ok)
		return false;
	if (st->match.right->kind == EX_SETREF) {
		ks = find_set(c, r->family, r->table, st->match.right->s, &tmp);
		if (!ks) {
			set_missing(c, &st->match.right->loc, r->family, r->table, st->match.right->s);
			return false;
		}
	} else if (st->match.right->kind == EX_SET) {
		ks = anon_set(r, st->match.right, sels, nsel, NFK_DTYPE(VERDICT), true, &st->loc);
		if (!ks)
			return false;
	} else {
		cerr(c, &st->match.right->loc, "Expression is not a map");
		return false;
	}
	return emit_lookup(r->b, ks->name, ks->id, NFT_REG_1, NFT_REG_VERDICT, false);
}

static const struct { const char *name; unsigned family; const struct nfk_dtype *(*dt)(void); } reject_fams[] = {
	{ "icmp", NFPROTO_IPV4, NULL },
};

static bool reject_code(struct cctx *c, const struct stmt *st, const struct nfk_dtype *t,
			uint8_t *code)
{
	uint64_t v;

	if (nfk_dtype_sym_value(t, st->reject.code->s, &v)) {
		char *end;
		v = strtoul(st->reject.code->s, &end, 0);
		if (*end) {
			cerr(c, &st->reject.code->loc, "Could not parse %s", t->desc);
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

	(void)reject_fams;
	if (st->reject.type == NFT_REJECT_TCP_RST) {
		const struct nfk_proto *tcp = nfk_proto_by_name("tcp");
		if (r->l4 >= 0 && r->l4 != 6) {
			cerr(c, &st->loc, "conflicting protocols specified: %d vs. tcp", r->l4);
			return false;
		}
		if (tcp && r->l4 != 6) {
			/* nft puts this dependency first in the rule */
			size_t at = r->b->len;
			if (!payload_dep(r, tcp, &st->loc))
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
				cerr(c, &st->loc, "conflicting protocols specified: %s vs. %s",
				     r->l3 == NFPROTO_IPV6 ? "ip6" : "ip", fam == NFPROTO_IPV6 ? "ip6" : "ip");
				return false;
			}
			size_t at = r->b->len;
			if (l3 && r->l3 != fam && !need_l3(r, l3, &st->loc))
				return false;
			move_to_front(r, at);
		} else if ((unsigned)r->family != fam) {
			cerr(c, &st->loc, "conflicting protocols specified: %s vs. %s",
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
	return e_begin(r->b, &e, "reject") && nfk_schema_put_uint(r->b, nfk_expr_reject.schema, NFTA_REJECT_TYPE, type) &&
	       nfk_schema_put_uint(r->b, nfk_expr_reject.schema, NFTA_REJECT_ICMP_CODE, code) && e_end(r->b, &e);
}

/* Loads a nat address or port (or a range of them) into registers. */
static bool nat_operand(struct rctx *r, const struct ex *x, const struct nfk_dtype *t,
			unsigned bits, unsigned *reg, unsigned *regmax, unsigned *next_reg)
{
	uint8_t v[16], h[16];
	unsigned l = bits / 8, l2 = l;

	if (x->kind == EX_MAP) {
		struct sel target = { .dtype = t, .bits = bits, .len = bits / 8, .bo = NFK_BO_BIG };
		struct sel got;
		*reg = (*next_reg)++;
		*regmax = 0;
		r->map_data = &target;
		bool ok = load_expr(r, x, &got, *reg);
		r->map_data = NULL;
		return ok;
	}
	if (x->kind == EX_RANGE) {
		if (!value_text(r->c, x->a, t, NFK_BO_BIG, bits, v, &l) ||
		    !value_text(r->c, x->b, t, NFK_BO_BIG, bits, h, &l2))
			return false;
		*reg = (*next_reg)++;
		*regmax = (*next_reg)++;
		return emit_immediate(r->b, *reg, v, l) && emit_immediate(r->b, *regmax, h, l2);
	}
	if (x->kind == EX_PREFIX) {
		/* "to 10.0.0.0/24": the range the prefix covers */
		uint8_t m[16];
		if (!value_text(r->c, x->a, t, NFK_BO_BIG, bits, v, &l))
			return false;
		prefix_mask(m, l, x->plen);
		for (unsigned i = 0; i < l; i++) {
			v[i] &= m[i];
			h[i] = v[i] | ~m[i];
		}
		*reg = (*next_reg)++;
		*regmax = (*next_reg)++;
		return emit_immediate(r->b, *reg, v, l) && emit_immediate(r->b, *regmax, h, l);
	}
	if (!value_text(r->c, x, t, NFK_BO_BIG, bits, v, &l))
		return false;
	*reg = (*next_reg)++;
	*regmax = 0;
	return emit_immediate(r->b, *reg, v, l);
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
		const struct kset *ks = find_set(r->c, r->family, r->table, m->b->s, &tmp);
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
	unsigned half = sh->ndata > 1 ? round4(alen) + 4 : alen;
	sh->data_len = sh->dinterval ? 2 * half : half;
}

/* A nat address map whose data carry a port and/or an upper bound: one
 * lookup fills the registers the nat expression then names, member by
 * member (nft counts them in 32-bit registers for IPv4 addresses and in
 * 128-bit ones for IPv6 addresses). */
static bool nat_map_regs(struct rctx *r, const struct stmt *st, const struct kset *sh,
			 unsigned fam, unsigned *next_reg, unsigned regs[4])
{
	if (sh->ndata > 1 && r->l4 != 6 && r->l4 != 17 && r->l4 != 33 && r->l4 != 132 &&
	    !r->l4_set) {
		/* nft marks the whole map expression and, as context, the
		 * statement's keyword */
		struct nfk_loc loc = st->nat.addr->loc, kw = st->loc;
		const struct nfk_loc *end = &st->nat.addr->b->loc;
		if (end->line == loc.line && end->col_end > loc.col_end)
			loc.col_end = end->col_end;
		kw.col_end = kw.col + (st->nat.type == NFT_NAT_SNAT || st->nat.type == NFT_NAT_DNAT ?
				       3 : 0);
		cerr_ctx(r->c, &loc, &kw,
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
	bool ok = load_expr(r, st->nat.addr, &got, dreg);
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
			cerr(c, &st->loc, "specify `%s ip' or '%s ip6' in %s table to disambiguate",
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
		} else if (!nat_operand(r, st->nat.addr, t, fam == NFPROTO_IPV6 ? 128 : 32, &amin,
					&amax, &next_reg)) {
			return false;
		}
	}
	if (st->nat.port) {
		if (r->l4 != 6 && r->l4 != 17 && r->l4 != 33 && r->l4 != 132) {
			cerr(c, &st->loc, "transport protocol mapping is only valid after transport protocol match");
			return false;
		}
		if (!nat_operand(r, st->nat.port, NFK_DTYPE(INET_SERVICE), 16, &pmin, &pmax, &next_reg))
			return false;
		flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
	}
	if (st->kind == ST_NAT) {
		if (!e_begin(r->b, &e, "nat") || !nfk_schema_put_uint(r->b, nfk_expr_nat.schema, NFTA_NAT_TYPE, st->nat.type) ||
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
		return e_end(r->b, &e);
	}
	bool masq = st->kind == ST_MASQ;
	if (!e_begin(r->b, &e, masq ? "masq" : "redir"))
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
	return e_end(r->b, &e);
}

static bool is_const_expr(const struct ex *e)
{
	switch (e->kind) {
	case EX_SYM: case EX_STR: case EX_LIST:
		return true;
	case EX_BINOP:
		return is_const_expr(e->a) && is_const_expr(e->b);
	default:
		return false;
	}
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

	if (m->b->kind == EX_SETREF && !find_set(r->c, r->family, r->table, m->b->s, &tmp)) {
		set_missing(r->c, &m->b->loc, r->family, r->table, m->b->s);
		return false;
	}
	unsigned shift = wlen * 8 - ((lhs->pl.field->offset - off * 8) % (wlen * 8)) - lhs->pl.field->bits;
	if (!shift) {
		cerr(r->c, &lhs->loc, "Binary operation (^) is undefined for map expressions");
		return false;
	}
	struct nfk_loc loc = m->loc;
	if (m->b->loc.line == loc.line && m->b->loc.col_end > loc.col_end)
		loc.col_end = m->b->loc.col_end;
	cerr_ctx(r->c, &loc, &lhs->loc, "Binary operation (<<) is undefined for map expressions");
	return false;
}

static bool compile_payload_set(struct rctx *r, const struct stmt *st)
{
	const struct ex *lhs = st->set.left;
	struct sel s;
	uint8_t v[16];
	unsigned len;
	uint32_t ctype, coff, cflags;
	struct ebuf e;

	if (!sel_resolve(r, lhs, &s))
		return false;
	if (lhs->kind == EX_EXTHDR) {
		len = s.len;
		if (is_const_expr(st->set.right)) {
			if (!sel_value(r->c, &s, st->set.right, v, &len) ||
			    !emit_immediate(r->b, NFT_REG_1, v, len))
				return false;
		} else {
			struct sel src;
			r->map_data = &s;
			bool ok = load_expr(r, st->set.right, &src, NFT_REG_1);
			r->map_data = NULL;
			if (!ok)
				return false;
			/* host-order values are written in network order */
			if (src.bo == NFK_BO_HOST && src.len > 1 && !emit_byteorder(r->b, NFT_REG_1, src.len))
				return false;
		}
		return e_begin(r->b, &e, "exthdr") &&
		       nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_SREG, NFT_REG_1) &&
		       nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_TYPE, s.xtype) &&
		       nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_OFFSET, s.offset) &&
		       nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_LEN, s.len) &&
		       nfk_schema_put_uint(r->b, nfk_expr_exthdr.schema, NFTA_EXTHDR_OP, s.xop) && e_end(r->b, &e);
	}
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
			cerr(r->c, &st->set.right->loc, "unsupported value for a set statement");
			return false;
		}
		struct sel s2;
		r->map_data = &s;
		bool ok = load_expr(r, st->set.right, &s2, NFT_REG_1);
		r->map_data = NULL;
		if (!ok)
			return false;
	} else if (partial) {
		/* read-modify-write: keep the bits around the field */
		uint8_t m[16], x[16] = { 0 };
		if (!value_text(r->c, st->set.right, s.dtype, s.bo, lhs->pl.field->bits, v, &len))
			return false;
		uint64_t val = nfk_value_get_uint(v, len, NFK_BO_BIG);
		unsigned shift = (off + wlen) * 8 - (lhs->pl.field->offset + lhs->pl.field->bits) -
				 (s.offset - (lhs->pl.field->offset / 8)) * 8;
		shift = wlen * 8 - ((lhs->pl.field->offset - off * 8) % (wlen * 8)) - lhs->pl.field->bits;
		uint64_t fm = ((lhs->pl.field->bits >= 64 ? ~0ull : ((1ull << lhs->pl.field->bits) - 1)) << shift);
		nfk_value_put_uint(m, wlen, NFK_BO_BIG, ~fm);
		nfk_value_put_uint(x, wlen, NFK_BO_BIG, (val << shift) & fm);
		if (!emit_payload_load(r->b, s.base, off, wlen, NFT_REG_1) ||
		    !emit_bitwise(r->b, NFT_REG_1, m, x, wlen))
			return false;
	} else {
		if (!sel_value(r->c, &s, st->set.right, v, &len) ||
		    !emit_immediate(r->b, NFT_REG_1, v, len))
			return false;
	}
	return e_begin(r->b, &e, "payload") && nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_SREG, NFT_REG_1) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_BASE, s.base) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_OFFSET, off) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_LEN, wlen) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_CSUM_TYPE, ctype) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_CSUM_OFFSET, coff) &&
	       nfk_schema_put_uint(r->b, nfk_expr_payload.schema, NFTA_PAYLOAD_CSUM_FLAGS, cflags) && e_end(r->b, &e);
}

static bool compile_set_stmt(struct rctx *r, const struct stmt *st)
{
	struct sel s;
	uint8_t v[16];
	unsigned len;
	struct ebuf e;

	if (st->kind == ST_PAYLOAD_SET)
		return compile_payload_set(r, st);
	bool constant = is_const_expr(st->set.right);
	if (!sel_resolve(r, st->set.left, &s))
		return false;
	len = s.len;
	if (constant) {
		if (!sel_value(r->c, &s, st->set.right, v, &len) ||
		    !emit_immediate(r->b, NFT_REG_1, v, len))
			return false;
	} else {
		struct sel s2;
		r->map_data = &s;
		bool ok = load_expr(r, st->set.right, &s2, NFT_REG_1);
		r->map_data = NULL;
		if (!ok)
			return false;
	}
	if (st->kind == ST_META_SET)
		return e_begin(r->b, &e, "meta") && nfk_schema_put_uint(r->b, nfk_expr_meta.schema, NFTA_META_KEY, s.key) &&
		       nfk_schema_put_uint(r->b, nfk_expr_meta.schema, NFTA_META_SREG, NFT_REG_1) && e_end(r->b, &e);
	if (!e_begin(r->b, &e, "ct") || !nfk_schema_put_uint(r->b, nfk_expr_ct.schema, NFTA_CT_KEY, s.key))
		return false;
	if (st->set.left->sk.dir >= 0 && !nfk_schema_put_uint(r->b, nfk_expr_ct.schema, NFTA_CT_DIRECTION, st->set.left->sk.dir))
		return false;
	return nfk_schema_put_uint(r->b, nfk_expr_ct.schema, NFTA_CT_SREG, NFT_REG_1) && e_end(r->b, &e);
}

static bool compile_queue(struct rctx *r, const struct stmt *st)
{
	struct nfk_buf *b = r->b;
	struct ebuf e;
	struct sel s;

	if (st->queue.num_expr && !load_expr(r, st->queue.num_expr, &s, NFT_REG_1))
		return false;
	if (!e_begin(b, &e, "queue"))
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
	return e_end(b, &e);
}

/* tproxy, dup and fwd: immediates for address/port/device, then the
 * statement with their registers. */
static bool compile_tproxy_dup(struct rctx *r, const struct stmt *st)
{
	struct nfk_buf *b = r->b;
	struct ebuf e;

	if (st->kind == ST_FWD && r->family != NFPROTO_NETDEV) {
		cerr(r->c, &st->loc, "unsupported family");
		return false;
	}
	if (st->kind == ST_TPROXY && r->l4 != 6 && r->l4 != 17) {
		cerr(r->c, &st->loc, "Transparent proxy support requires transport protocol match");
		return false;
	}
	unsigned fam = st->fwd.family;
	unsigned areg = 0, preg = 0, dreg = 0, next_reg = NFT_REG_1, amax;

	if (!fam && st->fwd.addr)
		fam = r->family == NFPROTO_IPV6 ? NFPROTO_IPV6 :
		      r->family == NFPROTO_IPV4 ? NFPROTO_IPV4 : r->l3;
	if (st->fwd.addr) {
		if (!fam) {
			cerr(r->c, &st->loc, "unsupported family");
			return false;
		}
		if (!nat_operand(r, st->fwd.addr, fam == NFPROTO_IPV6 ? NFK_DTYPE(IP6ADDR) : NFK_DTYPE(IPADDR),
				 fam == NFPROTO_IPV6 ? 128 : 32, &areg, &amax, &next_reg))
			return false;
	}
	if (st->fwd.port && !nat_operand(r, st->fwd.port, NFK_DTYPE(INET_SERVICE), 16, &preg, &amax, &next_reg))
		return false;
	if (st->fwd.dev) {
		uint8_t v[16];
		unsigned l = 4;
		if (!value_text(r->c, st->fwd.dev, NFK_DTYPE(IFINDEX), NFK_BO_HOST, 32, v, &l))
			return false;
		dreg = next_reg++;
		if (!emit_immediate(b, dreg, v, l))
			return false;
	}
	switch (st->kind) {
	case ST_TPROXY:
		if (!e_begin(b, &e, "tproxy") ||
		    !nfk_schema_put_uint(b, nfk_expr_tproxy.schema, NFTA_TPROXY_FAMILY,
				       st->fwd.family ? (unsigned)st->fwd.family :
				       (r->family == NFPROTO_INET ? (unsigned)NFPROTO_UNSPEC : (unsigned)r->family)) ||
		    (areg && !nfk_schema_put_uint(b, nfk_expr_tproxy.schema, NFTA_TPROXY_REG_ADDR, areg)) ||
		    (preg && !nfk_schema_put_uint(b, nfk_expr_tproxy.schema, NFTA_TPROXY_REG_PORT, preg)))
			return false;
		break;
	case ST_DUP:
		if (!e_begin(b, &e, "dup") ||
		    (areg && !nfk_schema_put_uint(b, nfk_expr_dup.schema, NFTA_DUP_SREG_ADDR, areg)) ||
		    (dreg && !nfk_schema_put_uint(b, nfk_expr_dup.schema, NFTA_DUP_SREG_DEV, dreg)))
			return false;
		break;
	default:
		if (!e_begin(b, &e, "fwd") ||
		    (dreg && !nfk_schema_put_uint(b, nfk_expr_fwd.schema, NFTA_FWD_SREG_DEV, dreg)) ||
		    (areg && !nfk_schema_put_uint(b, nfk_expr_fwd.schema, NFTA_FWD_SREG_ADDR, areg)) ||
		    (areg && !nfk_schema_put_uint(b, nfk_expr_fwd.schema, NFTA_FWD_NFPROTO, fam)))
			return false;
	}
	return e_end(b, &e);
}

static bool compile_stmt(struct rctx *r, const struct stmt *st);

/* counter name KEY map { k : "name" }: an object map and objref sreg */
static bool compile_objref_map(struct rctx *r, const struct stmt *st)
{
	struct sel sels[16];
	unsigned nsel;
	const struct kset *ks;
	struct kset tmp;
	struct ebuf e;

	if (!load_concat(r, st->objref.key, sels, &nsel))
		return false;
	if (st->objref.map->kind == EX_SETREF) {
		ks = find_set(r->c, r->family, r->table, st->objref.map->s, &tmp);
		if (!ks) {
			set_missing(r->c, &st->objref.map->loc, r->family, r->table, st->objref.map->s);
			return false;
		}
	} else if (st->objref.map->kind == EX_SET) {
		r->objmap_type = st->objref.type;
		ks = anon_set(r, st->objref.map, sels, nsel, NULL, false, &st->loc);
		r->objmap_type = 0;
		if (!ks)
			return false;
	} else {
		cerr(r->c, &st->objref.map->loc, "Expression is not a map");
		return false;
	}
	return e_begin(r->b, &e, "objref") &&
	       nfk_schema_put_uint(r->b, nfk_expr_objref.schema, NFTA_OBJREF_SET_SREG, NFT_REG_1) &&
	       nfk_attr_put_str(r->b, NFTA_OBJREF_SET_NAME, ks->name) &&
	       (!ks->id || nfk_schema_put_uint(r->b, nfk_expr_objref.schema, NFTA_OBJREF_SET_ID, ks->id)) && e_end(r->b, &e);
}

/* A meter's set: anonymous and evaluated, keyed like what the meter loads. */
static const struct kset *meter_set(struct rctx *r, const struct stmt *st,
				    const struct sel *sels, unsigned nsel)
{
	struct cctx *c = r->c;
	struct kset *ks = nfk_arena_alloc(&c->ar, sizeof(*ks));
	struct set_decl d = { .policy = -1, .size = st->dynset.meter_size };

	if (!ks)
		return NULL;
	ks->family = r->family;
	ks->table = r->table;
	ks->name = st->dynset.set;
	ks->flags = NFT_SET_ANONYMOUS | NFT_SET_EVAL | (st->dynset.timeout ? NFT_SET_TIMEOUT : 0);
	for (unsigned i = 0; i < nsel; i++) {
		ks->keyt[i] = sels[i].dtype;
		ks->kbits[i] = sels[i].bits;
		ks->kbo[i] = sels[i].bo;
		ks->klen[i] = sels[i].len;
		ks->key_len += nsel > 1 ? round4(sels[i].len) : sels[i].len;
	}
	ks->nkey = nsel;
	ks->id = ++c->next_id;
	return emit_newset(c, ks, &d, NLM_F_CREATE, &st->loc, 0, false) ? ks : NULL;
}

/* add/update/delete @set { key ... }: a dynset expression whose stateful
 * expressions are compiled apart and nested into it. */
static bool compile_dynset(struct rctx *r, const struct stmt *st)
{
	struct cctx *c = r->c;
	struct sel sels[16];
	unsigned nsel;
	struct kset tmp;
	const struct kset *ks = st->dynset.meter ? NULL : find_set(c, r->family, r->table, st->dynset.set, &tmp);
	struct ebuf e;

	if (!ks && !st->dynset.meter) {
		set_missing(c, &st->dynset.set_loc, r->family, r->table, st->dynset.set);
		return false;
	}
	if (!load_concat(r, st->dynset.key, sels, &nsel))
		return false;
	if (st->dynset.meter && !(ks = meter_set(r, st, sels, nsel)))
		return false;
	unsigned dreg = 0;
	if (st->dynset.data) {
		struct sel d;
		uint8_t v[16];
		unsigned l;
		if (!ks->datat) {
			cerr(c, &st->dynset.data->loc, "set is not a map");
			return false;
		}
		d.dtype = ks->datat;
		d.bits = ks->data_len * 8;
		d.bo = nfk_dtype_bo(ks->datat);
		d.len = ks->data_len;
		d.masked = false;
		l = d.len;
		unsigned words = 0;
		for (unsigned i = 0; i < nsel; i++)
			words += round4(sels[i].len) / 4;
		dreg = reg_of_word((words + 3) / 4 * 4);
		if (!sel_value(c, &d, st->dynset.data, v, &l) || !emit_immediate(r->b, dreg, v, l))
			return false;
	}
	/* the stateful statements, each as one expression */
	uint8_t *mem = malloc(4096);
	struct nfk_buf inner;
	if (!mem)
		return false;
	nfk_buf_init(&inner, mem, 4096);
	struct nfk_buf *saved = r->b;
	unsigned nin = 0;
	r->b = &inner;
	for (const struct stmt *in = st->dynset.stmts; in; in = in->next, nin++)
		if (!compile_stmt(r, in)) {
			r->b = saved;
			free(mem);
			return false;
		}
	r->b = saved;
	struct nfk_buf *b = r->b;
	bool ok = e_begin(b, &e, "dynset") && nfk_attr_put_str(b, NFTA_DYNSET_SET_NAME, ks->name) &&
		  (!ks->id || nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_SET_ID, ks->id)) &&
		  nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_OP, st->dynset.op) &&
		  nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_SREG_KEY, NFT_REG_1) &&
		  (!dreg || nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_SREG_DATA, dreg)) &&
		  (!st->dynset.timeout || nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_TIMEOUT, st->dynset.timeout));
	if (ok && nin == 1) {
		/* one expression: NFTA_DYNSET_EXPR holds the list element's payload */
		const struct nlattr *el = (const struct nlattr *)inner.data;
		ok = nfk_attr_put(b, NFTA_DYNSET_EXPR, nfk_attr_data(el), nfk_attr_len(el));
	} else if (ok && nin > 1) {
		ok = nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_FLAGS, NFT_DYNSET_F_EXPR) &&
		     nfk_attr_put(b, NFTA_DYNSET_EXPRESSIONS, inner.data, inner.len);
	}
	free(mem);
	return ok && e_end(b, &e);
}

static bool compile_stmt(struct rctx *r, const struct stmt *st)
{
	struct nfk_buf *b = r->b;
	struct ebuf e;

	switch (st->kind) {
	case ST_MATCH: {
		r->c->match_lhs = &st->match.left->loc;
		bool ok = compile_match(r, st);
		r->c->match_lhs = NULL;
		return ok;
	}
	case ST_VMAP:
		return compile_vmap(r, st);
	case ST_VERDICT:
		return emit_verdict(b, st->verdict->code, st->verdict->s);
	case ST_COUNTER:
		return e_begin(b, &e, "counter") && nfk_schema_put_uint(b, nfk_expr_counter.schema, NFTA_COUNTER_BYTES, st->counter.bytes) &&
		       nfk_schema_put_uint(b, nfk_expr_counter.schema, NFTA_COUNTER_PACKETS, st->counter.packets) && e_end(b, &e);
	case ST_OBJREF:
		if (st->objref.key)
			return compile_objref_map(r, st);
		return e_begin(b, &e, "objref") &&
		       nfk_schema_put_uint(b, nfk_expr_objref.schema, NFTA_OBJREF_IMM_TYPE, st->objref.type) &&
		       nfk_attr_put_str(b, NFTA_OBJREF_IMM_NAME, st->objref.name) && e_end(b, &e);
	case ST_LOG:
		if (!e_begin(b, &e, "log"))
			return false;
		if (st->log.prefix && !nfk_attr_put_str(b, NFTA_LOG_PREFIX, st->log.prefix))
			return false;
		if (st->log.has_group && !nfk_schema_put_uint(b, nfk_expr_log.schema, NFTA_LOG_GROUP, st->log.group))
			return false;
		if (st->log.has_snaplen && !nfk_schema_put_uint(b, nfk_expr_log.schema, NFTA_LOG_SNAPLEN, st->log.snaplen))
			return false;
		if (st->log.has_qthreshold && !nfk_schema_put_uint(b, nfk_expr_log.schema, NFTA_LOG_QTHRESHOLD, st->log.qthreshold))
			return false;
		if (st->log.has_level && !nfk_schema_put_uint(b, nfk_expr_log.schema, NFTA_LOG_LEVEL, st->log.level))
			return false;
		if (st->log.flags && !nfk_schema_put_uint(b, nfk_expr_log.schema, NFTA_LOG_FLAGS, st->log.flags))
			return false;
		return e_end(b, &e);
	case ST_LIMIT:
		return e_begin(b, &e, "limit") && nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_RATE, st->limit.rate) &&
		       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_UNIT, st->limit.unit) &&
		       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_BURST, st->limit.burst) &&
		       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_TYPE, st->limit.type) &&
		       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_FLAGS, st->limit.inv ? NFT_LIMIT_F_INV : 0) &&
		       e_end(b, &e);
	case ST_QUOTA:
		return e_begin(b, &e, "quota") && nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_BYTES, st->quota.bytes) &&
		       nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_CONSUMED, st->quota.used) &&
		       nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_FLAGS, st->quota.inv ? NFT_QUOTA_F_INV : 0) &&
		       e_end(b, &e);
	case ST_REJECT:
		return compile_reject(r, st);
	case ST_NAT:
	case ST_MASQ:
	case ST_REDIR:
		return compile_nat(r, st);
	case ST_META_SET:
	case ST_CT_SET:
	case ST_PAYLOAD_SET:
		return compile_set_stmt(r, st);
	case ST_NOTRACK:
		return e_begin(b, &e, "notrack") && e_end(b, &e);
	case ST_QUEUE:
		return compile_queue(r, st);
	case ST_DYNSET:
		return compile_dynset(r, st);
	case ST_FLOW:
		return e_begin(b, &e, "flow_offload") &&
		       nfk_attr_put_str(b, NFTA_FLOW_TABLE_NAME, st->flowtable) && e_end(b, &e);
	case ST_CONNLIMIT:
		return e_begin(b, &e, "connlimit") &&
		       nfk_schema_put_uint(b, nfk_expr_connlimit.schema, NFTA_CONNLIMIT_COUNT, st->connlimit.count) &&
		       nfk_schema_put_uint(b, nfk_expr_connlimit.schema, NFTA_CONNLIMIT_FLAGS, st->connlimit.inv ? NFT_CONNLIMIT_F_INV : 0) &&
		       e_end(b, &e);
	case ST_SYNPROXY:
		return e_begin(b, &e, "synproxy") &&
		       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_MSS, st->synproxy.mss) &&
		       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_WSCALE, st->synproxy.wscale) &&
		       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_FLAGS, st->synproxy.flags) && e_end(b, &e);
	case ST_TPROXY:
	case ST_DUP:
	case ST_FWD:
		return compile_tproxy_dup(r, st);
	case ST_EXTHDR_RESET: {
		return e_begin(b, &e, "exthdr") &&
		       nfk_schema_put_uint(b, nfk_expr_exthdr.schema, NFTA_EXTHDR_TYPE, st->exthdr.opt->xt.type) &&
		       nfk_schema_put_uint(b, nfk_expr_exthdr.schema, NFTA_EXTHDR_OFFSET, 0) &&
		       nfk_schema_put_uint(b, nfk_expr_exthdr.schema, NFTA_EXTHDR_LEN, 0) &&
		       nfk_schema_put_uint(b, nfk_expr_exthdr.schema, NFTA_EXTHDR_FLAGS, 0) &&
		       nfk_schema_put_uint(b, nfk_expr_exthdr.schema, NFTA_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT) && e_end(b, &e);
	}
	}
	return false;
}

/* ---- commands ----------------------------------------------------------- */

static bool put_comment_udata(struct nfk_buf *b, uint16_t attr, uint8_t type, const char *s)
{
	uint8_t ud[260];
	size_t l = strlen(s) + 1;

	if (l > 255)
		l = 255;
	ud[0] = type;
	ud[1] = l;
	memcpy(ud + 2, s, l - 1);
	ud[1 + l] = 0;
	return nfk_attr_put(b, attr, ud, l + 2);
}

static bool compile_rule(struct cctx *c, const struct nfk_cmd *cmd, int family,
			 const char *table, const char *chain, const struct rule *ru)
{
	struct nfk_buf eb;
	uint8_t *mem = malloc(NFK_BATCH_MSG_MAX);
	bool ok = false;

	if (!mem)
		return false;
	nfk_buf_init(&eb, mem, 65000);
	struct rctx r = { .c = c, .b = &eb, .family = family, .table = table, .l4 = -1 };
	if (family == NFPROTO_IPV4 || family == NFPROTO_IPV6)
		r.l3 = family;
	bool terminal = false;
	size_t nst = 0;
	for (const struct stmt *st = ru->stmts; st; st = st->next)
		nst++;
	struct errmap *em = nfk_arena_alloc(&c->sc->arena, sizeof(*em));
	if (em) {
		em->off = nfk_arena_alloc(&c->sc->arena, (nst + 1) * sizeof(*em->off));
		em->loc = nfk_arena_alloc(&c->sc->arena, (nst + 1) * sizeof(*em->loc));
		if (!em->off || !em->loc)
			em = NULL;
	}
	r.pm_buf = &eb;
	for (const struct stmt *st = ru->stmts; st; st = st->next) {
		/* nft merges payload matches only within a run of matches */
		if (st->kind != ST_MATCH && !pm_flush(&r, em))
			goto too_large;
		if (em) {
			em->off[em->n] = eb.len;
			em->loc[em->n++] = st->kind == ST_VERDICT && st->verdict->s ?
					   &st->verdict->loc : &st->loc;
		}
		if (terminal) {
			cerr(c, &st->loc, "Statement after terminal statement has no effect");
			goto out;
		}
		terminal = st->kind == ST_VERDICT || st->kind == ST_REJECT || st->kind == ST_NAT ||
			   st->kind == ST_MASQ || st->kind == ST_REDIR;
		if (!compile_stmt(&r, st) || (st->kind != ST_MATCH && !pm_flush(&r, em))) {
too_large:
			if (!c->failed)
				cerr(c, &st->loc, "rule is too large");
			goto out;
		}
	}
	if (!pm_flush(&r, em)) {
		cerr(c, &ru->loc, "rule is too large");
		goto out;
	}
	uint16_t flags = NLM_F_CREATE;
	enum nfk_cmd_op op = cmd ? cmd->op : NFK_CMD_ADD;
	if (op == NFK_CMD_ADD || op == NFK_CMD_CREATE)
		flags |= NLM_F_APPEND;
	else if (op == NFK_CMD_REPLACE)
		flags = NLM_F_REPLACE;
	struct nfk_buf *b;
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWRULE, flags, family, &ru->loc);
	if (!nlh)
		goto out;
	ok = nfk_attr_put_str(b, NFTA_RULE_TABLE, table) && nfk_attr_put_str(b, NFTA_RULE_CHAIN, chain);
	if (ok && cmd && op == NFK_CMD_REPLACE && cmd->h.handle)
		ok = nfk_schema_put_uint(b, &nfk_rule_schema, NFTA_RULE_HANDLE, cmd->h.handle);
	if (ok && cmd && op != NFK_CMD_REPLACE && (cmd->h.position || cmd->h.handle))
		ok = nfk_schema_put_uint(b, &nfk_rule_schema, NFTA_RULE_POSITION,
				       cmd->h.position ? cmd->h.position : cmd->h.handle);
	if (ok) {
		struct nlattr *n = nfk_nest_start(b, NFTA_RULE_EXPRESSIONS);
		ok = n && (eb.len == 0 || nfk_attr_put(b, 0xffff, NULL, 0));
		if (ok && eb.len) {
			/* replace the placeholder header with the expression list */
			b->len -= NFK_ATTR_HDRLEN;
			if (em) {
				em->cookie = &ru->loc;
				em->base = (size_t)(b->data + b->len - (uint8_t *)nlh);
				em->next = c->sc->errmaps;
				c->sc->errmaps = em;
			}
			if (b->cap - b->len < eb.len) {
				ok = false;
			} else {
				memcpy(b->data + b->len, eb.data, eb.len);
				b->len += eb.len;
			}
		}
		if (ok)
			nfk_nest_end(b, n);
	}
	if (ok && ru->comment)
		ok = put_comment_udata(b, NFTA_RULE_USERDATA, 0, ru->comment);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		cerr(c, &ru->loc, "rule is too large");
		goto out;
	}
	end_msg(c, nlh, &ru->loc);
out:
	free(mem);
	return ok && !c->failed;
}

static bool compile_table_msg(struct cctx *c, const struct nfk_cmd *cmd, const struct table_decl *t)
{
	struct nfk_buf *b;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWTABLE, flags, cmd->h.family,
					     &cmd->loc);

	if (!nlh)
		return false;
	bool ok = nfk_attr_put_str(b, NFTA_TABLE_NAME, cmd->h.table) &&
		  nfk_schema_put_uint(b, &nfk_table_schema, NFTA_TABLE_FLAGS, t ? t->flags : 0);
	if (ok && t && t->comment)
		ok = put_comment_udata(b, NFTA_TABLE_USERDATA, 0, t->comment);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	end_msg(c, nlh, &cmd->loc);
	return true;
}

static bool compile_chain_msg(struct cctx *c, const struct nfk_cmd *cmd, int family,
			      const char *table, const struct chain_decl *ch, const char *name)
{
	struct nfk_buf *b;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	int hooknum = 0, prio = 0;

	if (ch && ch->base) {
		hooknum = nfk_hook_by_name(family, ch->hook);
		if (hooknum < 0) {
			cerr(c, &ch->hook_loc, "unknown chain hook");
			return false;
		}
		if (ch->prio_text) {
			char *end;
			long v = strtol(ch->prio_text, &end, 0);
			if (*end || end == ch->prio_text) {
				if (nfk_prio_by_name(family, hooknum, ch->prio_text, &prio)) {
					cerr(c, &ch->prio_loc, "'%s' is invalid priority in this context.",
					     ch->prio_text);
					return false;
				}
			} else {
				prio = (int)v;
			}
		}
		prio += ch->prio_offset;
		int tc = nfk_chain_type_check(family, hooknum, ch->type);
		if (tc == -ENOENT) {
			cerr(c, &ch->loc, "unknown chain type");
			return false;
		}
	}
	/* nft puts a kernel error about a chain of a table block at its name */
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWCHAIN, flags, family,
					     ch ? (const void *)(ch->name_loc.line ? &ch->name_loc : &ch->loc) :
						  &cmd->loc);
	if (!nlh)
		return false;
	bool ok = nfk_attr_put_str(b, NFTA_CHAIN_TABLE, table) &&
		  nfk_attr_put_str(b, NFTA_CHAIN_NAME, name);
	if (ok && ch && ch->base) {
		struct nlattr *h = nfk_nest_start(b, NFTA_CHAIN_HOOK);
		ok = h && nfk_schema_put_uint(b, &nfk_hook_schema, NFTA_HOOK_HOOKNUM, hooknum) &&
		     nfk_schema_put_uint(b, &nfk_hook_schema, NFTA_HOOK_PRIORITY, (uint32_t)prio);
		if (ok && ch->ndev == 1) {
			ok = nfk_attr_put_str(b, NFTA_HOOK_DEV, ch->devices[0]);
		} else if (ok && ch->ndev > 1) {
			struct nlattr *d = nfk_nest_start(b, NFTA_HOOK_DEVS);
			for (unsigned i = 0; ok && d && i < ch->ndev; i++)
				ok = nfk_attr_put_str(b, NFTA_DEVICE_NAME, ch->devices[i]);
			if (d)
				nfk_nest_end(b, d);
		}
		if (h)
			nfk_nest_end(b, h);
		if (ok && ch->policy >= 0)
			ok = nfk_schema_put_uint(b, &nfk_chain_schema, NFTA_CHAIN_POLICY, ch->policy);
		if (ok)
			ok = nfk_attr_put_str(b, NFTA_CHAIN_TYPE, ch->type);
	}
	if (ok && ch && ch->comment)
		ok = put_comment_udata(b, NFTA_CHAIN_USERDATA, 0, ch->comment);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	end_msg(c, nlh, ch ? (const void *)&ch->loc : &cmd->loc);
	return true;
}

static bool compile_flowtable(struct cctx *c, const struct nfk_cmd *cmd, int family,
			      const char *table, const struct flowtable_decl *f)
{
	struct nfk_buf *b;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	int hooknum = 0, prio = 0;

	if (f->hook) {
		hooknum = nfk_hook_by_name(NFPROTO_NETDEV, f->hook);
		if (hooknum < 0) {
			cerr(c, &f->hook_loc, "unknown chain hook");
			return false;
		}
	}
	if (f->prio_text) {
		char *end;
		long v = strtol(f->prio_text, &end, 0);
		if (*end || end == f->prio_text) {
			if (nfk_prio_by_name(family, hooknum, f->prio_text, &prio)) {
				cerr(c, &f->prio_loc, "'%s' is invalid priority.", f->prio_text);
				return false;
			}
		} else {
			prio = (int)v;
		}
	}
	prio += f->prio_offset;
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWFLOWTABLE, flags, family, &f->loc);
	if (!nlh)
		return false;
	bool ok = nfk_attr_put_str(b, NFTA_FLOWTABLE_TABLE, table) &&
		  nfk_attr_put_str(b, NFTA_FLOWTABLE_NAME, f->name);
	if (ok && f->hook) {
		struct nlattr *h = nfk_nest_start(b, NFTA_FLOWTABLE_HOOK);
		ok = h && nfk_schema_put_uint(b, &nfk_flowtable_hook_schema, NFTA_FLOWTABLE_HOOK_NUM, hooknum) &&
		     nfk_schema_put_uint(b, &nfk_flowtable_hook_schema, NFTA_FLOWTABLE_HOOK_PRIORITY, (uint32_t)prio);
		if (ok && f->ndev) {
			struct nlattr *d = nfk_nest_start(b, NFTA_FLOWTABLE_HOOK_DEVS);
			for (unsigned i = 0; ok && d && i < f->ndev; i++)
				ok = nfk_attr_put_str(b, NFTA_DEVICE_NAME, f->devices[i]);
			if (d)
				nfk_nest_end(b, d);
			ok = ok && d;
		}
		if (h)
			nfk_nest_end(b, h);
	}
	ok = ok && nfk_schema_put_uint(b, &nfk_flowtable_schema, NFTA_FLOWTABLE_FLAGS, f->flags);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	end_msg(c, nlh, &f->loc);
	return true;
}

/* A map's data as nat maps declare it: "T1 . T2" (or typeof members,
 * resolved through r) become concatenated data, each member padded to 32
 * bits; "interval" doubles the data, lows then highs.  ks->datat holds the
 * first member, which is what a nat statement loads. */
static bool kset_data_shape(struct cctx *c, struct kset *ks, const struct set_decl *d,
			    struct rctx *r)
{
	const struct ex *td = d->typeof_data;
	size_t n = r ? td->n : d->ndata;

	if (n > 1) {
		if (n > sizeof(ks->dtypes) / sizeof(ks->dtypes[0])) {
			cerr(c, r ? &td->loc : &d->key_loc, "too many concatenated types");
			return false;
		}
		ks->data_len = 0;
		for (size_t i = 0; i < n; i++) {
			const struct nfk_dtype *t;
			unsigned l;
			if (r) {
				struct sel sl;
				if (!sel_resolve(r, td->v[i], &sl))
					return false;
				t = sl.dtype;
				l = sl.len;
			} else {
				t = nfk_dtype_by_name(d->data_types[i]);
				if (!t) {
					cerr(c, &d->key_loc, "unknown datatype %s", d->data_types[i]);
					return false;
				}
				l = nfk_dtype_len(t);
			}
			if (!l || t == NFK_DTYPE(VERDICT)) {
				cerr(c, r ? &td->v[i]->loc : &d->key_loc,
				     "unqualified type %s specified in map definition", t->name);
				return false;
			}
			ks->dtypes[i] = t;
			ks->data_len += round4(l);
		}
		ks->ndata = (unsigned)n;
		ks->datat = ks->dtypes[0];
	}
	if (d->data_interval) {
		if (ks->datat == NFK_DTYPE(VERDICT)) {
			cerr(c, &d->key_loc, "verdict maps cannot hold intervals");
			return false;
		}
		ks->dinterval = true;
		ks->data_len *= 2;
	}
	return true;
}

/* Fills a set's key (and data) from its typeof expressions: what they
 * would load in a rule decides type, length and byte order. */
static bool kset_typeof(struct cctx *c, struct kset *ks, int family, const char *table,
			const struct set_decl *d)
{
	uint8_t mem[4096];
	struct nfk_buf scratch;
	struct rctx r = { .c = c, .b = &scratch, .family = family, .table = table, .l4 = -1 };
	const struct ex *k = d->typeof_key;
	const struct ex *const *items = &k;
	size_t n = 1;
	struct sel sl;

	nfk_buf_init(&scratch, mem, sizeof(mem));
	if (family == NFPROTO_IPV4 || family == NFPROTO_IPV6)
		r.l3 = family;
	if (k->kind == EX_CONCAT) {
		items = (const struct ex *const *)k->v;
		n = k->n;
	}
	if (n > 16) {
		cerr(c, &k->loc, "too many concatenated expressions");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!sel_resolve(&r, items[i], &sl))
			return false;
		ks->keyt[i] = sl.bits % 8 ? NFK_DTYPE(INTEGER) : sl.dtype;
		ks->kbits[i] = sl.bits;
		ks->kbo[i] = sl.bo;
		ks->kshift[i] = sl.masked ? sl.shift : 0;
		ks->kmasked[i] = sl.masked;
		ks->klen[i] = sl.len;
		ks->key_len += n > 1 ? round4(sl.len) : sl.len;
	}
	ks->nkey = n;
	if (n > 1 && (ks->flags & NFT_SET_INTERVAL))
		ks->flags |= NFT_SET_CONCAT;
	if (d->typeof_data && d->typeof_data->kind == EX_VERDICT) {
		ks->datat = NFK_DTYPE(VERDICT);
	} else if (d->typeof_data && d->typeof_data->kind == EX_CONCAT) {
		if (!kset_data_shape(c, ks, d, &r))
			return false;
	} else if (d->typeof_data) {
		if (!sel_resolve(&r, d->typeof_data, &sl))
			return false;
		ks->datat = sl.dtype;
		ks->data_len = sl.len;
		ks->dbits = sl.bits;
		ks->dbo = sl.bo;
		if (!kset_data_shape(c, ks, d, NULL))
			return false;
	} else if (d->is_map) {
		cerr(c, &d->loc, "map definition does not specify data type");
		return false;
	}
	ks->automerge = d->automerge;
	ks->id = ++c->next_id;
	ks->next = c->sets;
	c->sets = ks;
	return true;
}

/* A map's data type naming a stateful object kind: its NFT_OBJECT_*, or 0. */
static uint32_t objmap_type_by_name(const char *name)
{
	static const struct { const char *w; uint32_t type; } kinds[] = {
		{ "counter", NFT_OBJECT_COUNTER }, { "quota", NFT_OBJECT_QUOTA },
		{ "limit", NFT_OBJECT_LIMIT }, { "secmark", NFT_OBJECT_SECMARK },
		{ "synproxy", NFT_OBJECT_SYNPROXY },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(name, kinds[i].w))
			return kinds[i].type;
	return 0;
}

static struct kset *kset_from_decl(struct cctx *c, int family, const char *table,
				   const struct set_decl *d)
{
	struct kset *ks = nfk_arena_alloc(&c->ar, sizeof(*ks));

	if (!ks)
		return NULL;
	ks->family = family;
	ks->table = table;
	ks->name = d->name;
	ks->flags = d->flags;
	if (d->is_map)
		ks->flags |= NFT_SET_MAP;
	if (d->typeof_key)
		return kset_typeof(c, ks, family, table, d) ? ks : NULL;
	for (unsigned i = 0; i < d->nkey; i++) {
		const struct nfk_dtype *t = nfk_dtype_by_name(d->key_types[i]);
		if (!t) {
			cerr(c, &d->key_loc, "unknown datatype %s", d->key_types[i]);
			return NULL;
		}
		ks->keyt[i] = t;
		unsigned l = nfk_dtype_len(t);
		if (!l) {
			if (d->nkey > 1 || !(t->id == NFK_TYPE_IFNAME || t->id == NFK_TYPE_STRING)) {
				cerr(c, &d->key_loc, "unqualified type %s specified in set definition", t->name);
				return NULL;
			}
			l = 16;
		}
		ks->key_len += d->nkey > 1 ? round4(l) : l;
	}
	ks->nkey = d->nkey;
	if (d->nkey > 1 && (ks->flags & NFT_SET_INTERVAL))
		ks->flags |= NFT_SET_CONCAT;
	uint32_t objtype = d->data_type ? objmap_type_by_name(d->data_type) : 0;
	if (objtype) {
		/* an object map: NFT_SET_OBJECT instead of NFT_SET_MAP, as nft */
		ks->flags = (ks->flags & ~NFT_SET_MAP) | NFT_SET_OBJECT;
		ks->objmap = true;
		ks->objtype = objtype;
	} else if (d->data_type) {
		if (!strcmp(d->data_type, "verdict")) {
			ks->datat = NFK_DTYPE(VERDICT);
		} else {
			ks->datat = nfk_dtype_by_name(d->data_type);
			if (!ks->datat) {
				cerr(c, &d->key_loc, "unknown datatype %s", d->data_type);
				return NULL;
			}
			ks->data_len = nfk_dtype_len(ks->datat);
			if (!ks->data_len)
				ks->data_len = 16;
		}
		if (!kset_data_shape(c, ks, d, NULL))
			return NULL;
	} else if (d->is_map) {
		cerr(c, &d->loc, "map definition does not specify data type");
		return NULL;
	}
	ks->automerge = d->automerge;
	ks->id = ++c->next_id;
	ks->next = c->sets;
	c->sets = ks;
	return ks;
}

static bool compile_set(struct cctx *c, const struct nfk_cmd *cmd, int family,
			const char *table, const struct set_decl *d)
{
	struct kset *ks = kset_from_decl(c, family, table, d);

	if (!ks)
		return false;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	if (!emit_newset(c, ks, d, flags, &d->loc, 0, false))
		return false;
	struct elw w = { .c = c, .family = family, .table = table, .set = ks->name,
			 .set_id = ks->id, .ks = ks, .msgtype = NFT_MSG_NEWSETELEM,
			 .msgflags = NLM_F_CREATE, .cookie = &d->loc, .gather = true };
	return emit_elements(c, &w, NULL, d->has_elems ? &d->elems : NULL);
}

/* ---- stateful objects: each kind's NFTA_OBJ_DATA, as nft sends it ----- */

static bool obj_counter_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_schema_put_uint(b, nfk_expr_counter.schema, NFTA_COUNTER_BYTES, o->counter.bytes) &&
	       nfk_schema_put_uint(b, nfk_expr_counter.schema, NFTA_COUNTER_PACKETS, o->counter.packets);
}

static bool obj_quota_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_BYTES, o->quota.bytes) &&
	       nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_CONSUMED, o->quota.used) &&
	       nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_FLAGS, (o->quota.inv ? NFT_QUOTA_F_INV : 0));
}

static bool obj_limit_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_RATE, o->limit.rate) &&
	       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_UNIT, o->limit.unit) &&
	       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_BURST, o->limit.burst) &&
	       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_TYPE, o->limit.type) &&
	       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_FLAGS, (o->limit.inv ? NFT_LIMIT_F_INV : 0));
}

/* l3proto only when written: the kernel takes the table's family */
static bool obj_ct_helper_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_attr_put_str(b, NFTA_CT_HELPER_NAME, o->helper ? o->helper : "") &&
	       (!o->l3proto || nfk_schema_put_uint(b, &nfk_obj_ct_helper_schema, NFTA_CT_HELPER_L3PROTO, o->l3proto)) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_helper_schema, NFTA_CT_HELPER_L4PROTO, o->l4proto);
}

/* Every state of the protocol, the policy's values over nft's defaults. */
static bool obj_ct_timeout_data(struct nfk_buf *b, const struct obj_decl *o)
{
	if ((o->l3proto && !nfk_schema_put_uint(b, &nfk_obj_ct_timeout_schema, NFTA_CT_TIMEOUT_L3PROTO, o->l3proto)) ||
	    !nfk_schema_put_uint(b, &nfk_obj_ct_timeout_schema, NFTA_CT_TIMEOUT_L4PROTO, o->l4proto))
		return false;
	struct nlattr *n = nfk_nest_start(b, NFTA_CT_TIMEOUT_DATA);
	bool ok = n != NULL;
	for (unsigned i = 1; ok && i <= o->timeout.n; i++)
		ok = nfk_attr_put_be32(b, i, o->timeout.secs[i]);
	if (n)
		nfk_nest_end(b, n);
	return ok;
}

/* the timeout goes in host order (NLA_U32), unlike the rest */
static bool obj_ct_expect_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return (!o->l3proto || nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_L3PROTO, o->l3proto)) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_L4PROTO, o->l4proto) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_DPORT, o->expect.dport) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_TIMEOUT, o->expect.timeout) &&
	       nfk_schema_put_uint(b, &nfk_obj_ct_expect_schema, NFTA_CT_EXPECT_SIZE, o->expect.size);
}

static bool obj_synproxy_data(struct nfk_buf *b, const struct obj_decl *o)
{
	return nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_MSS, o->synproxy.mss) &&
	       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_WSCALE, o->synproxy.wscale) &&
	       nfk_schema_put_uint(b, nfk_expr_synproxy.schema, NFTA_SYNPROXY_FLAGS, o->synproxy.flags);
}

/* the context without its NUL, as nft sends it */
static bool obj_secmark_data(struct nfk_buf *b, const struct obj_decl *o)
{
	const char *ctx = o->secctx ? o->secctx : "";

	return nfk_attr_put(b, NFTA_SECMARK_CTX, ctx, strlen(ctx));
}

/* The kernel's type of each object kind the language declares. */
static const struct {
	uint32_t type;
	bool (*data)(struct nfk_buf *b, const struct obj_decl *o);
} obj_kinds[] = {
	[NFK_OBJ_COUNTER] = { NFT_OBJECT_COUNTER, obj_counter_data },
	[NFK_OBJ_QUOTA] = { NFT_OBJECT_QUOTA, obj_quota_data },
	[NFK_OBJ_LIMIT] = { NFT_OBJECT_LIMIT, obj_limit_data },
	[NFK_OBJ_CT_HELPER] = { NFT_OBJECT_CT_HELPER, obj_ct_helper_data },
	[NFK_OBJ_CT_TIMEOUT] = { NFT_OBJECT_CT_TIMEOUT, obj_ct_timeout_data },
	[NFK_OBJ_CT_EXPECT] = { NFT_OBJECT_CT_EXPECT, obj_ct_expect_data },
	[NFK_OBJ_SYNPROXY] = { NFT_OBJECT_SYNPROXY, obj_synproxy_data },
	[NFK_OBJ_SECMARK] = { NFT_OBJECT_SECMARK, obj_secmark_data },
};

static uint32_t obj_kind_type(enum nfk_obj_kind kind)
{
	return (size_t)kind < sizeof(obj_kinds) / sizeof(obj_kinds[0]) ? obj_kinds[kind].type : 0;
}

static bool compile_obj(struct cctx *c, const struct nfk_cmd *cmd, int family,
			const char *table, const struct obj_decl *o)
{
	struct nfk_buf *b;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	uint32_t type = obj_kind_type(o->kind);

	if (!type) {
		cerr(c, &o->loc, "unsupported command");
		return false;
	}
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWOBJ, flags, family, &o->loc);
	if (!nlh)
		return false;
	/* nft's order: the comment comes before the data */
	bool ok = nfk_attr_put_str(b, NFTA_OBJ_TABLE, table) &&
		  nfk_attr_put_str(b, NFTA_OBJ_NAME, o->name) &&
		  nfk_schema_put_uint(b, &nfk_obj_schema, NFTA_OBJ_TYPE, type) &&
		  (!o->comment || put_comment_udata(b, NFTA_OBJ_USERDATA, 0, o->comment));
	struct nlattr *d = ok ? nfk_nest_start(b, NFTA_OBJ_DATA) : NULL;
	ok = d && obj_kinds[o->kind].data(b, o);
	if (d)
		nfk_nest_end(b, d);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	end_msg(c, nlh, &o->loc);
	return true;
}

/* A message with just a few name attributes: deletes and flushes. */
static bool simple_msg(struct cctx *c, const struct nfk_cmd *cmd, uint16_t type, int family,
		       const uint16_t *attrs, const char *const *vals, unsigned n, uint64_t handle,
		       uint16_t handle_attr)
{
	struct nfk_buf *b;
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, type, 0, family < 0 ? NFPROTO_UNSPEC : family,
					     &cmd->h.loc);

	if (!nlh)
		return false;
	bool ok = true;
	for (unsigned i = 0; ok && i < n; i++)
		if (vals[i])
			ok = nfk_attr_put_str(b, attrs[i], vals[i]);
	if (ok && handle)
		ok = nfk_schema_put_uint(b, nfk_msg_schema(type), handle_attr, handle);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	end_msg(c, nlh, &cmd->h.loc);
	return true;
}

/* The intervals a kernel set holds, from its elements as dumped: starts,
 * and ends flagged (exclusive).  An empty set gets nft's leading end
 * element at zero with the first addition; a set with elements has it. */
struct kelem {
	uint8_t key[16];
	bool end;
};

static int kelem_cmp(const void *a, const void *b)
{
	const struct kelem *x = a, *y = b;
	int r = memcmp(x->key, y->key, sort_klen);
	return r ? r : (int)y->end - (int)x->end;   /* an end before a start */
}

static bool kernel_intervals(struct cctx *c, const struct nfk_cmd *cmd, const struct kset *ks,
			     struct elw *w)
{
	const struct ks_set *st = ks_set_find(c->o->ks, cmd->h.family, cmd->h.table, cmd->h.set);
	unsigned klen = ks->key_len;
	struct kelem *v = NULL;
	size_t n = 0, cap = 0;

	if (!st || klen > 16)
		return true;
	for (uint32_t m = 0; m < st->elem_n; m++) {
		const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];
		ks_index(c->o->ks, KS_ELEM, st->elem_first + m, tb, NFTA_SET_ELEM_LIST_MAX);
		const struct nlattr *list = tb[NFTA_SET_ELEM_LIST_ELEMENTS];
		if (!list)
			continue;
		nfk_attr_for_each(el, rem, nfk_attr_data(list), nfk_attr_len(list)) {
			const struct nlattr *e[NFTA_SET_ELEM_MAX + 1], *d[NFTA_DATA_MAX + 1];
			if (nfk_attr_index(nfk_attr_data(el), nfk_attr_len(el), e, NFTA_SET_ELEM_MAX) < 0 ||
			    !e[NFTA_SET_ELEM_KEY] ||
			    nfk_attr_index(nfk_attr_data(e[NFTA_SET_ELEM_KEY]),
					   nfk_attr_len(e[NFTA_SET_ELEM_KEY]), d, NFTA_DATA_MAX) < 0 ||
			    !d[NFTA_DATA_VALUE] || nfk_attr_len(d[NFTA_DATA_VALUE]) != klen)
				continue;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				struct kelem *nv = realloc(v, nc * sizeof(*v));
				if (!nv) {
					free(v);
					return false;
				}
				v = nv;
				cap = nc;
			}
			memset(&v[n], 0, sizeof(v[n]));
			memcpy(v[n].key, nfk_attr_data(d[NFTA_DATA_VALUE]), klen);
			uint32_t fl = 0;
			if (e[NFTA_SET_ELEM_FLAGS])
				nfk_attr_get_be32(e[NFTA_SET_ELEM_FLAGS], &fl);
			v[n].end = fl & NFT_SET_ELEM_INTERVAL_END;
			n++;
		}
	}
	w->no_zero = n > 0;
	sort_klen = klen;
	qsort(v, n, sizeof(*v), kelem_cmp);
	w->old = malloc(n * 2 * klen + 1);
	if (!w->old) {
		free(v);
		return false;
	}
	/* each start runs to the next end (exclusive), or to the maximum */
	for (size_t i = 0; i < n; i++) {
		if (v[i].end)
			continue;
		uint8_t *lo = w->old + w->nold * 2 * klen, *hi = lo + klen;
		memcpy(lo, v[i].key, klen);
		memset(hi, 0xff, klen);
		if (i + 1 < n && v[i + 1].end) {
			memcpy(hi, v[i + 1].key, klen);
			for (unsigned j = klen; j-- > 0 && hi[j]-- == 0;)
				;
		}
		w->nold++;
	}
	free(v);
	return true;
}

bool nfk_script_needs_elems(const struct nfk_script *sc)
{
	for (size_t i = 0; sc && i < sc->ncmds; i++) {
		const struct nfk_cmd *cmd = &sc->cmds[i];
		if ((cmd->op != NFK_CMD_ADD && cmd->op != NFK_CMD_CREATE) ||
		    cmd->obj != NFK_OBJ_ELEMENT)
			continue;
		bool declared = false;
		for (size_t j = 0; j < i && !declared; j++) {
			const struct nfk_cmd *d = &sc->cmds[j];
			const struct cmd_body *b = d->body;
			if (d->h.family != cmd->h.family || !d->h.table ||
			    strcmp(d->h.table, cmd->h.table))
				continue;
			if ((d->obj == NFK_OBJ_SET || d->obj == NFK_OBJ_MAP) && d->h.set &&
			    !strcmp(d->h.set, cmd->h.set))
				declared = true;
			for (const struct set_decl *s = d->obj == NFK_OBJ_TABLE && b->table ?
							b->table->sets : NULL; s; s = s->next)
				if (!strcmp(s->name, cmd->h.set))
					declared = true;
		}
		if (!declared)
			return true;
	}
	return false;
}

static bool compile_elements_cmd(struct cctx *c, const struct nfk_cmd *cmd, uint16_t msgtype)
{
	const struct cmd_body *body = cmd->body;
	struct kset tmp;
	const struct kset *ks = find_set(c, cmd->h.family, cmd->h.table, cmd->h.set, &tmp);

	if (!ks) {
		set_missing_at(c, &cmd->h.set_loc, &cmd->h.table_loc, cmd->h.family, cmd->h.table,
			       cmd->h.set);
		return false;
	}
	struct elw w = { .c = c, .family = cmd->h.family, .table = cmd->h.table,
			 .set = ks->name, .set_id = ks->id, .ks = ks, .msgtype = msgtype,
			 .msgflags = msgtype == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0,
			 .cookie = &cmd->loc };
	if (msgtype == NFT_MSG_NEWSETELEM && cmd->op == NFK_CMD_CREATE)
		w.msgflags |= NLM_F_EXCL;
	w.no_zero = true;
	bool add = msgtype == NFT_MSG_NEWSETELEM;
	bool kernel_set = add && !ks->id && (ks->flags & NFT_SET_INTERVAL) && ks->nkey == 1 && c->o;
	if (kernel_set && c->o->ks_elems && !kernel_intervals(c, cmd, ks, &w))
		return false;
	if (kernel_set && c->o->ks_elems && ks->automerge)
		w.kmerge = true;
	else if (kernel_set && !c->o->ks_elems)
		w.probe = c->o->probe;
	bool ok = emit_elements(c, &w, NULL, &body->elems);
	free(w.old);
	return ok;
}

static bool compile_add(struct cctx *c, const struct nfk_cmd *cmd)
{
	const struct cmd_body *body = cmd->body;
	int fam = cmd->h.family;
	const char *tbl = cmd->h.table;

	switch (cmd->obj) {
	case NFK_OBJ_TABLE: {
		const struct table_decl *t = body->table;
		if (!compile_table_msg(c, cmd, t))
			return false;
		if (!t)
			return true;
		/* nft's order: chains, objects, sets (with elements), rules */
		for (const struct chain_decl *ch = t->chains; ch; ch = ch->next)
			if (!go_on(c, compile_chain_msg(c, cmd, fam, tbl, ch, ch->name)))
				return false;
		for (const struct obj_decl *o = t->objs; o; o = o->next)
			if (!go_on(c, compile_obj(c, cmd, fam, tbl, o)))
				return false;
		for (const struct set_decl *s = t->sets; s; s = s->next)
			if (!go_on(c, compile_set(c, cmd, fam, tbl, s)))
				return false;
		for (const struct flowtable_decl *f = t->fts; f; f = f->next)
			if (!go_on(c, compile_flowtable(c, cmd, fam, tbl, f)))
				return false;
		for (const struct chain_decl *ch = t->chains; ch; ch = ch->next) {
			/* a rule's chain is the block's name: a kernel error about
			 * the chain (it was refused, say) points there, as nft's */
			const struct nfk_handle *th = c->cur_h;
			/* in the script's arena: the error map keeps pointers into it */
			struct nfk_handle *bh = nfk_arena_alloc(&c->sc->arena, sizeof(*bh));
			if (bh) {
				*bh = th ? *th : (struct nfk_handle){ 0 };
				bh->chain_loc = ch->name_loc;
				c->cur_h = bh;
			}
			for (const struct rule *r = ch->rules; r; r = r->next)
				if (!go_on(c, compile_rule(c, NULL, fam, tbl, ch->name, r))) {
					c->cur_h = th;
					return false;
				}
			c->cur_h = th;
		}
		return true;
	}
	case NFK_OBJ_CHAIN:
		if (!compile_chain_msg(c, cmd, fam, tbl, body->chain, cmd->h.chain))
			return false;
		if (body->chain)
			for (const struct rule *r = body->chain->rules; r; r = r->next)
				if (!go_on(c, compile_rule(c, NULL, fam, tbl, cmd->h.chain, r)))
					return false;
		return true;
	case NFK_OBJ_RULE:
		return compile_rule(c, cmd, fam, tbl, cmd->h.chain, body->rule);
	case NFK_OBJ_SET:
	case NFK_OBJ_MAP:
		if (!body->set) {
			cerr(c, &cmd->loc, "set definition does not specify key");
			return false;
		}
		return compile_set(c, cmd, fam, tbl, body->set);
	case NFK_OBJ_ELEMENT:
		return compile_elements_cmd(c, cmd, NFT_MSG_NEWSETELEM);
	case NFK_OBJ_COUNTER:
	case NFK_OBJ_QUOTA:
	case NFK_OBJ_LIMIT:
	case NFK_OBJ_CT_HELPER:
	case NFK_OBJ_CT_TIMEOUT:
	case NFK_OBJ_CT_EXPECT:
	case NFK_OBJ_SYNPROXY:
	case NFK_OBJ_SECMARK:
		return compile_obj(c, cmd, fam, tbl, body->obj);
	case NFK_OBJ_FLOWTABLE:
		if (!body->ft) {
			cerr(c, &cmd->loc, "flowtable definition expected");
			return false;
		}
		return compile_flowtable(c, cmd, fam, tbl, body->ft);
	default:
		cerr(c, &cmd->loc, "unsupported command");
		return false;
	}
}

static bool compile_delete(struct cctx *c, const struct nfk_cmd *cmd, bool destroy)
{
	const struct nfk_handle *h = &cmd->h;
	static const uint16_t tattrs[] = { NFTA_TABLE_NAME };
	static const uint16_t cattrs[] = { NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME };
	static const uint16_t rattrs[] = { NFTA_RULE_TABLE, NFTA_RULE_CHAIN };
	static const uint16_t sattrs[] = { NFTA_SET_TABLE, NFTA_SET_NAME };
	const char *tv[] = { h->table };
	const char *cv[] = { h->table, h->chain };
	const char *sv[] = { h->table, h->set };

	switch (cmd->obj) {
	case NFK_OBJ_TABLE:
		return simple_msg(c, cmd, destroy ? NFT_MSG_DESTROYTABLE : NFT_MSG_DELTABLE, h->family,
				  tattrs, tv, 1, h->handle, NFTA_TABLE_HANDLE);
	case NFK_OBJ_CHAIN:
		return simple_msg(c, cmd, destroy ? NFT_MSG_DESTROYCHAIN : NFT_MSG_DELCHAIN, h->family,
				  cattrs, cv, 2, h->handle, NFTA_CHAIN_HANDLE);
	case NFK_OBJ_RULE:
		return simple_msg(c, cmd, destroy ? NFT_MSG_DESTROYRULE : NFT_MSG_DELRULE, h->family,
				  rattrs, cv, 2, h->handle, NFTA_RULE_HANDLE);
	case NFK_OBJ_SET:
	case NFK_OBJ_MAP:
		return simple_msg(c, cmd, destroy ? NFT_MSG_DESTROYSET : NFT_MSG_DELSET, h->family,
				  sattrs, sv, 2, h->handle, NFTA_SET_HANDLE);
	case NFK_OBJ_ELEMENT:
		return compile_elements_cmd(c, cmd, destroy ? NFT_MSG_DESTROYSETELEM : NFT_MSG_DELSETELEM);
	case NFK_OBJ_COUNTER:
	case NFK_OBJ_QUOTA:
	case NFK_OBJ_LIMIT:
	case NFK_OBJ_CT_HELPER:
	case NFK_OBJ_CT_TIMEOUT:
	case NFK_OBJ_CT_EXPECT:
	case NFK_OBJ_SYNPROXY:
	case NFK_OBJ_SECMARK: {
		struct nfk_buf *b;
		struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, destroy ? NFT_MSG_DESTROYOBJ : NFT_MSG_DELOBJ,
						     0, h->family, &cmd->loc);
		uint32_t type = obj_kind_type(cmd->obj);
		if (!nlh)
			return false;
		/* nft's order: the handle in the name's place, an empty data nest */
		bool ok = nfk_attr_put_str(b, NFTA_OBJ_TABLE, h->table) &&
			  (!h->set || nfk_attr_put_str(b, NFTA_OBJ_NAME, h->set)) &&
			  (!h->handle || nfk_schema_put_uint(b, &nfk_obj_schema, NFTA_OBJ_HANDLE, h->handle)) &&
			  nfk_schema_put_uint(b, &nfk_obj_schema, NFTA_OBJ_TYPE, type);
		struct nlattr *d = ok ? nfk_nest_start(b, NFTA_OBJ_DATA) : NULL;
		if (d)
			nfk_nest_end(b, d);
		if (!d) {
			nfk_batch_cancel_msg(c->b, nlh);
			return false;
		}
		end_msg(c, nlh, &cmd->loc);
		return true;
	}
	default:
		cerr(c, &cmd->loc, "unsupported command");
		return false;
	}
}

static bool compile_flush(struct cctx *c, const struct nfk_cmd *cmd)
{
	const struct nfk_handle *h = &cmd->h;
	static const uint16_t rattrs[] = { NFTA_RULE_TABLE, NFTA_RULE_CHAIN };
	static const uint16_t eattrs[] = { NFTA_SET_ELEM_LIST_TABLE, NFTA_SET_ELEM_LIST_SET };
	const char *cv[] = { h->table, h->chain };
	const char *sv[] = { h->table, h->set };

	switch (cmd->obj) {
	case NFK_OBJ_RULESET:
		return simple_msg(c, cmd, NFT_MSG_DELTABLE, h->family, NULL, NULL, 0, 0, 0);
	case NFK_OBJ_TABLE:
		return simple_msg(c, cmd, NFT_MSG_DELRULE, h->family, rattrs, cv, 1, 0, 0);
	case NFK_OBJ_CHAIN:
		return simple_msg(c, cmd, NFT_MSG_DELRULE, h->family, rattrs, cv, 2, 0, 0);
	case NFK_OBJ_SET:
	case NFK_OBJ_MAP: {
		/* nft looks the set up in its cache first */
		struct kset tmp;
		if (c->o && c->o->ks && !find_set(c, h->family, h->table, h->set, &tmp)) {
			set_missing_at(c, &h->set_loc, &h->table_loc, h->family, h->table, h->set);
			return false;
		}
		return simple_msg(c, cmd, NFT_MSG_DELSETELEM, h->family, eattrs, sv, 2, 0, 0);
	}
	default:
		cerr(c, &cmd->loc, "unsupported command");
		return false;
	}
}

int nfk_script_compile(struct nfk_script *sc, const struct nfk_compile_opts *o,
		       struct nfk_batch *b, struct nfk_diags *ds)
{
	struct cctx c = { .sc = sc, .o = o, .b = b, .ds = ds };
	bool ok = true;

	for (size_t i = 0; ok && i < sc->ncmds; i++) {
		const struct nfk_cmd *cmd = &sc->cmds[i];
		c.cmd_i = i;
		c.cur_h = &cmd->h;
		c.failed = false;
		switch (cmd->op) {
		case NFK_CMD_ADD:
		case NFK_CMD_CREATE:
		case NFK_CMD_INSERT:
		case NFK_CMD_REPLACE:
			ok = compile_add(&c, cmd);
			break;
		case NFK_CMD_DELETE:
		case NFK_CMD_DESTROY:
			ok = compile_delete(&c, cmd, cmd->op == NFK_CMD_DESTROY);
			break;
		case NFK_CMD_FLUSH:
			ok = compile_flush(&c, cmd);
			break;
		default:
			break;   /* list/get/reset/monitor: run by the back end */
		}
		if (!ok && !c.failed)
			cerr(&c, &cmd->loc, "out of memory");
		else
			ok = true;    /* report the other commands' errors too */
	}
	nfk_arena_free(&c.ar);
	nfk_arena_free(&c.scratch);
	return ok && !c.any_failed ? 0 : -EINVAL;
}

const struct nfk_loc *nfk_script_err_loc(const struct nfk_script *sc, const void *cookie,
					 int32_t attr_off)
{
	if (!sc || attr_off < 0)
		return cookie;
	for (const struct errmap *em = sc->errmaps; em; em = em->next)
		for (unsigned i = 0; em->cookie == cookie && i < em->nnames; i++)
			if (em->name_off[i] == (uint32_t)attr_off)
				return em->name_loc[i];
	for (const struct errmap *em = sc->errmaps; em; em = em->next) {
		if (em->cookie != cookie || !em->n)
			continue;
		if ((size_t)attr_off < em->base)
			return cookie;
		size_t rel = (size_t)attr_off - em->base;
		const struct nfk_loc *best = cookie;
		for (size_t i = 0; i < em->n; i++)
			if (em->off[i] <= rel)
				best = em->loc[i];
		return best;
	}
	return cookie;
}

/* `get element`: the command's elements encoded as a delete would send them
 * (interval sets: start, then the end flagged), in NFT_MSG_GETSETELEM
 * messages the caller sends as plain requests. */
int nfk_script_compile_get(struct nfk_script *sc, const struct nfk_cmd *cmd,
			   const struct nfk_compile_opts *o, struct nfk_batch *b,
			   struct nfk_diags *ds)
{
	struct cctx c = { .sc = sc, .o = o, .b = b, .ds = ds, .cur_h = &cmd->h };
	bool ok;

	c.cmd_i = (size_t)(cmd - sc->cmds);
	ok = compile_elements_cmd(&c, cmd, NFT_MSG_GETSETELEM);
	if (!ok && !c.failed)
		cerr(&c, &cmd->loc, "out of memory");
	nfk_arena_free(&c.ar);
	nfk_arena_free(&c.scratch);
	return ok ? 0 : -EINVAL;
}
