// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "ast.h"

struct nfk_arena_chunk {
	struct nfk_arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define CHUNK_MIN (64 * 1024)

void *nfk_arena_alloc(struct nfk_arena *a, size_t n)
{
	struct nfk_arena_chunk *c = a->head;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *nfk_arena_strndup(struct nfk_arena *a, const char *s, size_t n)
{
	char *p = nfk_arena_alloc(a, n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

struct nfk_arena_chunk *nfk_arena_mark(struct nfk_arena *a)
{
	return a->head;
}

void nfk_arena_release(struct nfk_arena *a, struct nfk_arena_chunk *mark)
{
	while (a->head && a->head != mark) {
		struct nfk_arena_chunk *n = a->head->next;
		free(a->head);
		a->head = n;
	}
}

void nfk_arena_free(struct nfk_arena *a)
{
	nfk_arena_release(a, NULL);
}

void nfk_arena_reset(struct nfk_arena *a)
{
	while (a->head && a->head->next) {
		struct nfk_arena_chunk *n = a->head->next;
		free(a->head);
		a->head = n;
	}
	if (a->head)
		a->head->used = 0;
}
