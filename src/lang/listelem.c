// SPDX-License-Identifier: MIT
/*
 * Set elements as nft lists them: keys, ranges and prefixes, concatenated
 * keys and their views, data and verdicts, element options (timeout,
 * expires, comment, counters), sorted as nft sorts them, wrapped as nft
 * wraps named sets' lines; from messages or packed records.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "decompile.h"
#include "../obj/objects.h"

/* ---- set elements ----------------------------------------------------- */

struct elem {
	const uint8_t *key, *key_end;
	size_t klen, kelen;
	const struct nlattr *objref;
	uint32_t flags;
	bool has_data;        /* " : " and, if known, a verdict or a value */
	bool verdict;
	int32_t code;
	const char *chain;
	const uint8_t *val;
	size_t vlen;
	uint64_t timeout, expires;
	bool has_timeout, has_expires;
	const uint8_t *udata;
	size_t ulen;
	const struct nlattr *expr, *exprs;
	size_t idx;           /* position in the kernel's dump: ties keep it */
};

static const uint8_t *key_of(const struct nlattr *nest, size_t *len)
{
	return dc_data_value(nest, len);
}

static int elem_parse(struct elem *el, const struct nlattr *a)
{
	const struct nlattr *tb[NFTA_SET_ELEM_MAX + 1];

	memset(el, 0, sizeof(*el));
	if (nfk_attr_index(nfk_attr_data(a), nfk_attr_len(a), tb, NFTA_SET_ELEM_MAX) < 0)
		return -EINVAL;
	el->key = key_of(tb[NFTA_SET_ELEM_KEY], &el->klen);
	el->key_end = key_of(tb[NFTA_SET_ELEM_KEY_END], &el->kelen);
	if (tb[NFTA_SET_ELEM_DATA]) {
		el->has_data = true;
		el->verdict = dc_data_verdict(tb[NFTA_SET_ELEM_DATA], &el->code, &el->chain);
		if (!el->verdict)
			el->val = dc_data_value(tb[NFTA_SET_ELEM_DATA], &el->vlen);
	}
	el->objref = tb[NFTA_SET_ELEM_OBJREF];
	el->flags = nfk_tb_uint(&nfk_setelem_schema, tb, NFTA_SET_ELEM_FLAGS, 0);
	el->has_timeout = tb[NFTA_SET_ELEM_TIMEOUT] != NULL;
	el->timeout = nfk_tb_uint(&nfk_setelem_schema, tb, NFTA_SET_ELEM_TIMEOUT, 0);
	el->has_expires = tb[NFTA_SET_ELEM_EXPIRATION] != NULL;
	el->expires = nfk_tb_uint(&nfk_setelem_schema, tb, NFTA_SET_ELEM_EXPIRATION, 0);
	if (tb[NFTA_SET_ELEM_USERDATA]) {
		el->udata = nfk_attr_data(tb[NFTA_SET_ELEM_USERDATA]);
		el->ulen = nfk_attr_len(tb[NFTA_SET_ELEM_USERDATA]);
	}
	el->expr = tb[NFTA_SET_ELEM_EXPR];
	el->exprs = tb[NFTA_SET_ELEM_EXPRESSIONS];
	if (!el->key && !(el->flags & NFT_SET_ELEM_CATCHALL))
		return -EINVAL;
	return 0;
}

static enum nfk_byteorder key_bo(const struct ks_set *st)
{
	unsigned id = st->info.key_type;
	const struct nfk_dtype *t;
	size_t l;
	const uint8_t *b = ks_udata_get(st->info.udata, st->info.udata_len,
					KS_UDATA_SET_KEYBYTEORDER, &l);

	if (b && l == 4) {
		uint32_t v;

		memcpy(&v, b, 4);
		/* nft's enum byteorder: 1 = host, 2 = big endian */
		return v == 1 ? NFK_BO_HOST : NFK_BO_BIG;
	}
	if (id > NFK_TYPE_MASK)
		return NFK_BO_BIG;
	t = nfk_dtype_by_id(id);
	return t ? nfk_dtype_bo(t) : NFK_BO_BIG;
}

