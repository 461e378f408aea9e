// SPDX-License-Identifier: MIT
/* Expression registry, parsing and the libnftnl-format printing helpers. */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "schema.h"
#include "expr/expr.h"

#define NFK_EXPR_REF(n) &nfk_expr_##n,
static const struct nfk_expr_type *const expr_types[] = {
	NFK_EXPR_TYPES(NFK_EXPR_REF)
};
#undef NFK_EXPR_REF

const struct nfk_expr_type *nfk_expr_type_find(const char *name)
{
	for (size_t i = 0; i < sizeof(expr_types) / sizeof(expr_types[0]); i++)
		if (strcmp(expr_types[i]->name, name) == 0)
			return expr_types[i];
	return NULL;
}

static const struct nfk_field verdict_fields[] = {
	F(NFTA_VERDICT_CODE, "code", NFK_BE32),
	F(NFTA_VERDICT_CHAIN, "chain", NFK_STR, .maxlen = 256),
	F(NFTA_VERDICT_CHAIN_ID, "chain_id", NFK_BE32),
};
const struct nfk_schema nfk_verdict_schema = NFK_SCHEMA("verdict", verdict_fields);

static const struct nfk_field data_fields[] = {
	F(NFTA_DATA_VALUE, "value", NFK_BIN, .maxlen = NFT_DATA_VALUE_MAXLEN),
	F(NFTA_DATA_VERDICT, "verdict", NFK_NEST, .nest = &nfk_verdict_schema),
};
const struct nfk_schema nfk_data_schema = NFK_SCHEMA("data", data_fields);

static const struct nfk_field expr_fields[] = {
	F(NFTA_EXPR_NAME, "name", NFK_STR, .flags = NFK_F_REQUIRED, .maxlen = 32),
	F(NFTA_EXPR_DATA, "data", NFK_BIN),
};
const struct nfk_schema nfk_expr_schema = NFK_SCHEMA("expr", expr_fields);

int nfk_expr_parse(struct nfk_expr *e, const void *attrs, size_t len)
{
	const struct nlattr *tb[NFTA_EXPR_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (nfk_attr_index(attrs, len, tb, NFTA_EXPR_MAX) < 0)
		return -EINVAL;
	e->name = nfk_attr_get_str(tb[NFTA_EXPR_NAME]);
	if (!e->name)
		return -EINVAL;
	e->type = nfk_expr_type_find(e->name);
	if (tb[NFTA_EXPR_DATA]) {
		e->data = nfk_attr_data(tb[NFTA_EXPR_DATA]);
		e->len = nfk_attr_len(tb[NFTA_EXPR_DATA]);
	}
	if (nfk_attr_index(e->data, e->len, e->tb, NFK_EXPR_MAXATTR) < 0)
		return -EINVAL;
	if (e->type && nfk_schema_validate(e->type->schema, e->data, e->len, NULL) < 0)
		e->type = NULL;   /* print it generically rather than misread it */
	return 0;
}

void nfk_expr_print(FILE *f, const struct nfk_expr *e)
{
	fputs("  [ ", f);
	if (e->type && e->type->print) {
		e->type->print(f, e);
	} else {
		/* Unknown to this build: show name and raw attributes on one line. */
		fprintf(f, "%s", e->name);
		nfk_attr_for_each(a, rem, e->data, e->len) {
			const uint8_t *p = nfk_attr_data(a);

			fprintf(f, " %u=0x", nfk_attr_type(a));
			for (size_t i = 0; i < nfk_attr_len(a); i++)
				fprintf(f, "%02x", p[i]);
		}
	}
	fputs(" ]\n", f);
}

void nfk_exprs_print(FILE *f, const void *list, size_t len)
{
	nfk_attr_for_each(a, rem, list, len) {
		struct nfk_expr e;

		if (nfk_expr_parse(&e, nfk_attr_data(a), nfk_attr_len(a)) < 0) {
			fputs("  [ <malformed> ]\n", f);
			continue;
		}
		nfk_expr_print(f, &e);
	}
}

uint32_t nfk_e_u32(const struct nfk_expr *e, unsigned type)
{
	uint64_t v;

	if (type > NFK_EXPR_MAXATTR || !e->type ||
	    !nfk_schema_get_uint(e->type->schema, e->tb[type], &v))
		return 0;
	return (uint32_t)v;
}

bool nfk_e_has(const struct nfk_expr *e, unsigned type)
{
	return type <= NFK_EXPR_MAXATTR && e->tb[type];
}

const char *nfk_e_str(const struct nfk_expr *e, unsigned type)
{
	const char *s = type <= NFK_EXPR_MAXATTR ? nfk_attr_get_str(e->tb[type]) : NULL;

	return s ? s : "";
}

void nfk_print_words(FILE *f, const void *bytes, size_t len)
{
	const uint8_t *p = bytes;

	for (size_t i = 0; i < len; i += 4) {
		uint32_t w = 0;

		memcpy(&w, p + i, len - i < 4 ? len - i : 4);
		fprintf(f, "%s0x%08x", i ? " " : "", w);
	}
}

const char *nfk_verdict_name(int32_t code)
{
	switch (code) {
	case NF_DROP:      return "drop";
	case NF_ACCEPT:    return "accept";
	case NF_STOLEN:    return "stolen";
	case NF_QUEUE:     return "queue";
	case NF_REPEAT:    return "repeat";
	case NFT_CONTINUE: return "continue";
	case NFT_BREAK:    return "break";
	case NFT_JUMP:     return "jump";
	case NFT_GOTO:     return "goto";
	case NFT_RETURN:   return "return";
	default:           return "unknown";
	}
}

void nfk_print_data(FILE *f, const struct nlattr *data_nest)
{
	const struct nlattr *tb[NFTA_DATA_MAX + 1], *vt[NFTA_VERDICT_MAX + 1];
	uint32_t code;

	if (!data_nest ||
	    nfk_attr_index(nfk_attr_data(data_nest), nfk_attr_len(data_nest), tb, NFTA_DATA_MAX) < 0)
		return;
	if (tb[NFTA_DATA_VALUE]) {
		nfk_print_words(f, nfk_attr_data(tb[NFTA_DATA_VALUE]), nfk_attr_len(tb[NFTA_DATA_VALUE]));
		return;
	}
	if (!tb[NFTA_DATA_VERDICT] ||
	    nfk_attr_index(nfk_attr_data(tb[NFTA_DATA_VERDICT]), nfk_attr_len(tb[NFTA_DATA_VERDICT]),
			   vt, NFTA_VERDICT_MAX) < 0)
		return;
	code = nfk_tb_uint(&nfk_verdict_schema, vt, NFTA_VERDICT_CODE, 0);
	fputs(nfk_verdict_name((int32_t)code), f);
	if (vt[NFTA_VERDICT_CHAIN])
		fprintf(f, " -> %s", nfk_tb_str(vt, NFTA_VERDICT_CHAIN, ""));
}

void nfk_expr_print_nested(FILE *f, const struct nlattr *nest)
{
	struct nfk_expr sub;

	if (!nest || nfk_expr_parse(&sub, nfk_attr_data(nest), nfk_attr_len(nest)) < 0)
		return;
	fputs("expr [ ", f);
	if (sub.type && sub.type->print)
		sub.type->print(f, &sub);
	else
		fputs(sub.name, f);
	fputs(" ]", f);
}
