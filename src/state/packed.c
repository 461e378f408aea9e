// SPDX-License-Identifier: MIT
/*
 * Set elements packed while their dump arrives: a listing of a set of
 * 1,000,000 addresses keeps 5 bytes per element read straight from the
 * receive buffer, instead of every message and a sort array of parsed
 * elements.  The lister (decompile_stmt.c) turns records back into the
 * elements it prints, so the text is the same whichever way they came.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kstate.h"
#include "../obj/objects.h"

#define PK_FIRST_CAP 1024
/* Chains are looked up linearly: a verdict map jumping to more keeps its
 * messages. */
#define PK_MAX_CHAINS 256

bool ks_pack_begin(struct ks_set *st)
{
	struct ks_packed *p = &st->packed;
	uint32_t kl = st->info.key_len, dl = 0;
	bool verdict = false;

	memset(p, 0, sizeof(*p));
	if (st->info.flags & NFT_SET_OBJECT)
		return false;
	if (st->info.flags & NFT_SET_MAP) {
		verdict = st->info.data_type == NFT_DATA_VERDICT;
		dl = verdict ? 6 : st->info.data_len;
	}
	if (!kl || kl > NFT_DATA_VALUE_MAXLEN || dl > NFT_DATA_VALUE_MAXLEN)
		return false;
	p->klen = (uint8_t)kl;
	p->dlen = (uint8_t)dl;
	p->verdict = verdict;
	p->size = (uint16_t)(1 + kl + dl);
	return true;
}

