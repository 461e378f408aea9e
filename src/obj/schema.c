// SPDX-License-Identifier: MIT
/* The generic schema codec: validation, typed access and printing driven by
 * the per-object attribute tables. */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "schema.h"
#include "expr/expr.h"

/* Legal payload length per fixed-size kind; 0 means "checked elsewhere". */
static const uint8_t kind_size[] = {
	[NFK_U8] = 1, [NFK_BE16] = 2, [NFK_BE32] = 4, [NFK_BE64] = 8, [NFK_U32] = 4,
};

static const struct nfk_field *field_of(const struct nfk_schema *s, unsigned type)
{
	if (!s || type > s->max || !s->fields[type].name)
		return NULL;
	return &s->fields[type];
}

static int verr(struct nfk_verr *err, const void *base, const void *at, const char *fmt,
		const char *a, const char *b)
{
	if (err) {
		snprintf(err->msg, sizeof(err->msg), fmt, a, b);
		err->offset = (size_t)((const uint8_t *)at - (const uint8_t *)base);
		err->too_long = false;
	}
	return -EINVAL;
}

static int validate(const struct nfk_schema *s, const void *base, const void *attrs,
		    size_t len, struct nfk_verr *err, int depth);

/* The attribute types s requires (below 64), as a mask. */
static uint64_t required_mask(const struct nfk_schema *s)
{
	uint64_t m = 0;

	for (unsigned t = 0; s && t <= s->max && t < 64; t++)
		if (s->fields[t].name && (s->fields[t].flags & NFK_F_REQUIRED))
			m |= 1ull << t;
	return m;
}

static int validate_req(const struct nfk_schema *s, const void *base, const void *attrs,
			size_t len, struct nfk_verr *err, int depth, uint64_t req);

static int validate_expr(const void *base, const struct nlattr *a, struct nfk_verr *err, int depth)
{
	const struct nfk_expr_type *type;
	struct nfk_expr e;

	if (nfk_expr_parse(&e, nfk_attr_data(a), nfk_attr_len(a)) < 0)
		return verr(err, base, a, "malformed expression%s%s", "", "");
	/* nfk_expr_parse() drops the type of a known expression whose
	 * attributes are malformed (to print it raw): look it up again so that
	 * validation reports it. */
	type = nfk_expr_type_find(e.name);
	if (!type)
		return 0;   /* unknown expressions are kept, not judged */
	/* Without NFTA_EXPR_DATA there is nothing to point into: judge an
	 * empty stream, but report at the expression itself. */
	if (!e.data)
		return validate(type->schema, base, a, 0, err, depth + 1);
	return validate(type->schema, base, e.data, e.len, err, depth + 1);
}

static int validate(const struct nfk_schema *s, const void *base, const void *attrs,
		    size_t len, struct nfk_verr *err, int depth)
{
	return validate_req(s, base, attrs, len, err, depth, required_mask(s));
}

/* validate() with the schema's required mask worked out by the caller: a
 * list works it out once for all its elements (a million set elements). */
