// SPDX-License-Identifier: MIT
#include "corpus.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct corpus {
	FILE *f;
	char *line;
	size_t cap;
	size_t lineno;
	size_t bad;
	struct corpus_val cur;
	bool have;
};

struct jp {
	const char *p;
};

static void skip_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char ch = p[i];
		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			v |= ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			v |= ch - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t utf8_put(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = 0xc0 | (cp >> 6);
		o[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = 0xe0 | (cp >> 12);
		o[1] = 0x80 | ((cp >> 6) & 0x3f);
		o[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | (cp >> 18);
	o[1] = 0x80 | ((cp >> 12) & 0x3f);
	o[2] = 0x80 | ((cp >> 6) & 0x3f);
	o[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* j->p at the opening quote. */
static char *parse_str(struct jp *j)
{
	const char *s = ++j->p;
	size_t n = 0;

	while (s[n] && s[n] != '"')
		n += (s[n] == '\\' && s[n + 1]) ? 2 : 1;
	if (s[n] != '"')
		return NULL;
	/* unescaped text is never longer than the escaped text */
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	const char *p = s, *end = s + n;
	while (p < end) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		p++;
		switch (*p++) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'u': {
			unsigned cp, lo;
			if (end - p < 4 || hex4(p, &cp))
				goto bad;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && end - p >= 6 && p[0] == '\\' &&
			    p[1] == 'u' && !hex4(p + 2, &lo) && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			}
			o += utf8_put(o, cp);
			break;
		}
		default: *o++ = p[-1]; break;   /* \" \\ \/ */
		}
	}
	*o = 0;
	j->p = end + 1;
	return out;
bad:
	free(out);
	return NULL;
}

static int parse_val(struct jp *j, struct corpus_val *v, int depth);

static int push(struct corpus_val *v, size_t *cap)
{
	if (v->n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 8;
	void *ni = realloc(v->items, nc * sizeof(*v->items));
	if (!ni)
		return -1;
	v->items = ni;
	if (v->kind == CJ_OBJ) {
		void *nk = realloc(v->keys, nc * sizeof(*v->keys));
		if (!nk)
			return -1;
		v->keys = nk;
	}
	*cap = nc;
	return 0;
}

static int parse_container(struct jp *j, struct corpus_val *v, int depth)
{
	char close = *j->p == '{' ? '}' : ']';
	size_t cap = 0;

	v->kind = close == '}' ? CJ_OBJ : CJ_ARR;
	j->p++;
	skip_ws(j);
	if (*j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		skip_ws(j);
		if (v->kind == CJ_OBJ) {
			if (*j->p != '"' || !(key = parse_str(j)))
				return -1;
			skip_ws(j);
			if (*j->p++ != ':') {
				free(key);
				return -1;
			}
		}
		if (push(v, &cap)) {
			free(key);
			return -1;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (v->kind == CJ_OBJ)
			v->keys[v->n] = key;
		v->n++;
		if (parse_val(j, &v->items[v->n - 1], depth + 1))
			return -1;
		skip_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			return 0;
		}
		return -1;
	}
}

static int parse_val(struct jp *j, struct corpus_val *v, int depth)
{
	if (depth > 64)
		return -1;
	skip_ws(j);
	switch (*j->p) {
	case '{':
	case '[':
		return parse_container(j, v, depth);
	case '"':
		v->kind = CJ_STR;
		return (v->str = parse_str(j)) ? 0 : -1;
	case 't':
		if (strncmp(j->p, "true", 4))
			return -1;
		v->kind = CJ_BOOL, v->b = true, j->p += 4;
		return 0;
	case 'f':
		if (strncmp(j->p, "false", 5))
			return -1;
		v->kind = CJ_BOOL, v->b = false, j->p += 5;
		return 0;
	case 'n':
		if (strncmp(j->p, "null", 4))
			return -1;
		v->kind = CJ_NULL, j->p += 4;
		return 0;
	default: {
		char *end;
		v->num = strtod(j->p, &end);
		if (end == j->p)
			return -1;
		v->kind = CJ_NUM;
		j->p = end;
		return 0;
	}
	}
}

void corpus_val_free(struct corpus_val *v)
{
	if (!v)
		return;
	free(v->str);
	for (size_t i = 0; i < v->n; i++) {
		corpus_val_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	memset(v, 0, sizeof(*v));
}

int corpus_parse(const char *text, struct corpus_val *v)
{
	struct jp j = { text };

	memset(v, 0, sizeof(*v));
	if (parse_val(&j, v, 0))
		goto bad;
	skip_ws(&j);
	if (*j.p)
		goto bad;
	return 0;
bad:
	corpus_val_free(v);
	return -1;
}

struct corpus *corpus_open(const char *path)
{
	struct corpus *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->f = fopen(path, "r");
	if (!c->f) {
		int e = errno;
		free(c);
		errno = e;
		return NULL;
	}
	return c;
}

void corpus_close(struct corpus *c)
{
	if (!c)
		return;
	if (c->have)
		corpus_val_free(&c->cur);
	fclose(c->f);
	free(c->line);
	free(c);
}

const struct corpus_val *corpus_next(struct corpus *c)
{
	if (c->have) {
		corpus_val_free(&c->cur);
		c->have = false;
	}
	while (getline(&c->line, &c->cap, c->f) > 0) {
		c->lineno++;
		const char *p = c->line;
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			continue;
		if (corpus_parse(p, &c->cur) || c->cur.kind != CJ_OBJ) {
			corpus_val_free(&c->cur);
			c->bad++;
			fprintf(stderr, "corpus: line %zu: not a JSON object, skipped\n", c->lineno);
			continue;
		}
		c->have = true;
		return &c->cur;
	}
	return NULL;
}

size_t corpus_lineno(const struct corpus *c)
{
	return c->lineno;
}

const struct corpus_val *corpus_get(const struct corpus_val *obj, const char *key)
{
	if (!obj || obj->kind != CJ_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

const char *corpus_str(const struct corpus_val *obj, const char *key)
{
	const struct corpus_val *v = corpus_get(obj, key);

	return v && v->kind == CJ_STR ? v->str : NULL;
}

long corpus_int(const struct corpus_val *obj, const char *key, long dflt)
{
	const struct corpus_val *v = corpus_get(obj, key);

	return v && v->kind == CJ_NUM ? (long)v->num : dflt;
}

bool corpus_bool(const struct corpus_val *obj, const char *key, bool dflt)
{
	const struct corpus_val *v = corpus_get(obj, key);

	return v && v->kind == CJ_BOOL ? v->b : dflt;
}

size_t corpus_arr(const struct corpus_val *obj, const char *key,
		  const struct corpus_val **items)
{
	const struct corpus_val *v = corpus_get(obj, key);

	if (!v || v->kind != CJ_ARR) {
		*items = NULL;
		return 0;
	}
	*items = v->items;
	return v->n;
}

const char *corpus_arr_str(const struct corpus_val *obj, const char *key, size_t i)
{
	const struct corpus_val *items;
	size_t n = corpus_arr(obj, key, &items);

	return i < n && items[i].kind == CJ_STR ? items[i].str : NULL;
}

size_t corpus_bad_lines(const struct corpus *c)
{
	return c->bad;
}

/* ---- known failures ------------------------------------------------------ */

struct known_entry {
	char *id;
	char *reason;
	bool seen;
};

struct known_list {
	char *path;
	struct known_entry *v;
	size_t n;
};

static int known_cmp(const void *a, const void *b)
{
	return strcmp(((const struct known_entry *)a)->id, ((const struct known_entry *)b)->id);
}

void known_free(struct known_list *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].id);
		free(k->v[i].reason);
	}
	free(k->v);
	free(k->path);
	free(k);
}

struct known_list *known_load(const char *path)
{
	struct known_list *k = calloc(1, sizeof(*k));
	size_t cap = 0, lineno = 0, lcap = 0;
	char *line = NULL;
	FILE *f;

	if (!k || !(k->path = strdup(path ? path : "(none)"))) {
		perror("known_load");
		known_free(k);
		return NULL;
	}
	if (!path)
		return k;
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		known_free(k);
		return NULL;
	}
	while (getline(&line, &lcap, f) > 0) {
		char *p = line, *id, *reason;
		size_t l;

		lineno++;
		l = strlen(p);
		while (l && (p[l - 1] == '\n' || p[l - 1] == '\r' || p[l - 1] == ' ' || p[l - 1] == '\t'))
			p[--l] = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		id = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		reason = p;
		if (!*reason) {
			fprintf(stderr, "%s:%zu: '%s' has no reason\n", path, lineno, id);
			goto bad;
		}
		if (k->n == cap) {
			void *nv;

			cap = cap ? cap * 2 : 32;
			nv = realloc(k->v, cap * sizeof(*k->v));
			if (!nv)
				goto oom;
			k->v = nv;
		}
		k->v[k->n].id = strdup(id);
		k->v[k->n].reason = strdup(reason);
		k->v[k->n].seen = false;
		k->n++;
		if (!k->v[k->n - 1].id || !k->v[k->n - 1].reason)
			goto oom;
	}
	if (k->n)
		qsort(k->v, k->n, sizeof(*k->v), known_cmp);
	for (size_t i = 1; i < k->n; i++) {
		if (!strcmp(k->v[i - 1].id, k->v[i].id)) {
			fprintf(stderr, "%s: '%s' is listed twice\n", path, k->v[i].id);
			goto bad;
		}
	}
	free(line);
	fclose(f);
	return k;
oom:
	perror("known_load");
bad:
	free(line);
	fclose(f);
	known_free(k);
	return NULL;
}

static struct known_entry *known_find(const struct known_list *k, const char *id)
{
	struct known_entry key = { .id = (char *)id };

	if (!k || !k->n)
		return NULL;
	return bsearch(&key, k->v, k->n, sizeof(*k->v), known_cmp);
}

const char *known_reason(struct known_list *k, const char *id)
{
	struct known_entry *e = known_find(k, id);

	if (!e)
		return NULL;
	e->seen = true;
	return e->reason;
}

const char *known_path(const struct known_list *k)
{
	return k ? k->path : "(none)";
}

enum known_verdict known_judge(struct known_list *k, const char *id, bool ok, const char *why)
{
	const char *r = known_reason(k, id);

	if (ok)
		return r ? KV_FIXED : KV_PASS;
	if (r && why && !strncmp(r, why, strlen(why)))
		return KV_KNOWN;
	return KV_FAIL;
}

void known_report(const struct known_list *k, enum known_verdict v, const char *id,
		  const char *why)
{
	const struct known_entry *e = known_find(k, id);

	switch (v) {
	case KV_PASS:
		break;
	case KV_FAIL:
		printf("FAIL %s: %s", id, why ? why : "(no reason)");
		if (e)
			printf(" (listed as: %s)", e->reason);
		putchar('\n');
		break;
	case KV_KNOWN:
		printf("known %s: %s\n", id, e ? e->reason : "");
		break;
	case KV_FIXED:
		printf("FIXED %s: passes now, remove it from %s\n", id, known_path(k));
		break;
	}
}

size_t known_report_unseen(const struct known_list *k)
{
	size_t n = 0;

	for (size_t i = 0; k && i < k->n; i++) {
		if (k->v[i].seen)
			continue;
		if (!n++)
			printf("note: listed in %s but not met in this run:\n", k->path);
		printf("  %s: %s\n", k->v[i].id, k->v[i].reason);
	}
	return n;
}
