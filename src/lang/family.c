// SPDX-License-Identifier: MIT
/* The registry of language families: parse order for statements and
 * selectors is the order below. */
#include <string.h>

#include "family.h"

#define NFK_LANG_ENTRY(n) &nfk_lang_##n,
static const struct lang_family *const families[] = { NFK_LANG_FAMILIES(NFK_LANG_ENTRY) };
#undef NFK_LANG_ENTRY

#define NFAMILIES (sizeof(families) / sizeof(families[0]))

const struct lang_family *nfk_lang_by_ex(enum ex_kind k)
{
	for (size_t i = 0; i < NFAMILIES; i++)
		for (const enum ex_kind *x = families[i]->ex_kinds; x && *x != EX_NONE; x++)
			if (*x == k)
				return families[i];
	return NULL;
}

const struct lang_family *nfk_lang_by_st(enum st_kind k)
{
	for (size_t i = 0; i < NFAMILIES; i++)
		for (const enum st_kind *x = families[i]->st_kinds; x && *x != ST_NONE; x++)
			if (*x == k)
				return families[i];
	return NULL;
}

bool nfk_lang_terminal(enum st_kind k)
{
	const struct lang_family *f = nfk_lang_by_st(k);

	for (const enum st_kind *x = f ? f->terminal : NULL; x && *x != ST_NONE; x++)
		if (*x == k)
			return true;
	return false;
}

const struct lang_dc *nfk_lang_dc(const char *expr)
{
	for (size_t i = 0; i < NFAMILIES; i++)
		for (const struct lang_dc *d = families[i]->dc; d && d->expr; d++)
			if (!strcmp(d->expr, expr))
				return d;
	return NULL;
}

const struct lang_typeof *nfk_lang_typeof_by_kind(enum ex_kind k)
{
	for (size_t i = 0; i < NFAMILIES; i++)
		for (const struct lang_typeof *t = families[i]->typeofs; t && t->id; t++)
			if (t->kind == k)
				return t;
	return NULL;
}

const struct lang_typeof *nfk_lang_typeof_by_id(uint32_t id)
{
	for (size_t i = 0; i < NFAMILIES; i++)
		for (const struct lang_typeof *t = families[i]->typeofs; t && t->id; t++)
			if (t->id == id)
				return t;
	return NULL;
}

struct stmt *nfk_lang_parse_word(struct nfk_parser *p)
{
	if (p->tok.kind != T_WORD)
		return NULL;
	for (size_t i = 0; i < NFAMILIES; i++) {
		for (const struct lang_word *w = families[i]->words; w && w->word; w++) {
			struct stmt *s;

			if (!ps_is(p, w->word))
				continue;
			s = w->parse(p);
			if (s || p->failed)
				return s;
		}
	}
	return NULL;
}

struct ex *nfk_lang_parse_selector(struct nfk_parser *p)
{
	for (size_t i = 0; i < NFAMILIES; i++) {
		struct ex *e;

		if (!families[i]->selector)
			continue;
		e = families[i]->selector(p);
		if (e || p->failed)
			return e;
	}
	return NULL;
}
