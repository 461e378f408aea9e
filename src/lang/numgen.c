// SPDX-License-Identifier: MIT
/*
 * numgen and jhash/symhash: values the kernel computes per packet.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

/* numgen inc|random mod N [offset M]; jhash EXPR mod N [seed S] [offset M];
 * symhash mod N [offset M] */
static struct ex *numgen_selector(P *p)
{
	struct nfk_loc loc = p->tok.loc;
	struct ex *e;
	uint64_t n;

	if (ps_accept(p, "numgen")) {
		if (!(e = ps_ex(p, EX_NUMGEN, &loc)))
			return NULL;
		if (ps_accept(p, "inc"))
			e->ng.type = NFT_NG_INCREMENTAL;
		else if (ps_accept(p, "random"))
			e->ng.type = NFT_NG_RANDOM;
		else
			return ps_unexpected(p, NULL), NULL;
		if (!ps_accept(p, "mod"))
			return ps_unexpected(p, "mod"), NULL;
		if (!ps_number_max(p, &n, UINT32_MAX))
			return NULL;
		e->ng.mod = n;
		if (ps_accept(p, "offset")) {
			if (!ps_number_max(p, &n, UINT32_MAX))
				return NULL;
			e->ng.offset = n;
		}
		return e;
	}
	if (ps_is(p, "jhash") || ps_is(p, "symhash")) {
		bool sym = ps_is(p, "symhash");
		ps_next(p);
		if (!(e = ps_ex(p, EX_HASH, &loc)))
			return NULL;
		e->hash.type = sym ? NFT_HASH_SYM : NFT_HASH_JENKINS;
		if (!sym) {
			e->a = ps_lhs(p);
			if (!e->a)
				return p->failed ? NULL : (ps_unexpected(p, NULL), NULL);
		}
		if (!ps_accept(p, "mod"))
			return ps_unexpected(p, "mod"), NULL;
		if (!ps_number_max(p, &n, UINT32_MAX))
			return NULL;
		e->hash.mod = n;
		for (;;) {
			if (ps_accept(p, "seed")) {
				if (!ps_number_max(p, &n, UINT32_MAX))
					return NULL;
				e->hash.seed = n;
				e->hash.has_seed = true;
			} else if (ps_accept(p, "offset")) {
				if (!ps_number_max(p, &n, UINT32_MAX))
					return NULL;
				e->hash.offset = n;
			} else {
				break;
			}
		}
		return e;
	}
	return NULL;
}

/* ---- compile ----------------------------------------------------------- */

static bool numgen_resolve(struct rctx *r, const struct ex *e, struct sel *s)
{
	(void)r;
	(void)e;
	cc_sel_type(s, NFK_DTYPE(INTEGER), 32, NFK_BO_HOST);
	return true;
}

static bool numgen_load(struct rctx *r, const struct sel *s, unsigned dreg)
{
	const struct ex *x = s->fx;
	struct nfk_buf *b = r->b;
	struct ebuf e;
	bool ok;

	switch (x->kind) {
	case EX_NUMGEN: {
		const struct nfk_schema *sc = nfk_expr_numgen.schema;

		return cc_expr_begin(b, &e, "numgen") && nfk_schema_put_uint(b, sc, NFTA_NG_DREG, dreg) &&
		       nfk_schema_put_uint(b, sc, NFTA_NG_MODULUS, x->ng.mod) &&
		       nfk_schema_put_uint(b, sc, NFTA_NG_TYPE, x->ng.type) &&
		       nfk_schema_put_uint(b, sc, NFTA_NG_OFFSET, x->ng.offset) && cc_expr_end(b, &e);
	}
	case EX_HASH: {
		/* jhash: the hashed expression goes to the next register */
		struct sel in;
		unsigned sreg = dreg + 1, len = 0;
		if (x->hash.type == NFT_HASH_JENKINS) {
			if (x->a->kind == EX_CONCAT) {
				struct sel ins[NFK_CONCAT_MAX];
				unsigned n, word = r->key_word;

				r->key_word = (sreg - NFT_REG_1) * 4;
				ok = cc_load_concat(r, x->a, ins, &n);
				r->key_word = word;
				if (!ok)
					return false;
				for (unsigned i = 0; i < n; i++)
					len += cc_round4(ins[i].len);
			} else {
				if (!cc_load_expr(r, x->a, &in, sreg))
					return false;
				len = in.len;
			}
		}
		ok = cc_expr_begin(b, &e, "hash");
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
	return ok && cc_expr_end(b, &e);
}

/* ---- list -------------------------------------------------------------- */

/* " mod N[ offset M]" as numgen and hash print it. */
static void mod_offset(char *buf, size_t size, const struct dc_expr *e, unsigned mod_attr,
		       unsigned off_attr)
{
	size_t at = (size_t)snprintf(buf, size, " mod %u", dc_u32(e, mod_attr, 0));

	if (dc_u32(e, off_attr, 0) && at < size)
		snprintf(buf + at, size - at, " offset %u", dc_u32(e, off_attr, 0));
}

static bool numgen_text(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	char mo[64];
	(void)r;

	mod_offset(mo, sizeof(mo), e, NFTA_NG_MODULUS, NFTA_NG_OFFSET);
	dc_rv_text(v, "numgen %s%s", dc_u32(e, NFTA_NG_TYPE, 0) == NFT_NG_RANDOM ? "random" : "inc", mo);
	v->dtype = NFK_DTYPE(INTEGER);
	v->bo = NFK_BO_HOST;
	v->len = 4;
	return true;
}

static bool hash_text(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v)
{
	char mo[64], key[DC_TEXT / 2] = "";

	mod_offset(mo, sizeof(mo), e, NFTA_HASH_MODULUS, NFTA_HASH_OFFSET);
	if (dc_u32(e, NFTA_HASH_TYPE, NFT_HASH_JENKINS) == NFT_HASH_SYM) {
		dc_rv_text(v, "symhash%s", mo);
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
			dc_rv_text(v, "jhash %s%s%s%s", key, mo, seed, tail);
		}
	}
	v->dtype = NFK_DTYPE(INTEGER);
	v->bo = NFK_BO_HOST;
	v->len = 4;
	return true;
}

static void numgen_dc(struct dc_rule *r, const struct dc_expr *e)
{
	dc_load_text(r, e, NFTA_NG_DREG, numgen_text);
}

static void hash_dc(struct dc_rule *r, const struct dc_expr *e)
{
	dc_load_text(r, e, NFTA_HASH_DREG, hash_text);
}

/* ---- typeof ------------------------------------------------------------ */

static bool numgen_typeof_print(FILE *f, const struct ud_tlv *d)
{
	uint32_t type, mod, off = 0;

	if (!ud_get_u32(d, 0, &type) || !ud_get_u32(d, 1, &mod))
		return false;
	ud_get_u32(d, 2, &off);
	fprintf(f, "numgen %s mod %u", type == NFT_NG_RANDOM ? "random" : "inc", mod);
	if (off)
		fprintf(f, " offset %u", off);
	return true;
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_numgen = {
	.name = "numgen",
	.selector = numgen_selector,
	.ex_kinds = (const enum ex_kind[]){ EX_NUMGEN, EX_HASH, EX_NONE },
	.resolve = numgen_resolve,
	.load = numgen_load,
	.dc = (const struct lang_dc[]){
		{ "numgen", numgen_dc, NULL }, { "hash", hash_dc, NULL }, { NULL, NULL, NULL },
	},
	.typeofs = (const struct lang_typeof[]){
		{ EX_NUMGEN, 23, NULL, numgen_typeof_print }, { EX_NONE, 0, NULL, NULL },
	},
};
