// SPDX-License-Identifier: MIT
/*
 * Kernel errors about set elements, worded as nft words them.  nft checks
 * a new interval against the whole set it dumped first; nfkit sends the
 * change and lets the kernel check, which answers an overlap with EEXIST
 * on the element (ext-ack points at it).  Same verdict, same text, no dump.
 */
#include <errno.h>
#include <string.h>

#include "api.h"
#include "lang/print.h"
#include "obj/objects.h"

/* Asks the kernel whether key is inside an interval (flags 0) or what the
 * nearest end above key is (NFT_SET_ELEM_INTERVAL_END): 0 and the found
 * key in out, or -errno. */
static int lookup(struct nfk_sock *sock, const struct ks_set *st, const uint8_t *key,
		  size_t klen, uint32_t flags, uint8_t *out)
{
	return nfk_elem_lookup(sock, st->family, st->table, st->info.name, key, (unsigned)klen,
			       flags, out);
}

static bool be_dec(uint8_t *k, size_t len)
{
	for (size_t i = len; i-- > 0;)
		if (k[i]-- != 0)
			return true;
	return false;
}

/* Whether [lo, end) meets an interval the kernel holds: one holds lo, one
 * holds the last value, or one ends in between. */
static bool overlaps(struct nfk_sock *sock, const struct ks_set *st, const uint8_t *lo,
		     const uint8_t *end, size_t klen)
{
	uint8_t last[64], got[64];

	if (lookup(sock, st, lo, klen, 0, got) == 0)
		return true;
	if (!end)
		memset(last, 0xff, klen);
	else
		memcpy(last, end, klen);
	if (end && !be_dec(last, klen))
		return false;
	if (lookup(sock, st, last, klen, 0, got) == 0)
		return true;
	return lookup(sock, st, lo, klen, NFT_SET_ELEM_INTERVAL_END, got) == 0 &&
	       memcmp(got, last, klen) <= 0;
}

/* The kernel points at the element list, not the element: the offset of
 * the first element that overlaps what the kernel holds (asked with
 * lookups, only now that the batch failed), else of the list. */
static int32_t guilty_elem(const struct nlmsghdr *nlh, const struct ks_set *st,
			   struct nfk_sock *sock)
{
	const struct nlattr *list, *pending = NULL;
	const uint8_t *lo = NULL;
	const void *attrs;
	size_t len, n = 0, lolen = 0;

	attrs = nfk_msg_attrs(nlh, &len);
	list = attrs ? nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_ELEMENTS) : NULL;
	if (!list || !sock)
		return -1;
	nfk_attr_for_each(e, rem, nfk_attr_data(list), nfk_attr_len(list)) {
		const struct nlattr *k = nfk_attr_find(nfk_attr_data(e), nfk_attr_len(e),
						       NFTA_SET_ELEM_KEY);
		const struct nlattr *fl = nfk_attr_find(nfk_attr_data(e), nfk_attr_len(e),
							NFTA_SET_ELEM_FLAGS);
		const struct nlattr *v = k ? nfk_attr_find(nfk_attr_data(k), nfk_attr_len(k),
							   NFTA_DATA_VALUE) : NULL;
		uint32_t flags = 0;
		size_t kl = v ? nfk_attr_len(v) : 0;

		if (!v || kl > 64 || ++n > 4096)
			break;
		uint64_t fv;

		if (nfk_schema_get_uint(&nfk_setelem_schema, fl, &fv))
			flags = (uint32_t)fv;
		if (flags & NFT_SET_ELEM_INTERVAL_END) {
			if (lo && overlaps(sock, st, lo, nfk_attr_data(v), kl))
				return (int32_t)((const uint8_t *)pending - (const uint8_t *)nlh);
			lo = NULL;
			continue;
		}
		if (lo && overlaps(sock, st, lo, NULL, lolen))
			return (int32_t)((const uint8_t *)pending - (const uint8_t *)nlh);
		lo = nfk_attr_data(v);
		lolen = kl;
		pending = e;
	}
	if (lo && pending && overlaps(sock, st, lo, NULL, lolen))
		return (int32_t)((const uint8_t *)pending - (const uint8_t *)nlh);
	return -1;
}

const char *nfk_elem_err_msg(const struct nfk_batch *b, const struct nfk_batch_err *e,
			     const struct nfk_kstate *ks, struct nfk_sock *sock, int32_t *attr_off)
{
	const struct nfgenmsg *nfg;
	const struct nlattr *t, *n;
	const struct ks_set *st;
	const void *attrs;
	size_t len;

	if ((e->error != -EEXIST && e->error != -ENOENT) || e->index == NFK_BATCH_NO_INDEX ||
	    !b || !ks)
		return NULL;
	const struct nlmsghdr *nlh = nfk_batch_msg_at(b, e->index);
	/* delete element: the kernel points at the element it lacks (an end
	 * element maps to its interval), nft words it as its own check does */
	bool del = e->error == -ENOENT;
	if (!nlh || (nlh->nlmsg_type & 0xff) != (del ? NFT_MSG_DELSETELEM : NFT_MSG_NEWSETELEM) ||
	    (nlh->nlmsg_flags & NLM_F_EXCL))
		return NULL;
	attrs = nfk_msg_attrs(nlh, &len);
	if (!attrs)
		return NULL;
	nfg = (const struct nfgenmsg *)((const uint8_t *)nlh + NFK_ALIGN(sizeof(*nlh)));
	t = nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_TABLE);
	n = nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_SET);
	st = ks_set_find(ks, nfg->nfgen_family, t ? nfk_attr_get_str(t) : NULL,
			 n ? nfk_attr_get_str(n) : NULL);
	/* add (not create) of an element already there succeeds: an EEXIST
	 * on an interval set is an overlap */
	if (!st || !(st->info.flags & NFT_SET_INTERVAL) || st->field_count > 1)
		return NULL;
	if (del)
		return "element does not exist";
	*attr_off = guilty_elem(nlh, st, sock);
	if (*attr_off < 0)
		*attr_off = e->attr_off;
	return "interval overlaps with an existing one";
}