void ks_packed_free(struct ks_packed *p)
{
	for (unsigned i = 0; i < p->nchains; i++)
		free(p->chains[i]);
	free(p->chains);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int chain_index(struct ks_packed *p, const char *name, uint16_t *out)
{
	char **v;

	for (unsigned i = p->nchains; i-- > 0;) {
		if (strcmp(p->chains[i], name) == 0) {
			*out = (uint16_t)i;
			return 0;
		}
	}
	if (p->nchains >= PK_MAX_CHAINS)
		return -EINVAL;
	v = realloc(p->chains, (p->nchains + 1u) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->chains = v;
	v[p->nchains] = strdup(name);
	if (!v[p->nchains])
		return -ENOMEM;
	*out = p->nchains++;
	return 0;
}

/* The data of one element into d (dlen bytes); -EINVAL when it is not
 * what the set's records hold. */
static int pack_data(struct ks_packed *p, const struct nlattr *nest, uint8_t *d)
{
	const struct nlattr *tb[NFTA_DATA_MAX + 1], *vt[NFTA_VERDICT_MAX + 1];
	const struct nlattr *va;
	uint16_t ci = KS_PK_NOCHAIN;
	int32_t code;
	int ret;

	if (nfk_attr_index(nfk_attr_data(nest), nfk_attr_len(nest), tb, NFTA_DATA_MAX) < 0)
		return -EINVAL;
	if (!p->verdict) {
		if (tb[NFTA_DATA_VERDICT] || !tb[NFTA_DATA_VALUE] ||
		    nfk_attr_len(tb[NFTA_DATA_VALUE]) != p->dlen)
			return -EINVAL;
		memcpy(d, nfk_attr_data(tb[NFTA_DATA_VALUE]), p->dlen);
		return 0;
	}
	va = tb[NFTA_DATA_VERDICT];
	if (!va || nfk_attr_index(nfk_attr_data(va), nfk_attr_len(va), vt, NFTA_VERDICT_MAX) < 0)
		return -EINVAL;
	code = (int32_t)nfk_tb_uint(&nfk_verdict_schema, vt, NFTA_VERDICT_CODE, 0);
	if (vt[NFTA_VERDICT_CHAIN]) {
		const char *chain = nfk_attr_get_str(vt[NFTA_VERDICT_CHAIN]);

		if (!chain)
			return -EINVAL;
		ret = chain_index(p, chain, &ci);
		if (ret < 0)
			return ret;
	}
	memcpy(d, &code, 4);
	memcpy(d + 4, &ci, 2);
	return 0;
}

/* The element's attributes in one pass (the last of a type wins, as with
 * nfk_attr_index); -EINVAL when malformed or holding anything but a key,
 * flags and data. */
static int elem_scan(const struct nlattr *nest, const struct nlattr **tb)
{
	const struct nlattr *a = nfk_attr_data(nest);
	size_t rem = nfk_attr_len(nest);

	tb[NFTA_SET_ELEM_KEY] = tb[NFTA_SET_ELEM_FLAGS] = tb[NFTA_SET_ELEM_DATA] = NULL;
	while (rem > 0) {
		uint16_t t;

		if (!nfk_attr_ok(a, rem))
			return -EINVAL;
		t = nfk_attr_type(a);
		if (t == NFTA_SET_ELEM_KEY || t == NFTA_SET_ELEM_FLAGS || t == NFTA_SET_ELEM_DATA)
			tb[t] = a;
		else if (t && t <= NFTA_SET_ELEM_MAX && t != NFTA_SET_ELEM_PAD)
			return -EINVAL;
		a = nfk_attr_next(a, &rem);
	}
	return 0;
}

/* What dc_data_value() finds in a key nest, in one pass. */
static const uint8_t *key_value(const struct nlattr *nest, size_t *len)
{
	const struct nlattr *a, *v = NULL;
	size_t rem;

	if (!nest)
		return NULL;
	a = nfk_attr_data(nest);
	rem = nfk_attr_len(nest);
	while (rem > 0) {
		if (!nfk_attr_ok(a, rem))
			return NULL;
		if (nfk_attr_type(a) == NFTA_DATA_VALUE)
			v = a;
		a = nfk_attr_next(a, &rem);
	}
	if (!v)
		return NULL;
	*len = nfk_attr_len(v);
	return nfk_attr_data(v);
}

static int pack_elem(struct ks_packed *p, const struct nlattr *a)
{
	const struct nlattr *tb[NFTA_SET_ELEM_MAX + 1];
	const uint8_t *key;
	size_t klen = 0;
	uint32_t fl;
	uint8_t *r;
	int ret;

	if (elem_scan(a, tb) < 0)
		return -EINVAL;
	fl = nfk_tb_uint(&nfk_setelem_schema, tb, NFTA_SET_ELEM_FLAGS, 0);
	if (fl & ~(uint32_t)(NFT_SET_ELEM_INTERVAL_END | NFT_SET_ELEM_CATCHALL))
		return -EINVAL;
	key = key_value(tb[NFTA_SET_ELEM_KEY], &klen);
	if (key ? klen != p->klen : !(fl & NFT_SET_ELEM_CATCHALL))
		return -EINVAL;
	if (tb[NFTA_SET_ELEM_DATA] && !p->dlen)
		return -EINVAL;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : PK_FIRST_CAP;
		uint8_t *v = realloc(p->v, cap * p->size);

		if (!v)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	r = p->v + p->n * p->size;
	if (!key || (p->dlen && !tb[NFTA_SET_ELEM_DATA]))
		memset(r, 0, p->size);
	r[0] = (fl & NFT_SET_ELEM_INTERVAL_END ? 0 : KS_PK_START) |
	       (fl & NFT_SET_ELEM_CATCHALL ? KS_PK_CATCHALL : 0) | (key ? KS_PK_KEY : 0);
	if (key)
		memcpy(r + 1, key, klen);
	if (tb[NFTA_SET_ELEM_DATA]) {
		ret = pack_data(p, tb[NFTA_SET_ELEM_DATA], r + 1 + p->klen);
		if (ret < 0)
			return ret;
		r[0] |= KS_PK_DATA;
	}
	p->n++;
	return 0;
}

int ks_pack_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ks_set *st = arg;
	struct ks_packed *p = &st->packed;
	const struct nlattr *list;
	const void *attrs;
	size_t len;
	int ret;

	if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWSETELEM ||
	    (nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES || p->failed)
		return 0;
	attrs = nfk_msg_attrs(nlh, &len);
	/* a malformed message is skipped, as the message path skips it */
	if (!attrs || nfk_attr_validate_stream(attrs, len) < 0)
		return 0;
	list = nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_ELEMENTS);
	if (!list)
		return 0;
	nfk_attr_for_each(a, rem, nfk_attr_data(list), nfk_attr_len(list)) {
		ret = pack_elem(p, a);
		if (ret == -EINVAL) {
			p->failed = true;
			return 0;
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

void ks_pack_end(struct ks_set *st)
{
	struct ks_packed *p = &st->packed;
	uint8_t *v;

	if (p->n && p->n < p->cap) {
		v = realloc(p->v, p->n * p->size);
		if (v) {
			p->v = v;
			p->cap = p->n;
		}
	}
}

/* Constant sizes let the compiler inline the common records' copies. */
static inline void rec_copy(uint8_t *d, const uint8_t *s, size_t size)
{
	switch (size) {
	case 3: memcpy(d, s, 3); return;     /* inet_service */
	case 5: memcpy(d, s, 5); return;     /* ipv4_addr */
	case 17: memcpy(d, s, 17); return;   /* ipv6_addr */
	default: memcpy(d, s, size);
	}
}

/* One stable counting pass on byte off (masked) of every record; false
 * (and nothing moved) when all records have the same byte there. */
static bool radix_pass(const uint8_t *src, uint8_t *dst, size_t n, size_t size, size_t off,
		       uint8_t mask)
{
	size_t cnt[256] = { 0 }, pos = 0;

	for (size_t i = 0; i < n; i++)
		cnt[src[i * size + off] & mask]++;
	if (cnt[src[off] & mask] == n)
		return false;
	for (unsigned b = 0; b < 256; b++) {
		size_t c = cnt[b];

		cnt[b] = pos;
		pos += c;
	}
	for (size_t i = 0; i < n; i++) {
		const uint8_t *r = src + i * size;

		rec_copy(dst + cnt[r[off] & mask]++ * size, r, size);
	}
	return true;
}

int ks_packed_sort(const struct ks_packed *p, bool big)
{
	size_t n = p->n, size = p->size;
	uint8_t *a = p->v, *b, *tmp;

	if (n < 2)
		return 0;
	tmp = malloc(n * size);
	if (!tmp)
		return -ENOMEM;
	b = tmp;
	/* least significant first: ends before starts, the key's bytes, then
	 * the catch-all after everything */
#define PASS(off, mask)                                                      \
	do {                                                                 \
		if (radix_pass(a, b, n, size, (off), (mask))) {              \
			uint8_t *t_ = a;                                     \
			a = b;                                               \
			b = t_;                                              \
		}                                                            \
	} while (0)
	PASS(0, KS_PK_START);
	for (size_t k = 0; k < p->klen; k++)
		PASS(1 + (big ? p->klen - 1 - k : k), 0xff);
	PASS(0, KS_PK_CATCHALL);
#undef PASS
	if (a != p->v)
		memcpy(p->v, a, n * size);
	free(tmp);
	return 0;
}