static int validate_req(const struct nfk_schema *s, const void *base, const void *attrs,
			size_t len, struct nfk_verr *err, int depth, uint64_t req)
{
	uint64_t seen = 0;
	int ret;

	/* A nest nobody described is kept as it is, like an unknown attribute. */
	if (!s)
		return nfk_attr_validate_stream(attrs, len) < 0 ?
			verr(err, base, attrs, "malformed attribute stream%s%s", "", "") : 0;
	/* Nesting deeper than this is not something the kernel produces. */
	if (depth > 16)
		return verr(err, base, attrs, "nesting too deep in %s%s", s->name, "");
	/* one walk: the stream is checked as it goes */
	size_t rem = len;
	for (const struct nlattr *a = attrs; rem; a = nfk_attr_next(a, &rem)) {
		if (!nfk_attr_ok(a, rem))
			return verr(err, base, attrs, "malformed attribute stream in %s%s", s->name, "");
		unsigned type = nfk_attr_type(a);
		const struct nfk_field *f = field_of(s, type);
		size_t alen = nfk_attr_len(a);

		if (type < 64)
			seen |= 1ull << type;
		if (!f)
			continue;
		if (f->kind < sizeof(kind_size) && kind_size[f->kind]) {
			if (alen != kind_size[f->kind])
				return verr(err, base, a, "%s.%s: bad length", s->name, f->name);
			continue;
		}
		if (f->maxlen && alen > f->maxlen) {
			verr(err, base, a, "%s.%s: too long", s->name, f->name);
			if (err)
				err->too_long = true;
			return -EINVAL;
		}
		switch (f->kind) {
		case NFK_STR:
			if (!nfk_attr_get_str(a))
				return verr(err, base, a, "%s.%s: unterminated string", s->name, f->name);
			break;
		case NFK_FLAG:
			if (alen)
				return verr(err, base, a, "%s.%s: flag with payload", s->name, f->name);
			break;
		case NFK_NEST:
			ret = validate(f->nest, base, nfk_attr_data(a), alen, err, depth + 1);
			if (ret)
				return ret;
			break;
		case NFK_DATA:
			/* (a value or a verdict: nothing required) */
			ret = validate_req(&nfk_data_schema, base, nfk_attr_data(a), alen, err,
					   depth + 1, 0);
			if (ret)
				return ret;
			break;
		case NFK_EXPR:
			ret = validate_expr(base, a, err, depth);
			if (ret)
				return ret;
			break;
		case NFK_LIST:
		case NFK_EXPRS: {
			uint64_t nreq = f->kind == NFK_LIST ? required_mask(f->nest) : 0;
			size_t rem2 = alen;

			for (const struct nlattr *el = nfk_attr_data(a); rem2; el = nfk_attr_next(el, &rem2)) {
				if (!nfk_attr_ok(el, rem2))
					return verr(err, base, a, "%s.%s: malformed list", s->name, f->name);
				if (f->kind == NFK_EXPRS)
					ret = validate_expr(base, el, err, depth);
				else
					ret = validate_req(f->nest, base, nfk_attr_data(el),
							   nfk_attr_len(el), err, depth + 1, nreq);
				if (ret)
					return ret;
			}
			break;
		}
		default:
			break;
		}
	}
	if (req & ~seen) {
		unsigned t = (unsigned)__builtin_ctzll(req & ~seen);

		return verr(err, base, attrs, "%s: missing %s", s->name, s->fields[t].name);
	}
	return 0;
}

int nfk_schema_validate(const struct nfk_schema *s, const void *attrs, size_t len,
			struct nfk_verr *err)
{
	return validate(s, attrs, attrs, len, err, 0);
}

bool nfk_schema_put_uint(struct nfk_buf *b, const struct nfk_schema *s, uint16_t type, uint64_t v)
{
	const struct nfk_field *f = field_of(s, type);

	if (!f)
		return false;
	switch (f->kind) {
	case NFK_U8:   return nfk_attr_put_u8(b, type, (uint8_t)v);
	case NFK_BE16: return nfk_attr_put_be16(b, type, (uint16_t)v);
	case NFK_BE32: return nfk_attr_put_be32(b, type, (uint32_t)v);
	case NFK_BE64: return nfk_attr_put_be64(b, type, v);
	case NFK_U32:  return nfk_attr_put_u32(b, type, (uint32_t)v);
	default:       return false;
	}
}

bool nfk_schema_get_uint(const struct nfk_schema *s, const struct nlattr *a, uint64_t *v)
{
	const struct nfk_field *f;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	if (!a)
		return false;
	f = field_of(s, nfk_attr_type(a));
	switch (f ? f->kind : NFK_NONE) {
	case NFK_U8:   if (!nfk_attr_get_u8(a, &u8)) return false; *v = u8; return true;
	case NFK_BE16: if (!nfk_attr_get_be16(a, &u16)) return false; *v = u16; return true;
	case NFK_BE32: if (!nfk_attr_get_be32(a, &u32)) return false; *v = u32; return true;
	case NFK_U32:  if (!nfk_attr_get_u32(a, &u32)) return false; *v = u32; return true;
	case NFK_BE64: return nfk_attr_get_be64(a, v);
	default:       return false;
	}
}

