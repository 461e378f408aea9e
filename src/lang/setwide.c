// SPDX-License-Identifier: MIT
/*
 * Set declarations with more members than a set of nfkit's keeps: a key
 * of more than NFK_CONCAT_MAX members, data of more than four.  Each
 * member takes a 32-bit word at least, so such a key or data is longer
 * than the kernel's 64 bytes (NFT_DATA_VALUE_MAXLEN) and the kernel
 * refuses the set (EINVAL), as it refuses nft's, which sends it as
 * declared.  So does nfkit: the set's type is every member's and its
 * length all of theirs; the kset keeps the members it has room for, and
 * its key, longer than any register file, matches nothing.
 */
#include <string.h>

#include "family.h"

#define KSET_KEYS (sizeof(((struct kset *)0)->keyt) / sizeof(((struct kset *)0)->keyt[0]))
#define KSET_DATA (sizeof(((struct kset *)0)->dtypes) / sizeof(((struct kset *)0)->dtypes[0]))

static size_t count(const struct ex *x, unsigned names)
{
	return x ? (x->kind == EX_CONCAT ? x->n : 1) : names;
}

bool cc_set_is_wide(const struct set_decl *d)
{
	const struct ex *v = d->typeof_data;

	return count(d->typeof_key, d->nkey) > KSET_KEYS ||
	       (!(v && v->kind == EX_VERDICT) && count(v, d->ndata) > KSET_DATA);
}

/* The members of the key (or the data): each one's type and length, by
 * name or by what its typeof expression would load, into ks as far as it
 * has room; the concatenation's type and length. */
static bool members(struct cctx *c, struct rctx *r, struct kset *ks, const struct set_decl *d,
		    bool key, uint32_t *type, unsigned *len)
{
	const struct ex *x = key ? d->typeof_key : d->typeof_data;
	size_t n = count(x, key ? d->nkey : d->ndata);
	unsigned *ids = nfk_arena_alloc(&c->ar, n * sizeof(*ids));

	if (!ids)
		return false;
	*len = 0;
	for (size_t i = 0; i < n; i++) {
		const struct nfk_dtype *t;
		unsigned l;
		if (x) {
			struct sel sl;
			if (!cc_resolve(r, x->kind == EX_CONCAT ? x->v[i] : x, &sl))
				return false;
			t = sl.bits % 8 ? NFK_DTYPE(INTEGER) : sl.dtype;
			l = sl.len;
		} else {
			const char *name = key ? d->key_types[i] : d->data_types[i];
			t = nfk_dtype_by_name(name);
			if (!t) {
				cc_err(c, &d->key_loc, "unknown datatype %s", name);
				return false;
			}
			l = nfk_dtype_len(t);
			/* a single string key is nft's 16 bytes */
			if (!l && n == 1 && key && (t->id == NFK_TYPE_IFNAME || t->id == NFK_TYPE_STRING))
				l = 16;
			if (!l || t == NFK_DTYPE(VERDICT)) {
				cc_err(c, &d->key_loc, "unqualified type %s specified in %s definition",
				       t->name, key ? "set" : "map");
				return false;
			}
		}
		ids[i] = t->id;
		*len += n > 1 ? cc_round4(l) : l;
		if (key && i < KSET_KEYS) {
			ks->keyt[i] = t;
			ks->klen[i] = l;
		} else if (!key && i < KSET_DATA) {
			ks->dtypes[i] = t;
		}
	}
	*type = n > 1 ? nfk_dtype_concat_id(ids, (unsigned)n) : ids[0];
	if (key)
		ks->nkey = n < KSET_KEYS ? (unsigned)n : KSET_KEYS;
	else
		ks->ndata = n < KSET_DATA ? (unsigned)n : KSET_DATA;
	return true;
}

bool cc_kset_wide(struct cctx *c, struct kset *ks, int family, const char *table,
		  const struct set_decl *d)
{
	uint8_t mem[4096];
	struct nfk_buf scratch;
	struct rctx r = { .c = c, .b = &scratch, .family = family, .table = table, .l4 = -1 };
	const struct ex *v = d->typeof_data;
	uint32_t objtype = !v && d->data_type ? cc_objmap_type(d->data_type) : 0;

	/* typeof expressions are resolved for what they load, never loaded */
	nfk_buf_init(&scratch, mem, sizeof(mem));
	if (family == NFPROTO_IPV4 || family == NFPROTO_IPV6)
		r.l3 = family;
	if (!members(c, &r, ks, d, true, &ks->kid, &ks->key_len))
		return false;
	if (count(d->typeof_key, d->nkey) > 1 && (ks->flags & NFT_SET_INTERVAL))
		ks->flags |= NFT_SET_CONCAT;
	if (objtype) {
		ks->flags = (ks->flags & ~NFT_SET_MAP) | NFT_SET_OBJECT;
		ks->objmap = true;
		ks->objtype = objtype;
	} else if ((v && v->kind == EX_VERDICT) || (d->data_type && !strcmp(d->data_type, "verdict"))) {
		ks->datat = NFK_DTYPE(VERDICT);
	} else if (v || d->ndata) {
		if (!members(c, &r, ks, d, false, &ks->did, &ks->data_len))
			return false;
		ks->datat = ks->dtypes[0];
		if (ks->ndata == 1)
			ks->ndata = 0;   /* a single member is datat alone */
		ks->dinterval = d->data_interval;
		if (d->data_interval)
			ks->data_len *= 2;
	} else if (d->is_map) {
		cc_err(c, &d->loc, "map definition does not specify data type");
		return false;
	}
	ks->automerge = d->automerge;
	ks->id = ++c->next_id;
	ks->next = c->sets;
	c->sets = ks;
	return true;
}
