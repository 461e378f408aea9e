// SPDX-License-Identifier: MIT
/*
 * `typeof` of sets and maps: nft keeps the expressions a set was declared
 * with in the set's user data (NFTA_SET_USERDATA, KEY_TYPEOF/DATA_TYPEOF),
 * as nested TLVs: attribute 0 is nft's number for the expression kind,
 * attribute 1 its description, which the expression's family writes and
 * prints (payload: protocol and field numbers, meta: key, ...).  A
 * concatenation describes its members as attributes 0, 1, ...
 */
#include <stdio.h>
#include <string.h>

#include "family.h"

enum { TY_VERDICT = 1, TY_CONCAT = 13 };

bool ud_index(struct ud_tlv *t, const uint8_t *p, size_t len)
{
	memset(t, 0, sizeof(*t));
	while (len) {
		if (len < 2 || (size_t)p[1] + 2 > len)
			return false;
		if (p[0] < UD_MAX) {
			t->v[p[0]] = p + 2;
			t->l[p[0]] = p[1];
		}
		len -= (size_t)p[1] + 2;
		p += p[1] + 2;
	}
	return true;
}

/* ---- writing ------------------------------------------------------------ */

static bool put_expr(struct ud_buf *u, const struct ex *e, unsigned depth);

/* attribute 1: the description */
static bool put_desc(struct ud_buf *u, const struct ex *e, const struct lang_typeof *ty,
		     unsigned depth)
{
	size_t start;

	if (!ud_nest_begin(u, &start))
		return false;
	if (e->kind == EX_CONCAT) {
		/* nft 1.0.6 records four members at most (and then lists the
		 * set by its types: the typeof no longer matches the key) */
		for (size_t i = 0; i < e->n && i < 4; i++) {
			size_t m;

			if (!ud_nest_begin(u, &m) || !put_expr(u, e->v[i], depth + 1) ||
			    !ud_nest_end(u, m, (uint8_t)i))
				return false;
		}
	} else if (ty && ty->put && !ty->put(u, e)) {
		return false;
	}
	return ud_nest_end(u, start, 1);
}

/* One expression: attribute 0 its kind, attribute 1 its description. */
static bool put_expr(struct ud_buf *u, const struct ex *e, unsigned depth)
{
	const struct lang_typeof *ty = NULL;
	uint32_t id;

	if (depth > 2)
		return false;
	if (e->kind == EX_CONCAT) {
		id = TY_CONCAT;
	} else if (e->kind == EX_VERDICT) {
		id = TY_VERDICT;
	} else {
		ty = nfk_lang_typeof_by_kind(e->kind);
		if (!ty || !ty->put)
			return false;
		id = ty->id;
	}
	return ud_put_u32(u, 0, id) && put_desc(u, e, ty, depth);
}

/* KEY_TYPEOF / DATA_TYPEOF; a "type a . b" set records a bare
 * concatenation (e NULL).  Kinds nft's format does not cover leave no
 * record at all. */
bool cc_put_typeof(struct ud_buf *u, uint8_t type, const struct ex *e)
{
	struct ex bare = { .kind = EX_CONCAT };
	struct ud_buf w = *u;
	size_t start;

	if (!ud_nest_begin(&w, &start))
		return false;
	if (put_expr(&w, e ? e : &bare, 0) && ud_nest_end(&w, start, type))
		u->len = w.len;
	return true;
}

/* ---- printing ----------------------------------------------------------- */

static bool print_one(FILE *f, const uint8_t *p, size_t len, unsigned depth)
{
	struct ud_tlv v, d;
	const struct lang_typeof *ty;
	uint32_t type;

	if (depth > 2 || !ud_index(&v, p, len) || !ud_get_u32(&v, 0, &type))
		return false;
	if (!ud_index(&d, v.v[1] ? v.v[1] : p, v.v[1] ? v.l[1] : 0))
		return false;
	if (type == TY_CONCAT) {
		for (unsigned i = 0; i < UD_MAX && d.v[i]; i++) {
			if (i)
				fputs(" . ", f);
			if (!print_one(f, d.v[i], d.l[i], depth + 1))
				return false;
		}
		return d.v[0] != NULL;
	}
	if (type == TY_VERDICT) {
		fputs("verdict", f);
		return true;
	}
	ty = nfk_lang_typeof_by_id(type);
	return ty && ty->print && ty->print(f, &d);
}

bool ks_print_typeof(FILE *f, const uint8_t *udata, size_t ulen, bool data)
{
	size_t len;
	const uint8_t *p = ks_udata_get(udata, ulen, data ? KS_UDATA_SET_DATA_TYPEOF :
					KS_UDATA_SET_KEY_TYPEOF, &len);
	char buf[512];
	FILE *m;
	bool ok;

	if (!p)
		return false;
	/* render aside: nothing is printed unless all of it is understood */
	m = fmemopen(buf, sizeof(buf), "w");
	if (!m)
		return false;
	ok = print_one(m, p, len, 0);
	fputc(0, m);
	fclose(m);
	buf[sizeof(buf) - 1] = 0;
	if (ok)
		fputs(buf, f);
	return ok;
}