uint64_t nfk_tb_uint(const struct nfk_schema *s, const struct nlattr *const *tb, unsigned type,
		     uint64_t dflt)
{
	uint64_t v;

	return tb[type] && nfk_schema_get_uint(s, tb[type], &v) ? v : dflt;
}

static void print_indent(FILE *f, int depth)
{
	fprintf(f, "%*s", depth * 2, "");
}

static void print_attrs(FILE *f, const struct nfk_schema *s, const void *attrs, size_t len, int depth);

static void print_expr_nest(FILE *f, const struct nlattr *a, int depth)
{
	struct nfk_expr e;

	print_indent(f, depth);
	if (nfk_expr_parse(&e, nfk_attr_data(a), nfk_attr_len(a)) < 0) {
		fputs("<malformed expression>\n", f);
		return;
	}
	fprintf(f, "expr %s {\n", e.name ? e.name : "?");
	print_attrs(f, e.type ? e.type->schema : NULL, e.data, e.len, depth + 1);
	print_indent(f, depth);
	fputs("}\n", f);
}

static void print_attrs(FILE *f, const struct nfk_schema *s, const void *attrs, size_t len, int depth)
{
	nfk_attr_for_each(a, rem, attrs, len) {
		unsigned type = nfk_attr_type(a);
		const struct nfk_field *fd = field_of(s, type);
		uint64_t v;

		if (fd && (fd->kind == NFK_EXPR)) {
			print_expr_nest(f, a, depth);
			continue;
		}
		print_indent(f, depth);
		if (fd)
			fprintf(f, "%s", fd->name);
		else
			fprintf(f, "attr%u", type);
		if (fd && nfk_schema_get_uint(s, a, &v)) {
			fprintf(f, (fd->flags & NFK_F_HEX) ? " 0x%" PRIx64 "\n" : " %" PRIu64 "\n", v);
		} else if (fd && fd->kind == NFK_STR && nfk_attr_get_str(a)) {
			fprintf(f, " \"%s\"\n", nfk_attr_get_str(a));
		} else if (fd && (fd->kind == NFK_NEST || fd->kind == NFK_DATA)) {
			fputs(" {\n", f);
			print_attrs(f, fd->kind == NFK_DATA ? &nfk_data_schema : fd->nest,
				    nfk_attr_data(a), nfk_attr_len(a), depth + 1);
			print_indent(f, depth);
			fputs("}\n", f);
		} else if (fd && (fd->kind == NFK_LIST || fd->kind == NFK_EXPRS)) {
			fputs(" [\n", f);
			nfk_attr_for_each(el, rem2, nfk_attr_data(a), nfk_attr_len(a)) {
				if (fd->kind == NFK_EXPRS) {
					print_expr_nest(f, el, depth + 1);
				} else {
					print_indent(f, depth + 1);
					fputs("{\n", f);
					print_attrs(f, fd->nest, nfk_attr_data(el), nfk_attr_len(el), depth + 2);
					print_indent(f, depth + 1);
					fputs("}\n", f);
				}
			}
			print_indent(f, depth);
			fputs("]\n", f);
		} else {
			const uint8_t *p = nfk_attr_data(a);

			fputs(" 0x", f);
			for (size_t i = 0; i < nfk_attr_len(a); i++)
				fprintf(f, "%02x", p[i]);
			fputc('\n', f);
		}
	}
}

void nfk_schema_print(FILE *f, const struct nfk_schema *s, const void *attrs, size_t len)
{
	print_attrs(f, s, attrs, len, 0);
}
