// SPDX-License-Identifier: MIT
/* The element writer: set elements streamed into NEWSETELEM messages of
 * bounded size, keys and data encoded in the set's types, nft's interval
 * encoding (sorted, merged, start and end elements), checks against the
 * kernel's intervals, and the element -> source map for kernel errors. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "family.h"

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
	w->msg_cookie = l;
}

static void elw_errmap_push(struct elw *w, const struct nlattr *el, const struct nfk_loc *loc)
{
	if (!w->em || w->nrec >= ELEM_ERRMAP_MAX)
		return;
	if (cc_errmap_add(&w->c->sc->arena, w->em,
			  (uint32_t)((const uint8_t *)el - (const uint8_t *)w->nlh), loc))
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
	cc_end_msg(w->c, w->nlh, w->msg_cookie);
	w->nlh = NULL;
}

/* Room a message may use: nests carry 16-bit lengths. */
#define ELEM_MSG_LIMIT 60000

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
	if (klen && !cc_put_data(b, NFTA_SET_ELEM_KEY, key, klen))
		return false;
	if (key_end && !cc_put_data(b, NFTA_SET_ELEM_KEY_END, key_end, klen))
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
			if (!cc_put_verdict(b, NFTA_SET_ELEM_DATA, x->vcode, x->chain))
				return false;
		} else if (x->dlen && !cc_put_data(b, NFTA_SET_ELEM_DATA, x->data, x->dlen)) {
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

static bool elw_put(struct elw *w, const uint8_t *key, unsigned klen, uint32_t flags,
		    const struct elem_extra *x)
{
	return elw_put_end(w, key, NULL, klen, flags, x);
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

/* by start, then by position in the script: stable, as nft's order */
/* Ranges [lo, hi] and their index, by start, then by position in the
 * script: stable, as nft's order.  arg: the key length. */
static int range_cmp(const void *a, const void *b, void *arg)
{
	unsigned sort_klen = *(const unsigned *)arg;
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
		if (cc_be_inc(next_start, klen) && memcmp(nlo, next_start, klen) > 0)
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
	if (n > 1)   /* (qsort_r takes no NULL, not even for nothing) */
		qsort_r(all, n, rec, range_cmp, &kl);
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
			if (ok && cc_be_inc(one, kl))
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

bool cc_be_dec(uint8_t *v, unsigned len)
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
		if (cc_be_dec(k, kl))
			ret = old_at(w, k);
		if (ret == 0)
			ret = old_at(w, lo);
		memcpy(k, end, kl);
		if (ret >= 0 && cc_be_inc(k, kl))
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
	if (!get && w->nranges > 1)
		qsort_r(sorted, w->nranges, rec, range_cmp, &w->klen);
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
		cc_err_ctx(w->c, &w->extra[ni].loc, &w->extra[ci].loc, "conflicting intervals specified");
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
			cc_err(w->c, &w->extra[ni].loc, "interval overlaps with an existing one");
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
		bool open = !cc_be_inc(end, w->klen);
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
	bool wildcard;                /* a string prefix, "eth*" */
	bool wide;                    /* len is more than lo holds: not kept */
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
		/* nft types an element's members by their place in the key */
		char want[200], have[200];

		cc_types_desc(want, sizeof(want), ks->keyt, ks->nkey);
		cc_types_desc(have, sizeof(have), ks->keyt, (unsigned)n < ks->nkey ? (unsigned)n : ks->nkey);
		if (n == 1)
			cc_err(c, &e->loc, "invalid data type, expected %s", want);
		else if (ks->nkey == 1)
			cc_err(c, &items[0]->loc, "Can't parse symbolic invalid expressions");
		else if (n < ks->nkey)
			cc_err(c, &e->loc, "datatype mismatch, expected %s, expression has type %s",
			       want, have);
		else
			cc_err_ctx(c, &e->loc, ks->types_loc, "too many concatenation components");
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
		uint8_t v[NFK_REGS_LEN], h[NFK_REGS_LEN];
		bool wild = false;
		enum nfk_byteorder bo = ks->kbo[i] ? ks->kbo[i] : nfk_dtype_bo(t);
		/* interval concatenations hold every member in network order */
		if (n > 1 && (ks->flags & NFT_SET_INTERVAL) && bo == NFK_BO_HOST && tl > 1)
			bo = NFK_BO_BIG;
		if (x->kind == EX_PREFIX) {
			if (!cc_value(c, x->a, t, bo, bits, v, &l))
				return false;
			uint8_t m[NFK_REGS_LEN];
			cc_prefix_mask_bo(m, l, x->plen, bo);
			for (unsigned j = 0; j < l; j++) {
				v[j] &= m[j];
				h[j] = v[j] | ~m[j];
			}
			kv->is_range = true;
		} else if (x->kind == EX_RANGE) {
			if (!cc_value(c, x->a, t, bo, bits, v, &l) ||
			    !cc_value(c, x->b, t, bo, bits, h, &l))
				return false;
			kv->is_range = true;
		} else if (x->kind == EX_WILDCARD) {
			memset(v, 0, sizeof(v));
			memset(h, 0xff, sizeof(h));
			kv->is_range = true;
		} else {
			if (!cc_value(c, x, t, bo, bits, v, &l))
				return false;
			if (l < tl && nfk_dtype_is(t, NFK_DTYPE(STRING))) {
				/* "eth*": every name with that start, a prefix of
				 * the string as an interval (as nft keeps it) */
				if (!l) {
					cc_err(c, &x->loc, "All-wildcard strings are not supported");
					return false;
				}
				memcpy(h, v, l);
				memset(h + l, 0xff, tl - l);
				memset(v + l, 0, tl - l);
				kv->is_range = kv->wildcard = true;
				wild = true;
			} else if (ks->kmasked[i]) {
				uint64_t val = nfk_value_get_uint(v, l, NFK_BO_BIG) << ks->kshift[i];
				tl = ks->klen[i];
				memset(v, 0, sizeof(v));
				nfk_value_put_uint(v, tl, NFK_BO_BIG, val);
			}
			if (!wild)
				memcpy(h, v, tl);
		}
		if (off + tl <= sizeof(kv->lo)) {
			memcpy(kv->lo + off, v, tl);
			memcpy(kv->hi + off, h, tl);
		} else {
			kv->wide = true;
		}
		off += n > 1 ? cc_round4(tl) : tl;
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
		cc_err(c, &d->loc, "datatype mismatch, expected %s, expression has type %s",
		     nd > 1 ? "concatenation" : ks->datat->desc,
		     n > 1 ? "concatenation" : ks->datat->desc);
		return false;
	}
	unsigned half = 0;
	for (unsigned i = 0; i < nd; i++) {
		const struct nfk_dtype *t = nd > 1 ? ks->dtypes[i] : ks->datat;
		unsigned tl = nfk_dtype_len(t);
		half += nd > 1 ? cc_round4(tl) : tl;
	}
	if ((ks->dinterval ? 2 : 1) * half > sizeof(x->data)) {
		cc_err(c, &d->loc, "map data too long");
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
		uint8_t lo[NFK_REGS_LEN], hi[NFK_REGS_LEN];
		if ((e->kind == EX_RANGE || e->kind == EX_PREFIX) && !ks->dinterval) {
			cc_err(c, &e->loc, "map data is not an interval");
			return false;
		}
		if (e->kind == EX_RANGE) {
			if (!cc_value(c, e->a, t, bo, tl * 8, lo, &l) ||
			    !cc_value(c, e->b, t, bo, tl * 8, hi, &l2))
				return false;
		} else if (e->kind == EX_PREFIX) {
			uint8_t m[NFK_REGS_LEN];
			if (!cc_value(c, e->a, t, bo, tl * 8, lo, &l))
				return false;
			cc_prefix_mask_bo(m, l, e->plen, bo);
			for (unsigned j = 0; j < l; j++) {
				lo[j] &= m[j];
				hi[j] = lo[j] | ~m[j];
			}
		} else {
			if (!cc_value(c, e, t, bo, tl * 8, lo, &l))
				return false;
			memcpy(hi, lo, tl);
		}
		memcpy(x->data + off, lo, tl);
		if (ks->dinterval)
			memcpy(x->data + half + off, hi, tl);
		off += nd > 1 ? cc_round4(tl) : tl;
	}
	x->dlen = ks->dinterval && ranged ? 2 * half : half;
	return true;
}

static bool data_encode(struct cctx *c, const struct kset *ks, const struct ex *d,
			struct elem_extra *x)
{
	if (ks->objmap) {
		if (d->kind != EX_SYM && d->kind != EX_STR) {
			cc_err(c, &d->loc, "expected an object name");
			return false;
		}
		if (!cc_objref_name_ok(c, d->s, &d->loc))
			return false;
		x->objref = d->s;
		return true;
	}
	if (ks->datat == NFK_DTYPE(VERDICT)) {
		if (d->kind != EX_VERDICT) {
			cc_err(c, &d->loc, "datatype mismatch, expected verdict");
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
	if (!cc_value(c, d, ks->datat, ks->dbo ? ks->dbo : nfk_dtype_bo(ks->datat), bits,
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
			cc_err(c, &key->loc, "you cannot add a mapping to a set");
			return -EINVAL;
		}
		if (!data_encode(c, w->ks, key->b, &x))
			return -EINVAL;
		key = key->a;
	} else if ((w->ks->datat || w->ks->objmap) && w->msgtype == NFT_MSG_NEWSETELEM) {
		/* get and delete name an element by its key alone */
		cc_err(c, &key->loc, "map element without data");
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
	if (kv.wide || w->klen > sizeof(kv.lo)) {
		/* a key over the kernel's 64 bytes, of a set the kernel refused:
		 * nft sends it whole, nfkit as long, zeros (the kernel refuses
		 * it before it would read it) */
		if (w->klen > UINT16_MAX - 64) {
			/* not even an attribute holds it */
			cc_err(c, &key->loc, "element key of %u bytes is too long", w->klen);
			return -EINVAL;
		}
		uint8_t *z = calloc(1, w->klen);
		bool ok = z && elw_put(w, z, w->klen, 0, &x);
		free(z);
		return ok ? 0 : -ENOMEM;
	}
	if (w->interval && w->ks->nkey == 1) {
		if (!elw_range(w, kv.lo, kv.hi, &x))
			return -ENOMEM;
		return 0;
	}
	if (kv.is_range && !w->interval) {
		cc_err(c, &key->loc, "You must add 'flags interval' to your set declaration if you want to add %s elements",
		     key->kind == EX_PREFIX || kv.wildcard ? "prefix" : key->kind == EX_RANGE ? "range" :
		     "prefix or range");
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
bool cc_elements(struct cctx *c, struct elw *w, const struct ex *set,
			  const struct elem_src *src)
{
	int ret = 0;

	w->klen = w->ks->key_len;
	/* intervals of keys over 64 bytes are never computed (see elem_cb) */
	w->interval = (w->ks->flags & NFT_SET_INTERVAL) && w->klen <= NFK_REGS_LEN;
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

/* A value that stands for many: a prefix, a range, a string wildcard. */
static bool ranged(const struct ex *e)
{
	size_t n;

	if (e->kind == EX_PREFIX || e->kind == EX_RANGE)
		return true;
	if ((e->kind != EX_STR && e->kind != EX_SYM) || !(n = strlen(e->s)) || e->s[n - 1] != '*')
		return false;
	return n < 2 || e->s[n - 2] != '\\';   /* "\*" is a star */
}

/* Does the set expression hold ranges, prefixes or wildcards? */
bool cc_set_has_intervals(const struct ex *set)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct ex *e = set->v[i];
		if (e->kind == EX_MAPPING)
			e = e->a;
		if (e->kind == EX_ELEM)
			e = e->a;
		if (ranged(e))
			return true;
		if (e->kind == EX_CONCAT)
			for (size_t j = 0; j < e->n; j++)
				if (ranged(e->v[j]))
					return true;
	}
	return false;
}

/* The intervals a kernel set holds, from its elements as dumped: starts,
 * and ends flagged (exclusive).  An empty set gets nft's leading end
 * element at zero with the first addition; a set with elements has it. */
struct kelem {
	uint8_t key[16];
	bool end;
};

static int kelem_cmp(const void *a, const void *b, void *arg)
{
	unsigned sort_klen = *(const unsigned *)arg;
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
			uint32_t fl = nfk_tb_uint(&nfk_setelem_schema, e, NFTA_SET_ELEM_FLAGS, 0);
			v[n].end = fl & NFT_SET_ELEM_INTERVAL_END;
			n++;
		}
	}
	w->no_zero = n > 0;
	if (n > 1)
		qsort_r(v, n, sizeof(*v), kelem_cmp, &klen);
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

bool cc_elements_cmd(struct cctx *c, const struct nfk_cmd *cmd, uint16_t msgtype)
{
	const struct cmd_body *body = cmd->body;
	struct kset tmp;
	const struct kset *ks = cc_find_set(c, cmd->h.family, cmd->h.table, cmd->h.set, &tmp);

	if (!ks) {
		cc_set_missing_at(c, &cmd->h.set_loc, &cmd->h.table_loc, cmd->h.family, cmd->h.table,
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
	bool ok = cc_elements(c, &w, NULL, &body->elems);
	free(w.old);
	return ok;
}
