// SPDX-License-Identifier: MIT
/*
 * The decompiler: a rule's expressions -> the statement text nft lists.
 *
 * Loads (payload, meta, ct, ...) put a symbolic value into a register;
 * cmp/range/lookup turn a register into a match, other expressions into
 * statements.  Matches that only establish the protocol context a later
 * header field needs (meta l4proto tcp before tcp dport) are dropped, as
 * nft drops them.  Values print through the datatype tables of types.h.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

#include "print.h"
#include "../obj/objects.h"
#include "decompile.h"

/* ---- expressions -------------------------------------------------------- */

int dc_expr_parse(struct dc_expr *e, const void *attrs, size_t len)
{
	const struct nlattr *tb[NFTA_EXPR_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (nfk_attr_index(attrs, len, tb, NFTA_EXPR_MAX) < 0)
		return -EINVAL;
	e->name = nfk_attr_get_str(tb[NFTA_EXPR_NAME]);
	if (!e->name)
		return -EINVAL;
	e->type = nfk_expr_type_find(e->name);
	if (tb[NFTA_EXPR_DATA] &&
	    nfk_attr_index(nfk_attr_data(tb[NFTA_EXPR_DATA]), nfk_attr_len(tb[NFTA_EXPR_DATA]),
			   e->tb, DC_MAXATTR) < 0)
		return -EINVAL;
	return 0;
}

/* Integer attributes are read with the width and byte order the
 * expression's schema gives (src/obj/expr/); an expression this build does
 * not know has none, and its attributes read as absent. */
static bool dc_uint(const struct dc_expr *e, unsigned type, uint64_t *v)
{
	return type <= DC_MAXATTR && e->type && e->tb[type] &&
	       nfk_schema_get_uint(e->type->schema, e->tb[type], v);
}

uint32_t dc_u32(const struct dc_expr *e, unsigned type, uint32_t dflt)
{
	uint64_t v;

	return dc_uint(e, type, &v) ? (uint32_t)v : dflt;
}

uint64_t dc_u64(const struct dc_expr *e, unsigned type, uint64_t dflt)
{
	uint64_t v;

	return dc_uint(e, type, &v) ? v : dflt;
}

const char *dc_str(const struct dc_expr *e, unsigned type)
{
	return type <= DC_MAXATTR ? nfk_attr_get_str(e->tb[type]) : NULL;
}

/* NFTA_DATA_VALUE bytes of an nft_data nest; NULL when absent. */
const uint8_t *dc_data_value(const struct nlattr *nest, size_t *len)
{
	const struct nlattr *tb[NFTA_DATA_MAX + 1];

	if (!nest || nfk_attr_index(nfk_attr_data(nest), nfk_attr_len(nest), tb, NFTA_DATA_MAX) < 0 ||
	    !tb[NFTA_DATA_VALUE])
		return NULL;
	*len = nfk_attr_len(tb[NFTA_DATA_VALUE]);
	return nfk_attr_data(tb[NFTA_DATA_VALUE]);
}

/* The verdict of an nft_data nest: true when it holds one. */
bool dc_data_verdict(const struct nlattr *nest, int32_t *code, const char **chain)
{
	const struct nlattr *tb[NFTA_DATA_MAX + 1], *vt[NFTA_VERDICT_MAX + 1];

	if (!nest || nfk_attr_index(nfk_attr_data(nest), nfk_attr_len(nest), tb, NFTA_DATA_MAX) < 0 ||
	    !tb[NFTA_DATA_VERDICT] ||
	    nfk_attr_index(nfk_attr_data(tb[NFTA_DATA_VERDICT]), nfk_attr_len(tb[NFTA_DATA_VERDICT]),
			   vt, NFTA_VERDICT_MAX) < 0)
		return false;
	*code = (int32_t)nfk_tb_uint(&nfk_verdict_schema, vt, NFTA_VERDICT_CODE, 0);
	*chain = nfk_tb_str(vt, NFTA_VERDICT_CHAIN, NULL);
	return true;
}

void dc_print_verdict(FILE *f, int32_t code, const char *chain)
{
	switch (code) {
	case NF_ACCEPT: fputs("accept", f); break;
	case NF_DROP: fputs("drop", f); break;
	case NF_QUEUE: fputs("queue", f); break;
	case NFT_CONTINUE: fputs("continue", f); break;
	case NFT_BREAK: fputs("break", f); break;
	case NFT_RETURN: fputs("return", f); break;
	case NFT_JUMP: fprintf(f, "jump %s", chain ? chain : ""); break;
	case NFT_GOTO: fprintf(f, "goto %s", chain ? chain : ""); break;
	default: fprintf(f, "verdict %d", code); break;
	}
}

/* ---- times, sizes ------------------------------------------------------- */

void ks_print_time(FILE *f, uint64_t ms)
{
	nfk_time_print(ms, f);
}

void ks_print_time_flags(FILE *f, uint64_t ms, unsigned flags)
{
	/* -n (and -T) print durations as whole seconds: nft drops the rest
	 * ("timeout 1500ms" lists as "timeout 1s") */
	if (flags & (NFK_PRINT_NUMERIC | NFK_PRINT_NUMERIC_TIME))
		fprintf(f, "%" PRIu64 "s", ms / 1000);
	else
		nfk_time_print(ms, f);
}

/* ---- set types and values -------------------------------------------- */

/* Splits a (possibly concatenated) type id into its members, first first. */
unsigned dc_type_members(uint32_t type, unsigned *ids, unsigned max)
{
	unsigned n = 0, tmp[16];

	if (type == 0) {
		ids[0] = 0;
		return 1;
	}
	while (type && n < 16) {
		tmp[n++] = type & NFK_TYPE_MASK;
		type >>= NFK_TYPE_BITS;
	}
	for (unsigned i = 0; i < n && i < max; i++)
		ids[i] = tmp[n - 1 - i];
	return n < max ? n : max;
}

void ks_print_type(FILE *f, uint32_t type, uint32_t len)
{
	unsigned ids[16], n;
	(void)len;

	if (type == NFT_DATA_VERDICT) {
		fputs("verdict", f);
		return;
	}
	n = dc_type_members(type, ids, 16);

	for (unsigned i = 0; i < n; i++) {
		const struct nfk_dtype *t = nfk_dtype_by_id(ids[i]);

		/* nft lists type 0 as a value of the invalid type */
		fprintf(f, "%s%s", i ? " . " : "", !ids[i] ? "0x0 [invalid type]" : t ? t->name : "invalid");
	}
}

/* Register-sized width of a member of a concatenation. */
static unsigned member_len(const struct nfk_dtype *t)
{
	unsigned l = t ? nfk_dtype_len(t) : 4;

	return l ? NFK_ALIGN(l) : 16;
}

void dc_print_typed(FILE *f, const struct nfk_dtype *t, enum nfk_byteorder bo, const uint8_t *v,
		    size_t len, unsigned flags)
{
	if (!t) {
		/* raw bits, as nft prints them: hex without leading zeros */
		if (len <= 8) {
			fprintf(f, "0x%" PRIx64, nfk_value_get_uint(v, (unsigned)len,
							     bo == NFK_BO_HOST ? bo : NFK_BO_BIG));
			return;
		}
		size_t skip = 0;
		while (skip + 1 < len && !v[skip])
			skip++;
		fprintf(f, "0x%x", v[skip]);
		for (size_t i = skip + 1; i < len; i++)
			fprintf(f, "%02x", v[i]);
		return;
	}
	if (t->id == NFK_TYPE_TIME && (flags & (NFK_PRINT_NUMERIC | NFK_PRINT_NUMERIC_TIME)) &&
	    len <= 8) {
		ks_print_time_flags(f, nfk_value_get_uint(v, (unsigned)len, bo ? bo : nfk_dtype_bo(t)),
				    flags);
		return;
	}
	nfk_value_print(t, bo ? bo : nfk_dtype_bo(t), v, (unsigned)len, flags, f);
}

void dc_print_bound(FILE *f, const struct nfk_dtype *t, enum nfk_byteorder bo, const uint8_t *v,
		    size_t len, unsigned flags)
{
	/* nft prints range bounds as numbers, and relative times in seconds */
	if (t && t->id == NFK_TYPE_TIME && len <= 8) {
		fprintf(f, "%" PRIu64 "s",
			nfk_value_get_uint(v, (unsigned)len, bo ? bo : nfk_dtype_bo(t)) / 1000);
		return;
	}
	if (t && t->syms && !t->bitmask && len <= 8)
		t = nfk_dtype_by_name("integer");
	dc_print_typed(f, t, bo, v, len, flags);
}

void ks_print_value(FILE *f, uint32_t type, const uint8_t *v, size_t len, unsigned flags,
		    const uint8_t *udata, size_t ulen, bool is_data)
{
	unsigned ids[16], n = dc_type_members(type, ids, 16);
	size_t off = 0;
	(void)is_data;
	(void)udata;
	(void)ulen;

	if (n == 1) {
		const struct nfk_dtype *t = nfk_dtype_by_id(ids[0]);

		dc_print_typed(f, t, 0, v, len, flags);
		return;
	}
	for (unsigned i = 0; i < n && off < len; i++) {
		const struct nfk_dtype *t = nfk_dtype_by_id(ids[i]);
		unsigned ml = member_len(t);
		unsigned tl = t && nfk_dtype_len(t) ? nfk_dtype_len(t) : ml;

		if (off + ml > len)
			ml = (unsigned)(len - off);
		if (tl > ml)
			tl = ml;
		if (i)
			fputs(" . ", f);
		dc_print_typed(f, t, 0, v + off, tl, flags);
		off += ml;
	}
}

/* ---- rules ---------------------------------------------------------------- */

int nfk_rule_decompile(FILE *f, const struct nfk_kstate *ks, int family, const char *table,
		       const void *exprs, size_t len, const struct nfk_list_opts *o)
{
	struct dc_rule r;

	dc_rule_init(&r, ks, family, table, o);
	nfk_attr_for_each(a, rem, exprs, len) {
		struct dc_expr e;

		if (nfk_attr_type(a) != NFTA_LIST_ELEM ||
		    dc_expr_parse(&e, nfk_attr_data(a), nfk_attr_len(a)) < 0) {
			dc_unknown(&r, "malformed");
			continue;
		}
		dc_expr(&r, &e);
	}
	return dc_rule_finish(&r, f);
}

/* ---- statement helpers ---------------------------------------------------- */

/* Reads a nested NFTA_*_DATA / NFTA_EXPR_DATA into tb. */
bool dc_nest_index(const struct nlattr *nest, const struct nlattr **tb, unsigned max)
{
	if (!nest || nfk_attr_index(nfk_attr_data(nest), nfk_attr_len(nest), tb, max) < 0) {
		memset(tb, 0, (max + 1) * sizeof(*tb));
		return false;
	}
	return true;
}

/* A value of a symbolic type by name, or its number. */
void dc_print_code(FILE *f, const char *dtname, unsigned code)
{
	const struct nfk_dtype *t = nfk_dtype_by_name(dtname);
	const char *n = t ? nfk_dtype_sym_name(t, code) : NULL;

	if (n)
		fputs(n, f);
	else
		fprintf(f, "%u", code);
}

/* A statement implies the match that established *d: it is not listed. */
void dc_kill_dep(struct dc_rule *r, int *d)
{
	if (*d >= 0) {
		r->st[*d].dead = true;
		*d = -1;
	}
}

/* The register an expression's attribute names, or NULL. */
const struct dc_rv *dc_operand(struct dc_rule *r, const struct dc_expr *e, unsigned attr)
{
	return e->tb[attr] ? dc_reg(r, dc_u32(e, attr, 0)) : NULL;
}

/* Prints a register operand of a statement: an immediate value in the
 * given type, or the selector a register was loaded with. */
void dc_print_operand(struct dc_rule *r, FILE *f, const struct dc_rv *v,
		      const struct nfk_dtype *dt, enum nfk_byteorder bo, unsigned len)
{
	char sel[DC_TEXT];

	if (!v) {
		fputs("?", f);
		return;
	}
	if (v->kind == RV_IMM) {
		if (v->verdict)
			dc_print_verdict(f, v->code, v->chain);
		else
			dc_print_typed(f, dt, bo, v->val, len && len < v->len ? len : v->len, r->o->print);
		return;
	}
	if (dc_rv_expr(r, v, sel, sizeof(sel)))
		fputs(sel, f);
	else
		fputs("?", f);
}

int dc_rv_text(struct dc_rv *v, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(v->text, sizeof(v->text), fmt, ap);
	va_end(ap);
	return n;
}

/* Prints one statement: its text is kept apart from the matches, which a
 * statement ends. */
void dc_stmt_run(struct dc_rule *r, const struct dc_expr *e,
		 void (*fn)(struct dc_rule *r, FILE *f, const struct dc_expr *e))
{
	FILE *f = dc_stmt_begin(r);

	if (!f)
		return;
	r->in_stmt = true;
	fn(r, f, e);
	r->in_stmt = false;
	dc_stmt_end(r, DEP_NONE);
	dc_deps_reset(r);
}

/* A load whose register then holds text (fib, socket, rt ...): fn fills v;
 * an expression it cannot read leaves "unknown". */
void dc_load_text(struct dc_rule *r, const struct dc_expr *e, unsigned dreg_attr,
		  bool (*fn)(struct dc_rule *r, const struct dc_expr *e, struct dc_rv *v))
{
	struct dc_rv v = { .kind = RV_TEXT };
	struct dc_rv *d = dc_reg(r, dc_u32(e, dreg_attr, 0));

	if (!d || !fn(r, e, &v)) {
		if (d)
			d->kind = RV_NONE;   /* a later use says "unknown" too */
		dc_unknown(r, e->name);
		return;
	}
	*d = v;
}

/* The stateful statements of set elements and dynamic sets: one NFTA_EXPR
 * nest, or a list of them. */
void ks_print_expr_stmt(FILE *f, const struct nfk_kstate *ks, int family, const char *table,
			const void *data, size_t len, bool list, const struct nfk_list_opts *o)
{
	struct dc_rule r;
	struct dc_expr e;

	dc_rule_init(&r, ks, family, table, o);
	if (!list) {
		if (dc_expr_parse(&e, data, len) == 0)
			dc_expr(&r, &e);
	} else {
		nfk_attr_for_each(a, rem, data, len) {
			if (dc_expr_parse(&e, nfk_attr_data(a), nfk_attr_len(a)) == 0)
				dc_expr(&r, &e);
		}
	}
	dc_rule_finish(&r, f);
}
