/* SPDX-License-Identifier: MIT */
/*
 * nft's user data format (set, element, rule, table, chain and object
 * user data): a list of TLVs, u8 type, u8 length, then the value; some
 * values are TLV lists themselves (a set's typeof expressions).
 */
#ifndef NFK_UDATA_H
#define NFK_UDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A buffer being written; a write that does not fit fails and leaves the
 * buffer as it was. */
struct ud_buf {
	uint8_t *p;
	size_t len, cap;
};

static inline bool ud_put(struct ud_buf *u, uint8_t type, const void *v, size_t len)
{
	if (len > 255 || u->len + 2 + len > u->cap)
		return false;
	u->p[u->len] = type;
	u->p[u->len + 1] = (uint8_t)len;
	memcpy(u->p + u->len + 2, v, len);
	u->len += 2 + len;
	return true;
}

static inline bool ud_put_u32(struct ud_buf *u, uint8_t type, uint32_t v)
{
	return ud_put(u, type, &v, 4);
}

/* A nested TLV: begin reserves its header, end fills it in. */
static inline bool ud_nest_begin(struct ud_buf *u, size_t *start)
{
	if (u->len + 2 > u->cap)
		return false;
	*start = u->len;
	u->len += 2;
	return true;
}

static inline bool ud_nest_end(struct ud_buf *u, size_t start, uint8_t type)
{
	size_t n = u->len - start - 2;

	if (n > 255)
		return false;
	u->p[start] = type;
	u->p[start + 1] = (uint8_t)n;
	return true;
}

/* The TLVs of one nested value, indexed by type (types past UD_MAX are
 * ignored). */
#define UD_MAX 16
struct ud_tlv {
	const uint8_t *v[UD_MAX];
	uint8_t l[UD_MAX];
};

/* false when malformed */
bool ud_index(struct ud_tlv *t, const uint8_t *p, size_t len);

static inline bool ud_get_u32(const struct ud_tlv *t, unsigned i, uint32_t *out)
{
	if (i >= UD_MAX || !t->v[i] || t->l[i] != 4)
		return false;
	memcpy(out, t->v[i], 4);
	return true;
}

#endif
