/* SPDX-License-Identifier: MIT */
/* Test helper: builds attribute streams from compact descriptions. */
#ifndef NFK_TEST_BUILD_H
#define NFK_TEST_BUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl/nl.h"

struct tattr {
	uint16_t type;
	char kind;          /* 1 2 4 8: u8/be16/be32/be64; s: string+NUL; r: raw
			       bytes; d: nft_data value; v: verdict; e: nested
			       expression (bytes = struct texpr); 0: end */
	uint64_t v;
	const char *s;
	const void *bytes;
	size_t len;
};

struct texpr {
	const char *name;
	const struct tattr *attrs;
};

#define T_U8(t, x)   { .type = (t), .kind = '1', .v = (x) }
#define T_BE16(t, x) { .type = (t), .kind = '2', .v = (x) }
#define T_BE32(t, x) { .type = (t), .kind = '4', .v = (x) }
#define T_BE64(t, x) { .type = (t), .kind = '8', .v = (x) }
#define T_STR(t, x)  { .type = (t), .kind = 's', .s = (x) }
#define T_RAW(t, x)  { .type = (t), .kind = 'r', .s = (x) }
#define T_DATA(t, ...) { .type = (t), .kind = 'd', .bytes = (const uint8_t[]){ __VA_ARGS__ }, \
			 .len = sizeof((const uint8_t[]){ __VA_ARGS__ }) }
#define T_VERDICT(t, code, chain) { .type = (t), .kind = 'v', .v = (uint32_t)(code), .s = (chain) }
#define T_EXPR(t, ex) { .type = (t), .kind = 'e', .bytes = (ex) }
#define T_END { .kind = 0 }

static bool tb_expr(struct nfk_buf *b, const struct texpr *ex);

static bool tb_attrs(struct nfk_buf *b, const struct tattr *a)
{
	for (; a->kind; a++) {
		struct nlattr *n, *n2;
		bool ok = true;

		switch (a->kind) {
		case '1': ok = nfk_attr_put_u8(b, a->type, (uint8_t)a->v); break;
		case '2': ok = nfk_attr_put_be16(b, a->type, (uint16_t)a->v); break;
		case '4': ok = nfk_attr_put_be32(b, a->type, (uint32_t)a->v); break;
		case '8': ok = nfk_attr_put_be64(b, a->type, a->v); break;
		case 's': ok = nfk_attr_put_str(b, a->type, a->s); break;
		case 'r': ok = nfk_attr_put(b, a->type, a->s, strlen(a->s)); break;
		case 'd':
			n = nfk_nest_start(b, a->type);
			ok = n && nfk_attr_put(b, NFTA_DATA_VALUE, a->bytes, a->len);
			if (ok)
				nfk_nest_end(b, n);
			break;
		case 'v':
			n = nfk_nest_start(b, a->type);
			n2 = n ? nfk_nest_start(b, NFTA_DATA_VERDICT) : NULL;
			ok = n2 && nfk_attr_put_be32(b, NFTA_VERDICT_CODE, (uint32_t)a->v) &&
			     (!a->s || nfk_attr_put_str(b, NFTA_VERDICT_CHAIN, a->s));
			if (ok) {
				nfk_nest_end(b, n2);
				nfk_nest_end(b, n);
			}
			break;
		case 'e':
			n = nfk_nest_start(b, a->type);
			ok = n && tb_expr(b, a->bytes);
			if (ok)
				nfk_nest_end(b, n);
			break;
		}
		if (!ok)
			return false;
	}
	return true;
}

/* NFTA_EXPR_NAME + NFTA_EXPR_DATA: the payload of one list element. */
static bool tb_expr(struct nfk_buf *b, const struct texpr *ex)
{
	struct nlattr *d;

	if (!nfk_attr_put_str(b, NFTA_EXPR_NAME, ex->name))
		return false;
	d = nfk_nest_start(b, NFTA_EXPR_DATA);
	if (!d || !tb_attrs(b, ex->attrs))
		return false;
	nfk_nest_end(b, d);
	return true;
}

static int t_pass, t_fail;

#define CHECK(cond, ...) do {                                             \
	if (cond) {                                                       \
		t_pass++;                                                 \
	} else {                                                          \
		t_fail++;                                                 \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);      \
		fprintf(stderr, __VA_ARGS__);                             \
		fputc('\n', stderr);                                      \
	}                                                                 \
} while (0)

static int t_report(void)
{
	printf("%d passed, %d failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}

#endif