static int cmp_bytes(const uint8_t *a, size_t al, const uint8_t *b, size_t bl, enum nfk_byteorder bo)
{
	size_t n = al < bl ? al : bl;

	if (bo == NFK_BO_HOST && al == bl) {
		for (size_t i = n; i-- > 0;)
			if (a[i] != b[i])
				return a[i] < b[i] ? -1 : 1;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return al < bl ? -1 : al > bl;
}

/* How nft orders the elements it lists (a stable sort of the kernel's
 * dump): by value; a flag combination by its lowest flag; a concatenation
 * by its raw bytes read as one host-order number. */
struct sort_ctx {
	enum nfk_byteorder bo;
	bool bitmask, concat;
};

static uint64_t lowest_bit(const uint8_t *k, size_t len, enum nfk_byteorder bo)
{
	uint64_t v = len <= 8 ? nfk_value_get_uint(k, (unsigned)len, bo) : 0;

	return v & (~v + 1);
}

static int elem_cmp(const void *x, const void *y, void *ctx)
{
	const struct elem *a = x, *b = y;
	const struct sort_ctx *sc = ctx;
	int c = 0;

	if ((a->flags ^ b->flags) & NFT_SET_ELEM_CATCHALL)
		return a->flags & NFT_SET_ELEM_CATCHALL ? 1 : -1;
	if (sc->bitmask) {
		uint64_t la = lowest_bit(a->key, a->klen, sc->bo), lb = lowest_bit(b->key, b->klen, sc->bo);

		c = la < lb ? -1 : la > lb;
		if (!c && a->klen <= 8 && b->klen <= 8) {
			/* same lowest flag: the combination comes first */
			int pa = __builtin_popcountll(nfk_value_get_uint(a->key, (unsigned)a->klen, sc->bo));
			int pb = __builtin_popcountll(nfk_value_get_uint(b->key, (unsigned)b->klen, sc->bo));

			c = pb - pa;
		}
	} else {
		c = cmp_bytes(a->key, a->klen, b->key, b->klen, sc->concat ? NFK_BO_HOST : sc->bo);
	}
	if (c)
		return c;
	/* an interval end sorts before a start at the same key */
	c = (int)(b->flags & NFT_SET_ELEM_INTERVAL_END) - (int)(a->flags & NFT_SET_ELEM_INTERVAL_END);
	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Elements per line in named sets, by key type, as nft wraps them. */
static unsigned wrap_count(uint32_t type)
{
	switch (type) {
	case NFK_TYPE_NFPROTO: case NFK_TYPE_INTEGER: case NFK_TYPE_ARPOP:
	case NFK_TYPE_INET_PROTOCOL: case NFK_TYPE_INET_SERVICE: case NFK_TYPE_TCP_FLAG:
	case NFK_TYPE_DCCP_PKTTYPE: case NFK_TYPE_MARK: case NFK_TYPE_IFINDEX:
	case NFK_TYPE_CLASSID: case NFK_TYPE_UID: case NFK_TYPE_GID: case NFK_TYPE_CT_DIR:
		return 5;
	case NFK_TYPE_IPADDR: case NFK_TYPE_CT_STATE: case NFK_TYPE_CT_STATUS:
	case NFK_TYPE_PKTTYPE:
		return 2;
	default:
		return 1;
	}
}

/* Prints a bitmask value as a set element: "syn | ack", not "syn,ack". */
static void print_bar_list(FILE *f, const struct nfk_dtype *t, enum nfk_byteorder bo,
			   const uint8_t *k, size_t kl, unsigned flags)
{
	char buf[256];
	FILE *m = fmemopen(buf, sizeof(buf), "w");

	if (!m)
		return;
	dc_print_typed(m, t, bo, k, kl, flags);
	fputc(0, m);
	fclose(m);
	buf[sizeof(buf) - 1] = 0;
	for (const char *p = buf; *p; p++) {
		if (*p == ',')
			fputs(" | ", f);
		else
			fputc(*p, f);
	}
}

/* Applies a view (shift and width) to a big-endian key; bytes in out. */
static unsigned view_value(const struct dc_view *view, const uint8_t *k, size_t kl, uint8_t *out)
{
	uint64_t x = 0;
	unsigned nb = (view->bits + 7) / 8;

	for (size_t i = 0; i < kl && i < 8; i++)
		x = x << 8 | k[i];
	x >>= view->shift;
	if (view->bits < 64)
		x &= (1ull << view->bits) - 1;
	for (unsigned i = nb; i-- > 0;) {
		out[i] = (uint8_t)x;
		x >>= 8;
	}
	return nb;
}

/* A concatenated key some of whose members are masked header fields. */
static void print_concat_view(FILE *f, const struct ks_set *st, const uint8_t *k, size_t kl,
			      const struct nfk_list_opts *o, const struct dc_view *view)
{
	unsigned ids[16], n = dc_type_members(st->info.key_type, ids, 16);
	size_t off = 0;

	for (unsigned i = 0; i < n && off < kl; i++) {
		const struct nfk_dtype *t = nfk_dtype_by_id(ids[i]);
		unsigned tl = t ? nfk_dtype_len(t) : 4;
		unsigned ml = st->field_count > i ? st->field_len[i] : (tl ? NFK_ALIGN(tl) : 16);
		uint8_t vb[8];

		if (i < view->nm && view->m[i].dtype)
			ml = NFK_ALIGN(view->m[i].len), tl = view->m[i].len;
		if (!tl || tl > ml)
			tl = ml;
		if (off + ml > kl)
			break;
		if (i)
			fputs(" . ", f);
		if (i < view->nm && view->m[i].dtype && tl <= 8) {
			struct dc_view one = { .dtype = view->m[i].dtype, .shift = view->m[i].shift,
					       .bits = view->m[i].bits };
			unsigned nb = view_value(&one, k + off, tl, vb);

			dc_print_typed(f, one.dtype, NFK_BO_BIG, vb, nb, o->print);
		} else {
			dc_print_typed(f, t, t ? nfk_dtype_bo(t) : NFK_BO_BIG, k + off, tl, o->print);
		}
		off += ml;
	}
}

/* Does a value of type id take another length than len (a set another
 * tool made: ipv4_addr keys of 16 bytes, a concatenation cut short)?  Its
 * members' lengths are known only for types of a fixed size.  A single
 * value shorter than its type is that number (nft: ::10.0.0.1). */
static bool len_differs(uint32_t id, size_t len)
{
	const struct nfk_dtype *m[16];
	int n = nfk_dtype_members(id, m, 16);
	size_t want = 0;

	for (int i = 0; i < n; i++) {
		size_t l = m[i] ? nfk_dtype_len(m[i]) : 0;

		if (!l || nfk_dtype_is(m[i], NFK_DTYPE(STRING)))
			return false;
		want += n > 1 ? NFK_ALIGN(l) : l;
	}
	return n > 1 ? want != len : n == 1 && want < len;
}

static void print_key(FILE *f, const struct ks_set *st, const uint8_t *k, size_t kl,
		      const struct nfk_list_opts *o, enum nfk_byteorder bo,
		      const struct dc_view *view)
{
	unsigned id = st->info.key_type;
	const struct nfk_dtype *t;
	uint8_t vb[8];

	/* a key its type cannot hold: every byte the kernel keeps, as keys
	 * with no type are shown (nft 1.0.6 crashes or cuts it short) */
	if (!view && len_differs(id, st->info.key_len)) {
		dc_print_typed(f, NULL, NFK_BO_BIG, k, kl, o->print);
		return;
	}

	if (view && view->bits && kl <= 8) {
		kl = view_value(view, k, kl, vb);
		k = vb;
		bo = NFK_BO_BIG;
	}
	if (view && view->raw)
		t = NULL;
	else if (view && view->dtype)
		t = view->dtype;
	else if (id <= NFK_TYPE_MASK)
		t = nfk_dtype_by_id(id);
	else if (view && view->nm) {
		print_concat_view(f, st, k, kl, o, view);
		return;
	} else {
		ks_print_value(f, id, k, kl, o->print, st->info.udata, st->info.udata_len, false);
		return;
	}
	if (t && t->bitmask)
		print_bar_list(f, t, bo, k, kl, o->print);
	else
		dc_print_typed(f, t, bo, k, kl, o->print);
}

/* Prefix length when [a, b] is a CIDR block, else -1. */
int dc_range_prefix(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t bits = len * 8, i;
	size_t p;

	for (p = 0; p < bits; p++) {
		bool ab = a[p / 8] & (0x80 >> (p % 8)), bb = b[p / 8] & (0x80 >> (p % 8));

		if (ab != bb)
			break;
	}
	for (i = p; i < bits; i++) {
		bool ab = a[i / 8] & (0x80 >> (i % 8)), bb = b[i / 8] & (0x80 >> (i % 8));

		if (ab || !bb)
			return -1;
	}
	return (int)p;
}

static bool is_addr_type(uint32_t id)
{
	return id == NFK_TYPE_IPADDR || id == NFK_TYPE_IP6ADDR;
}

static void print_range(FILE *f, const struct ks_set *st, uint32_t id, const uint8_t *a,
			const uint8_t *b, size_t len, const struct nfk_list_opts *o,
			enum nfk_byteorder bo, const struct dc_view *view)
{
	const struct nfk_dtype *t = view && view->dtype ? view->dtype : nfk_dtype_by_id(id);
	uint8_t va[8], vb[8];
	int p;

	if (!memcmp(a, b, len)) {
		if (st->info.key_type > NFK_TYPE_MASK && !(view && view->bits))
			dc_print_typed(f, t, bo, a, len, o->print);
		else
			print_key(f, st, a, len, o, bo, view);
		return;
	}
	if (view && view->bits && len <= 8) {
		view_value(view, a, len, va);
		len = view_value(view, b, len, vb);
		a = va;
		b = vb;
		bo = NFK_BO_BIG;
	}
	p = dc_range_prefix(a, b, len);
	if (p > 0 && p % 8 == 0 && t && nfk_dtype_is(t, NFK_DTYPE(STRING))) {
		/* a string prefix: the wildcard it was written as, "eth*" */
		fprintf(f, "\"%.*s*\"", (int)strnlen((const char *)a, (size_t)p / 8), (const char *)a);
		return;
	}
	if (p >= 0 && is_addr_type(id) && !(view && view->bits)) {
		dc_print_typed(f, t, bo, a, len, o->print);
		fprintf(f, "/%d", p);
		return;
	}
	/* range bounds are numbers, as in rules */
	dc_print_bound(f, t, bo, a, len, o->print);
	fputc('-', f);
	dc_print_bound(f, t, bo, b, len, o->print);
}

/* Concatenated range (key .. key_end): each member as value, prefix or range. */
static void print_concat_range(FILE *f, const struct ks_set *st, const struct elem *el,
			       const struct nfk_list_opts *o)
{
	unsigned ids[16], n = dc_type_members(st->info.key_type, ids, 16);
	size_t off = 0;

	for (unsigned i = 0; i < n && off < el->klen; i++) {
		const struct nfk_dtype *t = nfk_dtype_by_id(ids[i]);
		unsigned tl = t ? nfk_dtype_len(t) : 4;
		unsigned ml = st->field_count > i ? st->field_len[i] : (tl ? NFK_ALIGN(tl) : 16);

		if (!tl || tl > ml)
			tl = ml;
		if (off + ml > el->klen || off + ml > el->kelen)
			break;
		if (i)
			fputs(" . ", f);
		/* interval keys are stored in network order, marks included */
		print_range(f, st, ids[i], el->key + off, el->key_end + off, tl, o, NFK_BO_BIG, NULL);
		off += ml;
	}
}

static void print_elem_extras(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
			      const struct elem *el, const struct nfk_list_opts *o)
{
	if (el->has_timeout && el->timeout != st->timeout) {
		fputs(" timeout ", f);
		ks_print_time_flags(f, el->timeout, o->print);
	}
	if (el->has_expires && !o->stateless) {
		fputs(" expires ", f);
		ks_print_time_flags(f, el->expires, o->print);
	}
	if (el->expr) {
		fputc(' ', f);
		ks_print_expr_stmt(f, ks, st->family, st->table, nfk_attr_data(el->expr),
				   nfk_attr_len(el->expr), false, o);
	}
	if (el->exprs) {
		fputc(' ', f);
		ks_print_expr_stmt(f, ks, st->family, st->table, nfk_attr_data(el->exprs),
				   nfk_attr_len(el->exprs), true, o);
	}
	if (el->udata) {
		size_t cl;
		const uint8_t *c = ks_udata_get(el->udata, el->ulen, KS_UDATA_SET_ELEM_COMMENT, &cl);

		if (c && cl)
			fprintf(f, " comment \"%.*s\"", (int)strnlen((const char *)c, cl), (const char *)c);
	}
}

static bool data_interval(const struct ks_set *st)
{
	size_t l;
	const uint8_t *d = ks_udata_get(st->info.udata, st->info.udata_len,
					KS_UDATA_SET_DATA_INTERVAL, &l);

	return d && l == 4 && (d[0] | d[1] | d[2] | d[3]);
}

static void print_elem_data(FILE *f, const struct ks_set *st, const struct elem *el,
			    const struct nfk_list_opts *o)
{
	const uint8_t *v = el->val;
	size_t vl = el->vlen;

	if (el->objref) {
		const char *s = nfk_attr_get_str(el->objref);

		fprintf(f, " : \"%s\"", s ? s : "");
		return;
	}
	if (!el->has_data)
		return;
	fputs(" : ", f);
	if (el->verdict) {
		dc_print_verdict(f, el->code, el->chain);
		return;
	}
	if (!v)
		return;
	if (!data_interval(st) && len_differs(st->info.data_type, st->info.data_len)) {   /* as keys */
		dc_print_typed(f, NULL, NFK_BO_BIG, v, vl, o->print);
		return;
	}
	if (data_interval(st) && vl % 2 == 0 && st->info.data_type > NFK_TYPE_MASK) {
		/* a concatenation of intervals (nat "address . port"): all
		 * members' low values, then all their high values */
		unsigned ids[8], n = 0;
		size_t half = vl / 2, off = 0;
		for (uint32_t id = st->info.data_type; id && n < 8; id >>= NFK_TYPE_BITS)
			ids[n++] = id & NFK_TYPE_MASK;
		for (unsigned i = n; i-- > 0; ) {
			const struct nfk_dtype *t = nfk_dtype_by_id(ids[i]);
			size_t l = t ? nfk_dtype_len(t) : 0;
			if (!l || off + l > half)
				break;
			if (i != n - 1)
				fputs(" . ", f);
			if (!memcmp(v + off, v + half + off, l))
				dc_print_typed(f, t, nfk_dtype_bo(t), v + off, l, o->print);
			else
				print_range(f, st, ids[i], v + off, v + half + off, l, o, nfk_dtype_bo(t),
					    &(struct dc_view){ .dtype = t });
			off += (l + 3) & ~(size_t)3;
		}
		return;
	}
	if (data_interval(st) && vl % 2 == 0 && st->info.data_type <= NFK_TYPE_MASK) {
		/* an interval's first and last value, one after the other */
		print_range(f, st, st->info.data_type, v, v + vl / 2, vl / 2, o, NFK_BO_BIG,
			    &(struct dc_view){ .dtype = nfk_dtype_by_id(st->info.data_type) });
		return;
	}
	ks_print_value(f, st->info.data_type, v, vl, o->print, st->info.udata, st->info.udata_len,
		       true);
}

size_t ks_set_nelems(const struct nfk_kstate *ks, const struct ks_set *st)
{
	size_t n = st->packed.n;

	for (uint32_t m = 0; m < st->elem_n; m++) {
		const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];

		ks_index(ks, KS_ELEM, st->elem_first + m, tb, NFTA_SET_ELEM_LIST_MAX);
		if (!tb[NFTA_SET_ELEM_LIST_ELEMENTS])
			continue;
		nfk_attr_for_each(a, rem, nfk_attr_data(tb[NFTA_SET_ELEM_LIST_ELEMENTS]),
				  nfk_attr_len(tb[NFTA_SET_ELEM_LIST_ELEMENTS]))
			n++;
	}
	return n;
}

void ks_print_elements(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
		       const struct nfk_list_opts *o, bool named, const char *indent)
{
	dc_print_elements(f, ks, st, o, named, NULL);
	(void)indent;
}

/* Element i of a packed set (setstream.c), as parsed from its message.
 * Sets every field a record holds; the others stay as el had them (zero). */
static void elem_unpack(struct elem *el, const struct ks_packed *p, size_t i)
{
	const uint8_t *r = ks_packed_rec(p, i), *d = r + 1 + p->klen;
	bool key = r[0] & KS_PK_KEY, data = r[0] & KS_PK_DATA;
	uint16_t ci = KS_PK_NOCHAIN;

	el->idx = i;
	el->flags = (r[0] & KS_PK_START ? 0 : NFT_SET_ELEM_INTERVAL_END) |
		    (r[0] & KS_PK_CATCHALL ? NFT_SET_ELEM_CATCHALL : 0);
	el->key = key ? r + 1 : NULL;
	el->klen = key ? p->klen : 0;
	el->has_data = data;
	el->verdict = data && p->verdict;
	el->val = data && !p->verdict ? d : NULL;
	el->vlen = data && !p->verdict ? p->dlen : 0;
	el->code = 0;
	if (el->verdict) {
		memcpy(&el->code, d, 4);
		memcpy(&ci, d + 4, 2);
	}
	el->chain = ci < p->nchains ? p->chains[ci] : NULL;
}

/* The printing of a run of elements: "{ ", each element with its
 * separator and nft's line wrapping, " }". */
struct elem_out {
	FILE *f;
	const struct nfk_kstate *ks;
	const struct ks_set *st;
	const struct nfk_list_opts *o;
	const struct dc_view *view;
	enum nfk_byteorder bo;
	bool interval, named;
	unsigned per_line, count;
	const char *sep;
};

/* next: the element after el in listing order (an interval runs up to
 * it), or NULL. */
static void elem_out(struct elem_out *w, const struct elem *el, const struct elem *next)
{
	const struct ks_set *st = w->st;
	FILE *f = w->f;

	if (el->flags & NFT_SET_ELEM_INTERVAL_END)
		return;
	fputs(w->sep, f);
	if (el->flags & NFT_SET_ELEM_CATCHALL) {
		fputc('*', f);
	} else if (el->key_end) {
		print_concat_range(f, st, el, w->o);
	} else if (w->interval && st->info.key_type <= NFK_TYPE_MASK && el->klen <= 64) {
		uint8_t last[64];
		size_t kl = el->klen;

		/* an interval runs up to the next element, whether that
		 * ends it or starts the next one */
		if (next && next->klen == kl && !(next->flags & NFT_SET_ELEM_CATCHALL)) {
			memcpy(last, next->key, kl);
			for (size_t b = kl; b-- > 0;)
				if (last[b]-- != 0)
					break;
		} else {
			memset(last, 0xff, kl);
		}
		print_range(f, st, st->info.key_type, el->key, last, kl, w->o, w->bo, w->view);
	} else {
		print_key(f, st, el->key, el->klen, w->o, w->bo, w->view);
	}
	print_elem_extras(f, w->ks, st, el, w->o);
	print_elem_data(f, st, el, w->o);
	w->count++;
	if (w->per_line && w->count < w->per_line) {
		w->sep = ", ";
	} else if (w->named) {
		w->sep = ",\n\t\t\t     ";
		w->count = 0;
	} else {
		w->sep = ", ";
	}
}

/* Packed records straight to text, sorted in place (radix, no element
 * array); elements are unpacked two at a time for the interval lookahead. */
static void print_packed(struct elem_out *w, bool sort, bool big)
{
	const struct ks_packed *p = &w->st->packed;
	struct elem e[2], *cur = &e[0], *nxt = &e[1];

	memset(e, 0, sizeof(e));
	if (sort)
		(void)ks_packed_sort(p, big);   /* unsorted when out of memory */
	elem_unpack(cur, p, 0);
	for (size_t i = 0; i < p->n; i++) {
		struct elem *t;

		if (i + 1 < p->n)
			elem_unpack(nxt, p, i + 1);
		elem_out(w, cur, i + 1 < p->n ? nxt : NULL);
		t = cur;
		cur = nxt;
		nxt = t;
	}
}

static int elems_add(struct elem **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct elem *nv = realloc(*v, nc * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	return 0;
}

void dc_print_elements(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
		       const struct nfk_list_opts *o, bool named, const struct dc_view *view)
{
	struct dc_view raw = { .raw = true };
	struct elem *v = NULL;
	size_t n = 0, cap = 0, total = ks_set_nelems(ks, st);
	bool interval = st->info.flags & NFT_SET_INTERVAL;
	bool concat = st->info.key_type > NFK_TYPE_MASK;
	/* nft stores interval keys in network order whatever the type */
	enum nfk_byteorder bo = interval ? NFK_BO_BIG : key_bo(st);
	const struct nfk_dtype *kt = !concat ? nfk_dtype_by_id(st->info.key_type) : NULL;
	/* concatenated intervals come as the kernel keeps them, as in nft */
	bool sort = total > 1 && !o->query_order && !(o->kernel_order && !interval) &&
		    !(interval && concat);
	struct sort_ctx sc = {
		.bo = bo,
		.bitmask = !interval && kt && kt->bitmask && kt->syms,
		.concat = !interval && concat,
	};
	struct elem_out w = {
		.f = f, .ks = ks, .st = st, .o = o, .view = view, .bo = bo,
		.interval = interval, .named = named,
		.per_line = named ? wrap_count(st->info.key_type) : 0, .sep = "",
	};

	if (ks_typeof_raw(st->info.udata, st->info.udata_len) && !(view && view->bits))
		w.view = &raw;
	fputs("{ ", f);
	if (st->packed.n && !st->elem_n && !(sort && sc.bitmask)) {
		print_packed(&w, sort, !sc.concat && sc.bo == NFK_BO_BIG);
		fputs(" }", f);
		return;
	}
	for (uint32_t m = 0; m < st->elem_n; m++) {
		const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];

		ks_index(ks, KS_ELEM, st->elem_first + m, tb, NFTA_SET_ELEM_LIST_MAX);
		if (!tb[NFTA_SET_ELEM_LIST_ELEMENTS])
			continue;
		nfk_attr_for_each(a, rem, nfk_attr_data(tb[NFTA_SET_ELEM_LIST_ELEMENTS]),
				  nfk_attr_len(tb[NFTA_SET_ELEM_LIST_ELEMENTS])) {
			if (elems_add(&v, &n, &cap) < 0)
				goto out;
			if (elem_parse(&v[n], a) == 0) {
				v[n].idx = n;
				n++;
			}
		}
	}
	for (size_t i = 0; i < st->packed.n; i++) {
		if (elems_add(&v, &n, &cap) < 0)
			goto out;
		memset(&v[n], 0, sizeof(v[n]));
		elem_unpack(&v[n], &st->packed, i);
		v[n].idx = n;
		n++;
	}
	if (sort && n > 1)
		qsort_r(v, n, sizeof(*v), elem_cmp, &sc);
	for (size_t i = 0; i < n; i++)
		elem_out(&w, &v[i], i + 1 < n ? &v[i + 1] : NULL);
out:
	fputs(" }", f);
	free(v);
}
